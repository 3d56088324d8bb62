import { describe, expect, it } from 'vitest';
import {
  activeBucket,
  destroyDueAt,
  type InactivityState,
  type NoticedState,
  nextStep,
  noticeDueAt,
} from '../../lambdas/features/inactivity/rules';
import { shiftInSeoul } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';

const DAY = 86_400_000;
/** Last sign-in at 02:00 Seoul time, so the 03:00 daily run of day N is N days and an hour later. */
const signIn = new Date('2026-11-01T02:00:00+09:00');
const dayRun = (n: number) => new Date(signIn.getTime() + n * DAY + 3_600_000);

describe('Seoul calendar arithmetic', () => {
  it('G9: clamps a month past the 31st to the last day of the next month', () => {
    expect(shiftInSeoul(new Date('2027-01-31T08:00:00+09:00'), { months: 1 }).toISOString()).toBe(
      new Date('2027-02-28T08:00:00+09:00').toISOString(),
    );
  });

  it('G9: subtracts days and years on the Seoul calendar', () => {
    expect(shiftInSeoul(new Date('2028-02-29T05:00:00+09:00'), { years: 1, days: 1 }, -1).toISOString()).toBe(
      new Date('2027-02-27T05:00:00+09:00').toISOString(),
    );
  });
});

describe.each(['littleone', 'lgcns'] as const)('the inactivity rule (%s)', (profile) => {
  const rule = loadCatalogue(profile).inactivity;
  const member = (inactivity?: InactivityState) => ({
    lastSignInAt: signIn.toISOString(),
    ...(inactivity ? { inactivity } : {}),
  });
  const notifiedAt = (at: Date): NoticedState => ({
    state: 'notified',
    attemptId: 'a',
    attemptAt: at.toISOString(),
    delivery: 'sent',
    destroyAt: destroyDueAt(rule, signIn, at).toISOString(),
  });

  it('G9: the notice falls due the full period less the notice lead after the last sign-in', () => {
    expect(noticeDueAt(rule, signIn).toISOString()).toBe('2027-10-01T17:00:00.000Z');
    expect(activeBucket(rule, signIn)).toBe('2027-10-02');
  });

  it('G9: waits on day 334 and notifies on day 335 of a 365-day year', () => {
    expect(nextStep(rule, member(), dayRun(334))).toEqual({ kind: 'wait', until: noticeDueAt(rule, signIn) });
    expect(nextStep(rule, member(), dayRun(335))).toEqual({ kind: 'notify' });
  });

  it('G9: a notice on day 335 destroys on day 365, the full period, not a day before', () => {
    const state = notifiedAt(dayRun(335));
    expect(nextStep(rule, member(state), dayRun(364))).toMatchObject({ kind: 'wait' });
    expect(nextStep(rule, member(state), dayRun(365))).toEqual({ kind: 'destroy' });
    expect(state.destroyAt).toBe('2027-10-31T18:00:00.000Z');
  });

  it('G9: a notice attempted late (day 350) waits the minimum notice: destruction on day 380, not 365', () => {
    const state = notifiedAt(dayRun(350));
    expect(nextStep(rule, member(state), dayRun(379))).toMatchObject({ kind: 'wait' });
    expect(nextStep(rule, member(state), dayRun(380))).toEqual({ kind: 'destroy' });
  });

  it('G9: a stored destruction date earlier than the rule allows is never trusted', () => {
    const tampered: NoticedState = { ...notifiedAt(dayRun(350)), destroyAt: dayRun(360).toISOString() };
    expect(nextStep(rule, member(tampered), dayRun(370))).toMatchObject({ kind: 'wait' });
  });

  it('G9: an attempt whose outcome is unknown is retried rather than counted as a notice', () => {
    const notifying: InactivityState = {
      state: 'notifying',
      attemptId: 'a',
      attemptAt: dayRun(335).toISOString(),
    };
    expect(nextStep(rule, member(notifying), dayRun(400))).toEqual({ kind: 'notify' });
  });

  it('G9: a destruction once begun is finished', () => {
    const destroying: InactivityState = { ...notifiedAt(dayRun(335)), state: 'destroying' };
    expect(nextStep(rule, member(destroying), dayRun(365))).toEqual({ kind: 'destroy' });
  });

  it('G9: counts the year on the Seoul calendar, across a leap day, whatever the host zone', () => {
    const early = new Date('2027-03-01T01:00:00+09:00');
    expect(destroyDueAt(rule, early, early).toISOString()).toBe(
      new Date('2028-03-01T01:00:00+09:00').toISOString(),
    );
    expect(noticeDueAt(rule, early).toISOString()).toBe(new Date('2028-01-31T01:00:00+09:00').toISOString());
  });
});
