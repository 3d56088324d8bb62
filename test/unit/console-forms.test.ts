import { describe, expect, it } from 'vitest';
import { earliestEffectiveDate as apiEarliest } from '../../lambdas/features/policy-versions/rules';
import { loadCatalogue } from '../../policy/catalogue';
import {
  actionBody,
  actionsFor,
  blankAction,
  blankIntake,
  blankProvision,
  earliestEffectiveDate,
  extensionBody,
  fromSeoulInput,
  intakeBody,
  itemList,
  noticeLeadDays,
  provisionBody,
  publishBody,
  seoulInputValue,
  validateAction,
  validateExtension,
  validateIntake,
  validateProvision,
  validatePublish,
  validateReason,
} from '../../web/console/forms';

/** 30 November 2026, 23:30 in Seoul. */
const NOW = new Date('2026-11-30T14:30:00Z');

describe('offline intake', () => {
  it('starts received now, in Seoul wall-clock time, under PIPA, unverified', () => {
    expect(blankIntake(NOW)).toMatchObject({
      receivedAt: '2026-11-30T23:30',
      jurisdiction: 'pipa',
      verified: false,
    });
    expect(seoulInputValue(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01T00:00');
    expect(fromSeoulInput('2026-11-30T23:30')).toBe('2026-11-30T23:30:00+09:00');
    expect(fromSeoulInput('30/11/2026')).toBeUndefined();
  });

  it('names every missing field by its API path, the verification only when it is recorded at intake', () => {
    const blank = blankIntake(NOW);
    expect(validateIntake(blank, NOW)).toEqual({
      memberId: 'required',
      type: 'required',
      channel: 'required',
    });
    expect(validateIntake({ ...blank, verified: true }, NOW)).toMatchObject({
      'verification.method': 'required',
      'verification.reference': 'required',
    });
    expect(validateIntake({ ...blank, memberId: 'a b', reference: ' ' }, NOW).memberId).toBe('member-id');
    expect(validateIntake({ ...blank, receivedAt: '2026-12-01T09:00' }, NOW).receivedAt).toBe('in-future');
    expect(validateIntake({ ...blank, receivedAt: '' }, NOW).receivedAt).toBe('date');
    expect(
      validateIntake({ ...blank, verified: true, method: 'in-person', reference: 'x'.repeat(201) }, NOW)[
        'verification.reference'
      ],
    ).toBe('too-long');
  });

  it('sends a complete intake as the API takes it, trimmed, with the Seoul offset', () => {
    const draft = {
      ...blankIntake(NOW),
      memberId: ' m1 ',
      type: 'deletion' as const,
      channel: 'letter' as const,
      receivedAt: '2026-11-20T10:00',
      verified: true,
      method: 'identity-document' as const,
      reference: ' ID card checked at the counter ',
    };
    expect(validateIntake(draft, NOW)).toEqual({});
    expect(intakeBody(draft)).toEqual({
      memberId: 'm1',
      type: 'deletion',
      channel: 'letter',
      receivedAt: '2026-11-20T10:00:00+09:00',
      jurisdiction: 'pipa',
      verification: { method: 'identity-document', reference: 'ID card checked at the counter' },
    });
    expect(intakeBody({ ...draft, verified: false })).not.toHaveProperty('verification');
  });
});

describe('acting on a request', () => {
  it('offers the actions that answer the request, and refusal', () => {
    expect(actionsFor('deletion')).toEqual(['delete', 'refuse']);
    expect(actionsFor('access')).toEqual(['view', 'export', 'refuse']);
    expect(actionsFor('nonsense')).toEqual(['refuse']);
  });

  it('asks for the reason each action needs, and sends only the chosen action’s fields', () => {
    const blank = blankAction();
    expect(validateAction(blank)).toEqual({ action: 'required' });
    expect(validateAction({ ...blank, action: 'export' })).toEqual({ downloadReason: 'required' });
    expect(validateAction({ ...blank, action: 'refuse', reason: ' ' })).toEqual({ reason: 'required' });
    expect(validateAction({ ...blank, action: 'restrict' })).toEqual({
      scope: 'required',
      reason: 'required',
    });
    expect(validateAction({ ...blank, action: 'correct', item: 'email' })).toEqual({
      'items.email': 'required',
    });
    expect(validateAction({ ...blank, action: 'delete' })).toEqual({});
    const filled = { ...blank, reason: 'stale', downloadReason: 'letter of 20 Nov', purpose: 'marketing' };
    expect(actionBody({ ...filled, action: 'delete' })).toEqual({ action: 'delete' });
    expect(actionBody({ ...filled, action: 'export' })).toEqual({
      action: 'export',
      downloadReason: 'letter of 20 Nov',
    });
    expect(actionBody({ ...filled, action: 'withdraw-consent' })).toEqual({
      action: 'withdraw-consent',
      purpose: 'marketing',
    });
    expect(actionBody({ ...filled, action: 'correct', item: 'email', value: ' a@b.kr ' })).toEqual({
      action: 'correct',
      items: { email: 'a@b.kr' },
    });
  });

  it('extends by whole months from 1 to 12, with a reason', () => {
    expect(validateExtension({ months: '', reason: '' })).toEqual({ months: 'required', reason: 'required' });
    expect(validateExtension({ months: '1.5', reason: 'x' })).toEqual({ months: 'required' });
    expect(validateExtension({ months: '13', reason: 'x' })).toEqual({ months: 'required' });
    expect(validateExtension({ months: '2', reason: 'many records' })).toEqual({});
    expect(extensionBody({ months: '2', reason: ' many records ' })).toEqual({
      months: 2,
      reason: 'many records',
    });
    expect(validateReason('x'.repeat(501))).toEqual({ reason: 'too-long' });
  });
});

describe('provisions', () => {
  it('needs a reference for every basis but consent', () => {
    const draft = {
      ...blankProvision(),
      memberId: 'm1',
      recipientName: 'Seoul Police',
      recipientContact: 'cyber@police.example',
      items: 'name, email  email',
      purpose: 'membership',
    };
    expect(validateProvision(draft)).toEqual({ 'basis.reference': 'required' });
    expect(validateProvision({ ...draft, basis: 'consent' })).toEqual({});
    expect(validateProvision({ ...blankProvision() })).toMatchObject({
      memberId: 'required',
      'recipient.name': 'required',
      'recipient.contact': 'email',
      items: 'required',
      purpose: 'required',
    });
    expect(itemList('name, email  email')).toEqual(['name', 'email']);
    expect(provisionBody({ ...draft, reference: 'warrant 2026-77' })).toEqual({
      memberId: 'm1',
      recipient: { name: 'Seoul Police', contact: 'cyber@police.example' },
      items: ['name', 'email'],
      purpose: 'membership',
      basis: { type: 'legal-obligation', reference: 'warrant 2026-77' },
    });
  });
});

describe('publishing a policy version (7-day rule)', () => {
  it('counts the earliest effective date as the API does, from the Seoul day', () => {
    for (const profile of ['littleone', 'lgcns']) {
      const c = loadCatalogue(profile);
      expect(noticeLeadDays(c)).toBe(c.policyChange.noticeLead.days);
      for (const now of [NOW, new Date('2026-11-30T15:30:00Z'), new Date('2027-02-25T03:00:00Z')]) {
        expect(earliestEffectiveDate(now, noticeLeadDays(c))).toBe(
          apiEarliest(now, c.policyChange.noticeLead),
        );
      }
    }
    expect(earliestEffectiveDate(NOW)).toBe('2026-12-07');
  });

  it('refuses an effective date inside the notice lead, and a catalogue that is no JSON object', () => {
    const catalogue = JSON.stringify(loadCatalogue('littleone'));
    const draft = { catalogue, effectiveDate: '2026-12-06', summary: 'A new retention period' };
    expect(validatePublish(draft, NOW)).toEqual({ effectiveDate: 'too-early' });
    expect(validatePublish({ ...draft, effectiveDate: '2026-12-07' }, NOW)).toEqual({});
    expect(validatePublish({ catalogue: '[1]', effectiveDate: 'soon', summary: '' }, NOW)).toEqual({
      catalogue: 'json',
      effectiveDate: 'date',
      summary: 'required',
    });
    expect(publishBody({ ...draft, effectiveDate: '2026-12-07' })).toMatchObject({
      effectiveDate: '2026-12-07',
      summary: 'A new retention period',
      catalogue: { policy: expect.any(Object) },
    });
  });
});
