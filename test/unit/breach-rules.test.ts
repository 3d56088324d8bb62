/** The breach rules (PIPA Art. 34, Enforcement Decree Arts. 39-40; GDPR Arts. 33-34), pure. */
import { describe, expect, it } from 'vitest';
import {
  type BreachRecord,
  breachNoticeText,
  breachReport,
  clocksOf,
  closeRefusal,
  deadlineCounts,
  languageOf,
  type NoticeProgress,
  regulatorsFor,
  reportHtml,
  reportMarkdown,
  shownAt,
} from '../../lambdas/features/breaches/rules';
import { loadCatalogue, parseCatalogue } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';

const lgcns = loadCatalogue('lgcns');
const littleone = loadCatalogue('littleone');
const HOUR = 3_600_000;
const DISCOVERED = '2027-11-30T18:00:00.000Z';

const facts = (over: Partial<Parameters<typeof regulatorsFor>[1]> = {}) => ({
  members: 10,
  items: ['email'],
  outsideAttack: false,
  euMembers: false,
  ...over,
});
const ids = (c: Catalogue, f: ReturnType<typeof facts>) => regulatorsFor(c, f).map((r) => r.regulator.id);

const breach = (over: Partial<BreachRecord> = {}): BreachRecord => ({
  breachId: '0f7a3c52-9d1e-5b4a-8c3f-2e6d9a1b7c40',
  recordedAt: DISCOVERED,
  recordedBy: 'officer-1',
  discoveredAt: DISCOVERED,
  items: ['email'],
  cause: {
    outsideAttack: false,
    description: { ko: '설정 오류 | 공개', en: 'A misconfiguration | public <b>' },
  },
  measures: { ko: '차단함', en: 'Blocked' },
  affected: { kind: 'all' },
  euMembers: false,
  segments: 8,
  status: 'open',
  filings: [],
  ...over,
});
const progress = (over: Partial<NoticeProgress> = {}): NoticeProgress => ({
  found: true,
  identified: 10,
  sent: 10,
  undeliverable: 0,
  gone: 0,
  waiting: 0,
  lastAt: '2027-12-01T00:00:00.000Z',
  ...over,
});

describe('the regulator a breach is reported to (PIPA Art. 34(3), Enforcement Decree Art. 40(1))', () => {
  it('Enforcement Decree Art. 40(1): 999 members owe no report, 1,000 go to the PIPC', () => {
    for (const c of [lgcns, littleone]) {
      expect(ids(c, facts({ members: 999 }))).toEqual([]);
      expect(ids(c, facts({ members: 1000 }))).toEqual(['pipc']);
    }
  });

  it('Enforcement Decree Art. 40(1): an outside attack on a few members goes to KISA; with 1,000 or more, the PIPC only', () => {
    expect(ids(lgcns, facts({ outsideAttack: true }))).toEqual(['kisa']);
    expect(ids(lgcns, facts({ outsideAttack: true, members: 5000 }))).toEqual(['pipc']);
  });

  it('PIPA Arts. 23-24: sensitive or identification items named by the catalogue go to the PIPC whatever the count', () => {
    const input = structuredClone(lgcns) as Catalogue;
    const c = parseCatalogue({
      ...input,
      breach: { ...input.breach, sensitiveItems: ['mobilePhone'], identificationItems: ['name'] },
    });
    expect(ids(c, facts({ items: ['mobilePhone'] }))).toEqual(['pipc']);
    expect(ids(c, facts({ items: ['name'] }))).toEqual(['pipc']);
    expect(ids(c, facts({ items: ['email'] }))).toEqual([]);
  });

  it('GDPR Art. 33(1): EU members add the supervisory authority where the catalogue names one (lgcns), and none where it does not (littleone)', () => {
    expect(ids(lgcns, facts({ euMembers: true, members: 2000 }))).toEqual([
      'pipc',
      'eu-supervisory-authority',
    ]);
    expect(ids(littleone, facts({ euMembers: true }))).toEqual([]);
  });

  it('rejects a catalogue whose breach lists name an unknown item', () => {
    expect(() =>
      parseCatalogue({ ...lgcns, breach: { ...lgcns.breach, sensitiveItems: ['no-such-item'] } }),
    ).toThrow(/breach.sensitiveItems names unknown item "no-such-item"/);
  });
});

