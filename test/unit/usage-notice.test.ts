import { describe, expect, it } from 'vitest';
import {
  coveredYear,
  noticeDueAt,
  owesNotice,
  type UsageSubject,
  usageContent,
  usageNoticeText,
  yearDueAt,
} from '../../lambdas/features/usage-notice/rules';
import { jobsOf } from '../../model/workloads';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';

const clone = <T>(v: T): T => structuredClone(v);
const c = loadCatalogue('lgcns');
const rule = c.usageNotice;
const seoul = (iso: string) => new Date(`${iso}+09:00`);

describe('the annual usage notice catalogue (PIPA Art. 20-2)', () => {
  it.each(
    Object.keys(profiles),
  )('PIPA Art. 20-2: %s states it, with the thresholds of the decree and a due day', (name) => {
    const notice = loadCatalogue(name).usageNotice;
    expect(notice.thresholds).toEqual({ members: 1_000_000, sensitiveOrIdentification: 50_000 });
    expect(notice.basis.ko.length).toBeGreaterThan(10);
    expect(notice.basis.en.length).toBeGreaterThan(10);
    expect(notice.channel).toBe('email');
    expect(jobsOf(loadCatalogue(name))).toContain('usageNotice');
  });

  it('Enforcement Decree Art. 15-3: refuses thresholds laxer than the law, naming the entry', () => {
    const input = clone(profiles.lgcns) as unknown as { usageNotice: { thresholds: { members: number } } };
    input.usageNotice.thresholds.members = 2_000_000;
    expect(() => parseCatalogue(input, 'profile x')).toThrowError(
      /profile x: invalid entry usageNotice\.thresholds\.members: must be at most 1000000 \(Enforcement Decree Art\. 15-3\(1\)\)/,
    );
  });

  it('refuses a due day some month lacks, and an unknown applicability', () => {
    const late = clone(profiles.lgcns) as unknown as { usageNotice: { due: { day: number } } };
    late.usageNotice.due.day = 31;
    expect(() => parseCatalogue(late)).toThrowError(
      /invalid entry usageNotice\.due\.day: must be at most 28, a day every month has/,
    );
    const odd = clone(profiles.lgcns) as unknown as { usageNotice: { applicability: string } };
    odd.usageNotice.applicability = 'maybe';
    expect(() => parseCatalogue(odd)).toThrowError(
      /invalid entry usageNotice\.applicability: expected one of/,
    );
  });

  it('PIPA Art. 20-2: a profile not subject to it has no job', () => {
    const input = clone(profiles.lgcns) as unknown as { usageNotice: { applicability: string } };
    input.usageNotice.applicability = 'not-subject';
    const notSubject = parseCatalogue(input);
    expect(jobsOf(notSubject)).not.toContain('usageNotice');
    expect(yearDueAt(notSubject.usageNotice, seoul('2031-06-01T10:00:00'))).toBeUndefined();
  });
});

describe('which year a run covers (PIPA Art. 20-2)', () => {
  it('covers a Seoul calendar year, from midnight to midnight', () => {
    const y = coveredYear(2031);
    expect(y.from.toISOString()).toBe('2030-12-31T15:00:00.000Z');
    expect(y.until.toISOString()).toBe('2031-12-31T15:00:00.000Z');
  });

  it("is due from the catalogue's month and day of the next year, in Seoul", () => {
    expect(noticeDueAt(rule, 2031).toISOString()).toBe(
      seoul(
        `2032-${String(rule.due.month).padStart(2, '0')}-${String(rule.due.day).padStart(2, '0')}T00:00:00`,
      ).toISOString(),
    );
  });

  it('runs the previous year from its due day on, and the year before until then', () => {
    const due = noticeDueAt(rule, 2031);
    expect(yearDueAt(rule, due)?.year).toBe(2031);
    expect(yearDueAt(rule, new Date(due.getTime() - 1))?.year).toBe(2030);
    expect(yearDueAt(rule, seoul('2032-12-31T23:59:00'))?.year).toBe(2031);
  });
});

describe('who is owed the notice (PIPA Art. 20-2)', () => {
  const year = coveredYear(2031);
  const member = (over: Partial<Parameters<typeof owesNotice>[0]> = {}) => ({
    status: 'active',
    joinedAt: '2031-05-01T00:00:00.000Z',
    ...over,
  });

  it('owes a member of the year who is not yet noticed, restricted or suspended alike', () => {
    expect(owesNotice(member(), year)).toBe(true);
    expect(owesNotice(member({ status: 'suspended' }), year)).toBe(true);
  });

  it('owes nothing to a member who joined after the year, or is withdrawing', () => {
    expect(owesNotice(member({ joinedAt: year.until.toISOString() }), year)).toBe(false);
    expect(owesNotice(member({ status: 'withdrawing' }), year)).toBe(false);
  });

  it('owes nothing once the year is settled, sent or undeliverable; a claim in flight is still owed', () => {
    expect(owesNotice(member({ usageNotice: { year: 2031, state: 'sent' } }), year)).toBe(false);
    expect(owesNotice(member({ usageNotice: { year: 2031, state: 'undeliverable' } }), year)).toBe(false);
    expect(owesNotice(member({ usageNotice: { year: 2031, state: 'sending' } }), year)).toBe(true);
    expect(owesNotice(member({ usageNotice: { year: 2030, state: 'sent' } }), year)).toBe(true);
  });
});

