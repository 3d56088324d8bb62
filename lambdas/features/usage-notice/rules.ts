/**
 * The annual notice of usage history (PIPA Art. 20-2; Enforcement Decree Art. 15-3), pure: which
 * year a run at an instant covers, who is noticed, and what each member is told. Every notice
 * covers one Seoul calendar year and is due from the catalogue's month and day of the next year;
 * its content is read from the member's own records (purposes and consents, items held,
 * provisions to third parties), never typed in.
 */

import { seoulDateText, seoulDay, seoulMidnight } from '../../../model/calendar';
import { DEFAULT_LANGUAGE, type Language, listText } from '../../../policy/i18n';
import { particle } from '../../../policy/particles';
import type { Catalogue, ProvisionBasis, UsageNoticeRule } from '../../../policy/schema';

/** A Seoul calendar year as half-open instants: from its first midnight to the next year's. */
export interface CoveredYear {
  readonly year: number;
  readonly from: Date;
  readonly until: Date;
}

/** Midnight in Seoul of a day of the Seoul calendar. */
function midnight(year: number, month: number, day: number): Date {
  const pad = (n: number) => String(n).padStart(2, '0');
  return seoulMidnight(`${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`);
}

/** The Seoul calendar year `year`. */
export function coveredYear(year: number): CoveredYear {
  return { year, from: midnight(year, 1, 1), until: midnight(year + 1, 1, 1) };
}

/** When the notice of year `year` falls due: the catalogue's month and day of the year after, in Seoul. */
export function noticeDueAt(rule: UsageNoticeRule, year: number): Date {
  return midnight(year + 1, rule.due.month, rule.due.day);
}

/**
 * The year whose notice is the latest one due at `now`, or undefined when the profile sends
 * none. Before this year's due day that is the year before last, whose run a daily job may
 * still be finishing.
 */
export function yearDueAt(rule: UsageNoticeRule, now: Date): CoveredYear | undefined {
  if (rule.applicability === 'not-subject') return undefined;
  const seoulYear = Number(seoulDay(now).slice(0, 4));
  const year = now >= noticeDueAt(rule, seoulYear - 1) ? seoulYear - 1 : seoulYear - 2;
  return coveredYear(year);
}

/** A member's notice of one year, on their profile: claimed while it is being sent, then settled. */
export type UsageNoticeState =
  | {
      readonly year: number;
      readonly state: 'sending';
      readonly attemptId: string;
      /** Wall-clock time of the claim: a claim older than a delivery's lifetime may be taken over. */
      readonly claimedAt: string;
    }
  | {
      readonly year: number;
      readonly state: 'sent' | 'undeliverable';
      readonly delivery: 'sent' | 'suppressed' | 'no-address' | 'address-frozen';
      readonly attemptId: string;
      readonly at: string;
    };

/** The member facts deciding whether a year's notice is owed. */
export interface UsageNoticeFacts {
  readonly status: string;
  readonly joinedAt: string;
  readonly usageNotice?: { readonly year: number; readonly state: string };
}

/** Whether the member is owed the notice of `year`: a member during it, not withdrawing, not yet settled. */
export function owesNotice(member: UsageNoticeFacts, year: CoveredYear): boolean {
  if (member.status === 'withdrawing') return false;
  if (new Date(member.joinedAt) >= year.until) return false;
  const done = member.usageNotice;
  return !(done && done.year >= year.year && done.state !== 'sending');
}

/** What the content is read from: the member's profile, babies, consent history, records and provisions. */
export interface UsageSubject {
  readonly profile: {
    readonly items: Readonly<Record<string, string>>;
    readonly consents: Readonly<Record<string, { readonly granted: boolean; readonly at: string }>>;
    readonly lang?: Language;
  };
  readonly babies: readonly unknown[];
  readonly consentHistory: readonly {
    readonly purpose: string;
    readonly granted: boolean;
    readonly at: string;
  }[];
  readonly records: readonly { readonly itemId: string; readonly createdAt: string }[];
  readonly provisions: readonly {
    readonly recipient: string;
    readonly items: readonly string[];
    readonly purpose: string;
    readonly basis: string;
    readonly legalReference?: string;
    readonly at: string;
  }[];
}

