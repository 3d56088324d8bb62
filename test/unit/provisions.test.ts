import { describe, expect, it } from 'vitest';
import type { MemberData } from '../../lambdas/features/members/store';
import { type ProvisionRequest, provisionRefusal } from '../../lambdas/features/provisions/rules';
import { statusOf } from '../../lambdas/http/problems';
import { RuleViolated } from '../../lambdas/runtime/errors';
import { parseCatalogue, profiles } from '../../policy/catalogue';
import { COURIER, littleoneWith } from '../support/recipients';

/** Two recipients a member can consent to: one for a required purpose, one for an optional one. */
const recipients = {
  courier: COURIER,
  photoLab: {
    name: { ko: '사진 현상소', en: 'Photo Lab' },
    contact: 'privacy@photolab.example',
    purposes: ['profile-photos'],
    items: ['userProfilePhoto'],
    source: 'test',
  },
};
/** The littleone catalogue with the recipients above. */
const c = littleoneWith(recipients);
const lgcns = parseCatalogue(structuredClone(profiles.lgcns));
const now = new Date('2026-06-01T00:00:00Z');

interface Options {
  readonly consented?: Record<string, boolean>;
  readonly photos?: boolean;
  readonly restriction?: string;
  readonly frozen?: string;
}

function member(options: Options = {}): MemberData {
  const state = (granted: boolean) => ({ granted, at: '', policyVersion: '1.0', channel: 'app' as const });
  return {
    profile: {
      pk: 'M#m',
      sk: 'PROFILE',
      memberId: 'm',
      status: 'active',
      signInMethod: 'apple',
      joinedAt: '2026-01-01T00:00:00Z',
      policyVersion: '1.0',
      items: {
        userName: 'sealed',
        email: 'sealed',
        appleMemberNumber: 'sealed',
        relationshipToBaby: 'sealed',
        userProfilePhoto: 'sealed',
      },
      consents: { 'profile-photos': state(options.photos ?? true) },
      provisionConsents: Object.fromEntries(
        Object.entries(options.consented ?? { courier: true, photoLab: true }).map(([id, g]) => [
          id,
          state(g),
        ]),
      ),
      ageAffirmation: { affirmed: true, minimumAge: 14, at: '', policyVersion: '1.0' },
      lookups: {},
      ...(options.restriction ? { restriction: { scope: options.restriction, reason: 'x', since: '' } } : {}),
      lastSignInAt: '',
      lastSignInDay: '',
      rev: 1,
    },
    babies: [],
    corrections: options.frozen
      ? [
          {
            pk: 'M#m',
            sk: 'CORR#1',
            correctionId: '1',
            itemId: options.frozen,
            value: 'sealed',
            codeHash: 'h',
            attempts: 0,
            requestedAt: '',
            expiresAt: now.getTime() / 1000 + 3600,
          },
        ]
      : [],
    consentHistory: [],
    provisions: [],
    correctionNotices: [],
    records: [],
  };
}

const byConsent = (changes: Partial<ProvisionRequest> = {}): ProvisionRequest => ({
  memberId: 'm',
  recipient: { name: 'Baby Courier', contact: 'privacy@courier.example' },
  items: ['userName'],
  purpose: 'service-delivery',
  basis: { type: 'consent' },
  ...changes,
});

const onBasis = (type: 'legal-obligation' | 'contract' | 'vital-interests' | 'legitimate-interests') =>
  byConsent({
    recipient: { name: 'Police', contact: 'cyber@police.example' },
    items: ['email'],
    purpose: 'membership',
    basis: { type, reference: 'warrant 1' },
  });

describe('provision on the consent basis (L5/G6)', () => {
  it('L5: allows a provision to a recipient the member consented to, for its purpose and items', () => {
    expect(provisionRefusal(c, member(), byConsent(), now)).toBeUndefined();
    expect(provisionRefusal(c, member(), byConsent({ items: ['userName', 'email'] }), now)).toBeUndefined();
  });

  it('L5: refuses a recipient the member never consented to, or whose consent was withdrawn', () => {
    for (const consented of [{}, { courier: false }, { photoLab: true }] as Record<string, boolean>[]) {
      const refusal = provisionRefusal(c, member({ consented }), byConsent(), now);
      expect(refusal).toBeInstanceOf(RuleViolated);
      expect(refusal).toMatchObject({ title: 'No consent to this provision', extra: { field: 'basis' } });
    }
  });

  it('L5: refuses a recipient the policy does not name, or one named with another contact', () => {
    for (const recipient of [
      { name: 'Data Broker', contact: 'x@broker.example' },
      { name: 'Baby Courier', contact: 'someone@else.example' },
    ]) {
      expect(provisionRefusal(c, member(), byConsent({ recipient }), now)?.title).toBe(
        'No consent to this provision',
      );
    }
  });

  it('L5: refuses a purpose the recipient is not declared for, even with its consent', () => {
    expect(provisionRefusal(c, member(), byConsent({ purpose: 'membership' }), now)?.title).toBe(
      'No consent to this provision',
    );
  });

  it('L5: refuses items the consent to the recipient does not cover, naming them', () => {
    const refusal = provisionRefusal(
      c,
      member(),
      byConsent({ items: ['userName', 'relationshipToBaby'] }),
      now,
    );
    // relationshipToBaby is declared for service delivery, but not named for the courier.
    expect(refusal).toMatchObject({
      title: 'Items outside the consent',
      extra: { field: 'items', items: ['relationshipToBaby'] },
    });
  });

  it('L5: refuses an optional purpose the member refused, whatever the recipient consent', () => {
    const photo = byConsent({
      recipient: { name: 'Photo Lab', contact: 'privacy@photolab.example' },
      items: ['userProfilePhoto'],
      purpose: 'profile-photos',
    });
    expect(provisionRefusal(c, member(), photo, now)).toBeUndefined();
    expect(provisionRefusal(c, member({ photos: false }), photo, now)?.title).toBe(
      'No consent to this provision',
    );
  });
});