describe('the two 72-hour clocks (PIPA Art. 34; GDPR Art. 33(1))', () => {
  it('PIPA Art. 34: counts a clock near 1 hour before its deadline (71 h) and missed after it (73 h)', () => {
    const open = breach({ cause: { outsideAttack: true, description: { ko: 'x', en: 'x' } } });
    const waiting = progress({ sent: 0, waiting: 10, lastAt: undefined });
    const at = (h: number) => new Date(new Date(DISCOVERED).getTime() + h * HOUR);
    const counts = (h: number) => {
      const { members, regulator } = clocksOf(lgcns, open, waiting, at(h));
      return deadlineCounts(lgcns, [members, regulator], at(h));
    };
    expect(counts(70)).toEqual({ near: 0, missed: 0 });
    expect(counts(71)).toEqual({ near: 2, missed: 0 });
    expect(counts(73)).toEqual({ near: 0, missed: 2 });
  });

  it('GDPR Art. 33(1): a breach closes without a reason only when both clocks were met in time', () => {
    const now = new Date('2027-12-05T00:00:00Z');
    const met = clocksOf(lgcns, breach(), progress(), now);
    expect(met.regulator.state).toBe('not-required');
    expect(closeRefusal(met, undefined)).toBeUndefined();
    const late = clocksOf(lgcns, breach(), progress({ lastAt: '2027-12-04T00:00:00.000Z' }), now);
    expect(late.members.state).toBe('late');
    expect(closeRefusal(late, undefined)).toMatch(/needs a reason/);
    expect(closeRefusal(late, 'Addresses were restored from backup on day 4.')).toBeUndefined();
  });
});

describe('what a member is told (PIPA Art. 34(1))', () => {
  it("PIPA Art. 34(1): names the items, the times in Asia/Seoul, the cause, what we did, what to do and whom to contact, in the member's language", () => {
    const ko = breachNoticeText(lgcns, breach(), languageOf({}));
    expect(ko.text).toContain('2027년 12월 1일 03:00 KST');
    for (const part of [
      lgcns.items.email!.label.ko,
      '설정 오류',
      '차단함',
      lgcns.breach.memberActions.ko,
      lgcns.contacts.officer.email!,
    ]) {
      expect(ko.text).toContain(part);
    }
    const en = breachNoticeText(lgcns, breach(), languageOf({ lang: 'en' }));
    expect(en.text).toContain('1 December 2027, 03:00 KST');
    expect(en.text).toContain(lgcns.breach.helpDesk.en);
    expect(en.text).toContain(lgcns.items.email!.label.en);
    expect(`${ko.subject}${ko.text}${en.subject}${en.text}`).not.toContain('[object Object]');
    expect(languageOf({ lang: 'fr' })).toBe('ko');
    expect(shownAt('2027-12-31T15:30:00Z', 'en')).toBe('1 January 2028, 00:30 KST');
  });
});

describe("the regulator's report (Enforcement Decree Art. 40(2); GDPR Art. 33(3))", () => {
  it('Enforcement Decree Art. 40: renders every item in Korean and English, escaped for Markdown and HTML', () => {
    const report = breachReport(
      lgcns,
      breach(),
      progress({ identified: 1200, sent: 1200 }),
      new Date(DISCOVERED),
    );
    expect(report.authorities.map((a) => a.id)).toEqual(['pipc']);
    const md = reportMarkdown(report);
    expect(md).toContain('# 개인정보 유출 신고서');
    expect(md).toContain('# Personal-data breach report');
    expect(md).toContain('A misconfiguration \\| public <b>');
    const html = reportHtml(report);
    expect(html).toContain('A misconfiguration | public &lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('개인정보보호위원회');
  });
});
