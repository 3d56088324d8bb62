import { describe, expect, it } from 'vitest';
import type { MemberData } from '../../lambdas/features/members/store';
import { type ProvisionRequest, provisionRefusal } from '../../lambdas/features/provisions/rules';
import { statusOf } from '../../lambdas/http/problems';
import { parseCatalogue, profiles } from '../../policy/catalogue';

/** The littleone catalogue with one recipient named for the statistics purpose. */
const c = parseCatalogue({
  ...structuredClone(profiles.littleone),
  thirdParties: {
    analytics: {
      name: 'Analytics Co',
      contact: 'privacy@analytics.example',
      purposes: ['statistics'],
      items: ['userName'],
      source: 'test',
    },
  },
});
const now = new Date('2026-06-01T00:00:00Z');

function member(options: { statistics?: boolean; restriction?: string; frozen?: string } = {}): MemberData {
  return {
    profile: {
      pk: 'M#m',
      sk: 'PROFILE',
      memberId: 'm',
      status: 'active',
      signInMethod: 'apple',
      joinedAt: '2026-01-01T00:00:00Z',
      policyVersion: '1.0',
      items: { userName: 'sealed', email: 'sealed' },
      consents: {
        statistics: { granted: options.statistics ?? false, at: '', policyVersion: '1.0', channel: 'app' },
      },
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

const byConsent = (items: string[] = ['userName']): ProvisionRequest => ({
  memberId: 'm',
  recipient: { name: 'Analytics Co', contact: 'privacy@analytics.example' },
  items,
  purpose: 'statistics',
  basis: { type: 'consent' },
});

describe('provision rules', () => {
  it('L5: allows a provision the member consented to, for that recipient and purpose', () => {
    expect(provisionRefusal(c, member({ statistics: true }), byConsent(), now)).toBeUndefined();
  });

  it('L5: refuses when the member has not consented to the purpose', () => {
    expect(provisionRefusal(c, member(), byConsent(), now)?.title).toBe('No consent to this provision');
  });

  it('L5: refuses a recipient the policy does not name, even with the purpose consented to', () => {
    const other = { ...byConsent(), recipient: { name: 'Data Broker', contact: 'x@broker.example' } };
    expect(provisionRefusal(c, member({ statistics: true }), other, now)?.title).toBe(
      'No consent to this provision',
    );
  });

  it('L5: refuses items the consent to the recipient does not cover', () => {
    expect(
      provisionRefusal(c, member({ statistics: true }), byConsent(['userName', 'email']), now)?.title,
    ).toBe('Items outside the consent');
  });

  it('L5: allows a recorded legal basis without consent', () => {
    const legal: ProvisionRequest = {
      ...byConsent(['email']),
      recipient: { name: 'Police', contact: 'cyber@police.example' },
      basis: { type: 'legal-obligation', reference: 'warrant 1' },
    };
    expect(provisionRefusal(c, member(), legal, now)).toBeUndefined();
  });

  it('L15: refuses an item under correction, whatever the basis', () => {
    expect(
      provisionRefusal(c, member({ statistics: true, frozen: 'userName' }), byConsent(), now)?.title,
    ).toBe('Item under correction');
  });

  it('L16: refuses a member who restricted provision or all processing, but not optional purposes only', () => {
    expect(
      statusOf(provisionRefusal(c, member({ statistics: true, restriction: 'provision' }), byConsent(), now)),
    ).toBe(409);
    expect(
      statusOf(provisionRefusal(c, member({ statistics: true, restriction: 'all' }), byConsent(), now)),
    ).toBe(409);
    expect(
      provisionRefusal(c, member({ statistics: true, restriction: 'optional-purposes' }), byConsent(), now),
    ).toBeUndefined();
  });

  it('L5: a catalogue may only name recipients for purposes resting on consent', () => {
    const input = structuredClone(profiles.littleone) as unknown as Record<string, unknown>;
    input.thirdParties = {
      x: { name: 'X', contact: 'x@x.example', purposes: ['membership'], items: ['userName'], source: 'test' },
    };
    expect(() => parseCatalogue(input, 'profile t')).toThrowError(
      /profile t: thirdParties\.x\.purposes: "membership" must be a purpose resting on consent/,
    );
  });
});
