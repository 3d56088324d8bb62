import { describe, expect, it } from 'vitest';
import {
  activeBucket,
  destroyDueAt,
  type InactivityState,
  type NoticedState,
  nextStep,
  noticeDueAt,
  noticeText,
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

describe('the inactivity notice', () => {
  const destroyAt = new Date('2027-11-01T03:00:00+09:00');

  it('G9, L9, L10: names each record kept after destruction with its period and its basis, law or internal policy', () => {
    const c = loadCatalogue('littleone');
    const { text } = noticeText(
      c,
      {
        profile: { items: { userName: 'x', email: 'x', appleMemberNumber: 'x' }, lang: 'en' },
        babies: [{}],
        records: [{ retentionClass: 'payment-records', createdAt: '2027-03-02T10:00:00Z' }],
      },
      destroyAt,
    );
    const kept = text.slice(text.indexOf('We keep, in a separate store'));
    expect(kept).toContain(
      '- Email address (Email of a withdrawn member): kept 1 year, until 1 November 2028, only for responding to customer inquiries related to the withdrawal; required by our internal policy, not by a law; then destroyed.',
    );
    expect(kept).toContain(
      '- Your membership: dates, policy version and consent decisions (Records related to contracts or withdrawals): kept 5 years, until 1 November 2032, only for compliance with the law that requires keeping it; required by law (Act on Consumer Protection in Electronic Commerce, etc.); then destroyed.',
    );
    expect(kept).toContain(
      '- Product purchase history in the service, 1 record (Records of payment of goods): kept 5 years from each record, until 2 March 2032, only for compliance with the law that requires keeping it; required by law (Act on Consumer Protection in Electronic Commerce, etc.); then destroyed.',
    );
    expect(text).not.toMatch(/\.,|\.\./);
    expect(text).not.toContain('What a law requires');
    expect(text).toContain('Unless you sign in before then, on 1 November 2027, 03:00 KST we will destroy:');
    expect(text).toContain('- the records of 1 baby profile\n');
  });

  it('G9: is written in Korean for a member who reads Korean, with Seoul dates and fitting particles', () => {
    const c = loadCatalogue('littleone');
    const { subject, text } = noticeText(
      c,
      {
        profile: { items: { userName: 'x', email: 'x' } },
        babies: [{}, {}],
        records: [{ retentionClass: 'payment-records', createdAt: '2027-03-02T10:00:00Z' }],
      },
      destroyAt,
    );
    expect(subject).toBe('[리틀원] 장기 미이용으로 계정이 파기될 예정입니다');
    expect(text).toContain('오랫동안 리틀원을 이용하지 않으셨습니다.');
    expect(text).toContain('그 전에 로그인하지 않으시면 2027년 11월 1일 03:00 KST에 다음 정보를 파기합니다:');
    expect(text).toContain('- 사용자 이름\n- 이메일 주소\n- 아기 프로필 2건의 기록');
    expect(text).toContain(
      '- 이메일 주소 (탈퇴 회원의 이메일): 1년 동안 2028년 11월 1일까지 보관하며, 탈퇴와 관련한 고객 문의 응대 목적으로만 이용합니다. 법령이 아닌 회사 내부 방침에 따른 보존이며, 그 후 파기합니다.',
    );
    expect(text).toContain(
      '- 서비스 내 상품 구매 내역, 1건 (대금결제 및 재화 등의 공급에 관한 기록): 각 기록 생성일부터 5년 동안 2032년 3월 2일까지 보관하며, 보존을 요구하는 법령의 준수 목적으로만 이용합니다. 전자상거래 등에서의 소비자보호에 관한 법률에 따른 보존이며, 그 후 파기합니다.',
    );
  });

  it('G9: lgcns keeps nothing after destruction and says so without a retention section', () => {
    const c = loadCatalogue('lgcns');
    const { text } = noticeText(
      c,
      { profile: { items: { loginId: 'x', name: 'x', email: 'x' }, lang: 'en' }, babies: [], records: [] },
      destroyAt,
    );
    expect(text).toContain('- ID\n- Name\n- Email address');
    expect(text).not.toContain('We keep');
    expect(text).not.toMatch(/\.,|\.\./);
  });
});