/** One purpose the member's data was used for, with the items of theirs it used. */
export interface UsedPurpose {
  readonly purpose: string;
  readonly items: readonly string[];
}

/** One provision to a third party in the year. */
export interface ProvisionLine {
  readonly recipient: string;
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis: string;
  readonly legalReference?: string;
  readonly at: string;
}

/** What the notice of one year tells one member, as catalogue ids and recorded values. */
export interface UsageContent {
  readonly purposes: readonly UsedPurpose[];
  readonly provisions: readonly ProvisionLine[];
}

/**
 * Whether the member's consent to an optional purpose stood at some time in the year: the
 * decisions before the year's end, in order; the one in force at its start, and every later one.
 */
function consentStoodIn(data: UsageSubject, purpose: string, year: CoveredYear): boolean {
  const until = year.until.toISOString();
  const from = year.from.toISOString();
  const decisions = data.consentHistory
    .filter((e) => e.purpose === purpose && e.at < until)
    .sort((a, b) => a.at.localeCompare(b.at));
  const current = data.profile.consents[purpose];
  // The profile's state is the last decision; older histories may lack its event.
  if (current && current.at < until && !decisions.some((d) => d.at === current.at)) {
    decisions.push({ purpose, granted: current.granted, at: current.at });
    decisions.sort((a, b) => a.at.localeCompare(b.at));
  }
  const before = decisions.filter((d) => d.at < from).at(-1);
  if (before?.granted) return true;
  return decisions.some((d) => d.at >= from && d.granted);
}

/** The items the member holds: on the profile, on their babies, and in service records made before the year's end. */
function heldItems(c: Catalogue, data: UsageSubject, year: CoveredYear): Set<string> {
  const held = new Set(Object.keys(data.profile.items));
  if (data.babies.length > 0) {
    for (const [id, item] of Object.entries(c.items)) if (item.subject === 'baby') held.add(id);
  }
  const until = year.until.toISOString();
  for (const r of data.records) if (r.createdAt < until) held.add(r.itemId);
  return held;
}

/**
 * What the notice of `year` tells a member: each purpose their data was used for (the required
 * ones, and each optional one their consent stood for at some time in the year) with the items
 * of theirs declared for it, in catalogue order; and each provision to a third party recorded in
 * the year, oldest first.
 */
export function usageContent(c: Catalogue, data: UsageSubject, year: CoveredYear): UsageContent {
  const held = heldItems(c, data, year);
  const purposes: UsedPurpose[] = [];
  for (const [purposeId, purpose] of Object.entries(c.purposes)) {
    if (!purpose.required && !consentStoodIn(data, purposeId, year)) continue;
    const items = Object.keys(c.items).filter(
      (id) => held.has(id) && c.items[id]!.purposes.includes(purposeId),
    );
    if (items.length > 0) purposes.push({ purpose: purposeId, items });
  }
  const from = year.from.toISOString();
  const until = year.until.toISOString();
  const provisions = data.provisions
    .filter((p) => p.at >= from && p.at < until)
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((p) => ({
      recipient: p.recipient,
      items: [...p.items],
      purpose: p.purpose,
      basis: p.basis,
      ...(p.legalReference ? { legalReference: p.legalReference } : {}),
      at: p.at,
    }));
  return { purposes, provisions };
}

/** How each basis of a provision reads. */
const BASES: Record<ProvisionBasis, { ko: string; en: string }> = {
  consent: { ko: '회원님의 동의', en: 'your consent' },
  'legal-obligation': { ko: '법령상 의무', en: 'a legal obligation' },
  contract: { ko: '계약의 이행', en: 'the performance of a contract' },
  'vital-interests': { ko: '생명·신체의 이익 보호', en: 'vital interests' },
  'legitimate-interests': { ko: '정당한 이익', en: 'legitimate interests' },
};