describe('what the notice says (PIPA Art. 20-2)', () => {
  const year = coveredYear(2031);
  const granted = (at: string) => ({ granted: true, at });
  const subject = (over: Partial<UsageSubject> = {}): UsageSubject => ({
    profile: {
      items: { loginId: 'x', name: 'x', email: 'x' },
      consents: { membership: granted('2030-01-01T00:00:00Z') },
    },
    babies: [],
    consentHistory: [],
    records: [],
    provisions: [],
    ...over,
  });

  it('lists the required purposes with the items held for each, and no optional purpose never consented to', () => {
    const content = usageContent(c, subject(), year);
    const purposes = content.purposes.map((p) => p.purpose);
    expect(purposes).toContain('membership');
    expect(purposes).not.toContain('statistics');
    const membership = content.purposes.find((p) => p.purpose === 'membership')!;
    expect(membership.items).toEqual(expect.arrayContaining(['name', 'email']));
    expect(membership.items.every((id) => c.items[id]!.purposes.includes('membership'))).toBe(true);
  });

  it('lists an optional purpose whose consent stood at some time in the year, and not one withdrawn before it', () => {
    const history = (events: [boolean, string][]) =>
      events.map(([g, at]) => ({ purpose: 'statistics', granted: g, at }));
    const withRecords = (consentHistory: UsageSubject['consentHistory']) =>
      subject({
        consentHistory,
        records: [
          {
            itemId: Object.keys(c.items).find((id) => c.items[id]!.purposes.includes('statistics'))!,
            createdAt: '2031-02-01T00:00:00Z',
          },
        ],
      });
    const listed = (s: UsageSubject) =>
      usageContent(c, s, year).purposes.some((p) => p.purpose === 'statistics');
    expect(listed(withRecords(history([[true, '2031-03-01T00:00:00Z']])))).toBe(true);
    expect(
      listed(
        withRecords(
          history([
            [true, '2029-03-01T00:00:00Z'],
            [false, '2030-06-01T00:00:00Z'],
          ]),
        ),
      ),
    ).toBe(false);
    expect(
      listed(
        withRecords(
          history([
            [true, '2029-03-01T00:00:00Z'],
            [false, '2031-06-01T00:00:00Z'],
          ]),
        ),
      ),
    ).toBe(true);
    expect(listed(withRecords(history([[true, '2032-01-02T00:00:00Z']])))).toBe(false);
  });

  it("tells the year's provisions only, oldest first, each with its items, day and basis", () => {
    const provision = (recipient: string, at: string, basis = 'contract') => ({
      recipient,
      items: ['email'],
      purpose: 'inquiries',
      basis,
      ...(basis === 'consent' ? {} : { legalReference: 'Contract §4' }),
      at,
    });
    const content = usageContent(
      c,
      subject({
        provisions: [
          provision('Later', '2031-11-01T00:00:00Z'),
          provision('Before', '2030-12-31T14:59:59Z'),
          provision('Earlier', '2031-02-01T00:00:00Z', 'consent'),
        ],
      }),
      year,
    );
    expect(content.provisions.map((p) => p.recipient)).toEqual(['Earlier', 'Later']);
    const ko = usageNoticeText(c, content, year, 'ko').text;
    expect(ko).toContain('Earlier에게 이메일 주소를');
    expect(ko).toContain('(근거: 회원님의 동의)');
    expect(ko).toContain('(근거: 계약의 이행 (Contract §4))');
    expect(ko).toContain('2031년 1월 1일부터 2031년 12월 31일까지');
    const en = usageNoticeText(c, content, year, 'en').text;
    expect(en).toContain('to Later, for');
    expect(en).toContain('(basis: your consent)');
    expect(en).toContain('from 1 January 2031 to 31 December 2031');
  });

  it('says so when nothing was provided, in either language, with a Korean particle after the service name', () => {
    const content = usageContent(c, subject(), year);
    const ko = usageNoticeText(c, content, year, 'ko');
    expect(ko.subject).toBe(`[${c.operator.service.ko}] 개인정보 이용내역 연간 통지 (2031년)`);
    expect(ko.text).toContain('제3자에게 제공하지 않았습니다');
    expect(ko.text).toMatch(new RegExp(`^${c.operator.service.ko}(은|는) 2031년 1월 1일부터`));
    expect(ko.text).toContain('(개인정보 보호법 제20조의2)');
    const en = usageNoticeText(c, content, year, 'en');
    expect(en.text).toContain('provided to no third party');
    expect(en.subject).toContain('(2031)');
  });

  it('says the law requires it only of an operator that declares it required', () => {
    const content = usageContent(c, subject(), year);
    expect(c.usageNotice.applicability).toBe('voluntary');
    expect(usageNoticeText(c, content, year, 'en').text).toContain('of our own accord');
    expect(usageNoticeText(c, content, year, 'ko').text).toContain('자율적으로');
    const required = { ...c, usageNotice: { ...c.usageNotice, applicability: 'required' as const } };
    expect(usageNoticeText(required, content, year, 'en').text).toContain('as the law requires');
    expect(usageNoticeText(required, content, year, 'ko').text).toContain('법령에 따라 연 1회');
  });
});