describe('provision bases and purposes (L5/G6)', () => {
  it('L5: littleone allows separate consent or a law only; contract and interests are refused on the basis', () => {
    expect(c.provision.bases).toEqual(['consent', 'legal-obligation']);
    expect(provisionRefusal(c, member(), onBasis('legal-obligation'), now)).toBeUndefined();
    for (const type of ['contract', 'vital-interests', 'legitimate-interests'] as const) {
      const refusal = provisionRefusal(c, member(), onBasis(type), now);
      expect(statusOf(refusal), type).toBe(422);
      expect(refusal).toMatchObject({ title: 'Basis not allowed', extra: { field: 'basis' } });
    }
  });

  it('G6: lgcns allows consent or the service agreement only', () => {
    expect(lgcns.provision.bases).toEqual(['consent', 'contract']);
    const lg = (type: Parameters<typeof onBasis>[0]) =>
      provisionRefusal(lgcns, member(), { ...onBasis(type), items: ['email'], purpose: 'inquiries' }, now);
    expect(lg('contract')).toBeUndefined();
    for (const type of ['legal-obligation', 'vital-interests', 'legitimate-interests'] as const)
      expect(lg(type)?.title, type).toBe('Basis not allowed');
  });

  it('L5: a basis other than consent needs a reference that is not blank', () => {
    const blank = byConsent({
      ...onBasis('legal-obligation'),
      basis: { type: 'legal-obligation', reference: ' ' },
    });
    expect(provisionRefusal(c, member(), blank, now)).toMatchObject({
      title: 'Reference missing',
      extra: { field: 'basis.reference' },
    });
  });

  it('L5: an item is provided only under a purpose it is declared for, whatever the basis', () => {
    // appleMemberNumber is declared for membership only.
    const law = {
      ...onBasis('legal-obligation'),
      items: ['email', 'appleMemberNumber'],
      purpose: 'service-delivery',
    };
    const refusal = provisionRefusal(c, member(), law, now);
    expect(statusOf(refusal)).toBe(422);
    expect(refusal).toMatchObject({
      title: 'Item not declared for the purpose',
      extra: { field: 'items', items: ['appleMemberNumber'] },
    });
    expect(refusal?.detail).toContain('appleMemberNumber');
  });
});

describe('what else refuses a provision', () => {
  it('L15: refuses an item under correction, whatever the basis', () => {
    expect(provisionRefusal(c, member({ frozen: 'userName' }), byConsent(), now)?.title).toBe(
      'Item under correction',
    );
  });

  it('L16: refuses a member who restricted provision or all processing, but not optional purposes only', () => {
    expect(statusOf(provisionRefusal(c, member({ restriction: 'provision' }), byConsent(), now))).toBe(409);
    expect(statusOf(provisionRefusal(c, member({ restriction: 'all' }), byConsent(), now))).toBe(409);
    expect(
      provisionRefusal(c, member({ restriction: 'optional-purposes' }), byConsent(), now),
    ).toBeUndefined();
  });
});

describe('the recipients a catalogue declares (L5/G6)', () => {
  const withRecipients = (thirdParties: unknown, bases?: string[]) => {
    const input = structuredClone(profiles.littleone) as unknown as Record<string, unknown>;
    input.thirdParties = thirdParties;
    if (bases) input.provision = { bases, source: 'test' };
    return () => parseCatalogue(input, 'profile t');
  };
  const party = (purposes: string[], items: string[]) => ({
    x: { name: { ko: '엑스', en: 'X' }, contact: 'x@x.example', purposes, items, source: 'test' },
  });

  it('L5: each item of a recipient is declared for one of its purposes', () => {
    expect(withRecipients(party(['service-delivery'], ['appleMemberNumber']))).toThrowError(
      /profile t: thirdParties\.x\.items: "appleMemberNumber" is declared for none of its purposes/,
    );
    expect(withRecipients(party(['nowhere'], ['userName']))).toThrowError(
      /thirdParties\.x\.purposes names unknown purpose "nowhere"/,
    );
    expect(withRecipients(party(['service-delivery'], ['userName']))).not.toThrow();
  });

  it('L5: recipients a member consents to need the consent basis among the allowed ones', () => {
    expect(withRecipients(party(['service-delivery'], ['userName']), ['legal-obligation'])).toThrowError(
      /recipients a member consents to need "consent" in provision\.bases/,
    );
    expect(withRecipients({}, ['contract', 'made-up'])).toThrowError(/provision\.bases/);
  });

  it('L5/G6: the shipped policies name no recipient', () => {
    expect(profiles.littleone.thirdParties).toEqual({});
    expect(profiles.lgcns.thirdParties).toEqual({});
  });
});