/** A recipient as recorded, in the reader's language where the catalogue names it. */
function recipientName(c: Catalogue, recorded: string, lang: Language): string {
  const party = Object.values(c.thirdParties).find((p) => p.name.ko === recorded || p.name.en === recorded);
  return party ? party.name[lang] : recorded;
}

/** The basis of a provision as the member reads it, with its reference when it is not consent. */
function basisText(p: ProvisionLine, lang: Language): string {
  const words = BASES[p.basis as ProvisionBasis]?.[lang] ?? p.basis;
  return p.legalReference ? `${words} (${p.legalReference})` : words;
}

/**
 * The notice of `year` to one member, in their language: the purposes and items, each third
 * party that received their data with what, when and on what basis, and whom to ask.
 */
export function usageNoticeText(
  c: Catalogue,
  content: UsageContent,
  year: CoveredYear,
  lang: Language = DEFAULT_LANGUAGE,
): { subject: string; text: string } {
  const service = c.operator.service[lang];
  const label = (id: string) => c.items[id]?.label[lang] ?? id;
  const purposeLabel = (id: string) => c.purposes[id]?.label[lang] ?? id;
  const officer = c.contacts.officer.email;
  const required = c.usageNotice.applicability === 'required';
  const first = seoulDateText(year.from, lang);
  const last = seoulDateText(new Date(year.until.getTime() - 1), lang);
  const purposes = content.purposes.map(
    (p) => `- ${purposeLabel(p.purpose)}: ${listText(p.items.map(label), lang)}`,
  );
  const provisions = content.provisions.map((p) => {
    const who = recipientName(c, p.recipient, lang);
    const what = listText(p.items.map(label), lang);
    const when = seoulDateText(new Date(p.at), lang);
    return lang === 'ko'
      ? `- ${when}: ${who}에게 ${particle(what, '을/를')} ${purposeLabel(p.purpose)} 목적으로 제공 (근거: ${basisText(p, lang)})`
      : `- ${when}: ${what} to ${who}, for ${purposeLabel(p.purpose)} (basis: ${basisText(p, lang)})`;
  });
  if (lang === 'ko') {
    const lines = [
      `${particle(service, '은/는')} ${first}부터 ${last}까지 회원님의 개인정보 이용내역을 알려 드립니다(개인정보 보호법 제20조의2).`,
      '',
      '이용 목적과 이용한 개인정보 항목:',
      ...(purposes.length > 0 ? purposes : ['- 없음']),
      '',
      '제3자 제공 내역:',
      ...(provisions.length > 0
        ? provisions
        : ['- 이 기간에 회원님의 개인정보를 제3자에게 제공하지 않았습니다.']),
      '',
      required
        ? '이 통지는 법령에 따라 연 1회 보내는 것으로, 광고가 아닙니다.'
        : '이 통지는 법령이 정한 기준에 해당하지 않더라도 회사가 자율적으로 연 1회 보내는 것으로, 광고가 아닙니다.',
      ...(officer ? [`문의: 개인정보 보호책임자 ${officer}`] : []),
    ];
    return { subject: `[${service}] 개인정보 이용내역 연간 통지 (${year.year}년)`, text: lines.join('\n') };
  }
  const lines = [
    `${service} tells you how your personal data was used from ${first} to ${last} (Personal Information Protection Act, Art. 20-2).`,
    '',
    'What it was used for, and which of your data:',
    ...(purposes.length > 0 ? purposes : ['- nothing']),
    '',
    'Third parties that received it:',
    ...(provisions.length > 0
      ? provisions
      : ['- none: your personal data was provided to no third party in this period.']),
    '',
    required
      ? 'This notice is sent once a year as the law requires; it is not advertising.'
      : 'We send this notice once a year of our own accord, though the law does not require it of us; it is not advertising.',
    ...(officer ? [`Questions: our privacy officer, ${officer}`] : []),
  ];
  return {
    subject: `${service}: your annual notice of personal data use (${year.year})`,
    text: lines.join('\n'),
  };
}
