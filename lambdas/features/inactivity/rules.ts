/**
 * The inactivity rule (G9; littleone applies the same) as pure arithmetic on the catalogue's
 * periods. A member moves active → notifying → notified → destroying → (withdrawn); every
 * instant here is exact, so nobody is noticed or destroyed even an hour early, and the daily
 * job simply acts on the first run at or after each instant. The notice's text is written here
 * too, from the catalogue and the items the member holds.
 */

import {
  seoulClock,
  seoulDateText,
  seoulDateTimeText,
  seoulDay,
  seoulDaysEndingAt,
  shiftInSeoul,
} from '../../../model/calendar';
import { durationText, formatDuration } from '../../../policy/duration';
import { DEFAULT_LANGUAGE, type Language, listText } from '../../../policy/i18n';
import { particle } from '../../../policy/particles';
import type { Catalogue, RetentionClass } from '../../../policy/schema';
import { InvalidInput } from '../../runtime/errors';
import { type DatedRecord, recordsToRetain, retainedRecordClasses } from '../service-records/rules';

/** The catalogue's inactivity rule. */
export type InactivityRule = Catalogue['inactivity'];

/** How a notice attempt ended; anything but `sent` is recorded, and the clock still runs from it. */
export type NoticeDelivery = 'sent' | 'suppressed' | 'no-address' | 'address-frozen';

/** The inactivity state on a member's profile; absent while the member is simply active. */
export type InactivityState =
  | {
      /** A notice attempt is under way: the mail may or may not have gone out. */
      readonly state: 'notifying';
      readonly attemptId: string;
      readonly attemptAt: string;
      /** Until when (epoch ms, wall clock) the attempt's delivery holds it; absent on older claims. */
      readonly heldUntil?: number;
    }
  | {
      readonly state: 'notified' | 'destroying';
      readonly attemptId: string;
      /** When the notice was attempted; destruction waits the minimum notice from here. */
      readonly attemptAt: string;
      readonly delivery: NoticeDelivery;
      /** When the member is destroyed unless they sign in first. */
      readonly destroyAt: string;
    };

/** The state once a notice was attempted and its outcome recorded. */
export type NoticedState = Extract<InactivityState, { readonly state: 'notified' | 'destroying' }>;

/** When the notice is due: the full period after the last sign-in, less the notice lead. */
export function noticeDueAt(rule: InactivityRule, lastSignInAt: Date): Date {
  return shiftInSeoul(shiftInSeoul(lastSignInAt, rule.period), rule.noticeLead, -1);
}

/** When destruction is due for a notice attempted at `attemptAt`: never before the full period, nor before the minimum notice has run. */
export function destroyDueAt(rule: InactivityRule, lastSignInAt: Date, attemptAt: Date): Date {
  const full = shiftInSeoul(lastSignInAt, rule.period);
  const noticed = shiftInSeoul(attemptAt, rule.minimumNotice);
  return full > noticed ? full : noticed;
}

/** The index bucket (Seoul day) of an active member: the day their notice falls due. */
export function activeBucket(rule: InactivityRule, lastSignInAt: Date): string {
  return seoulDay(noticeDueAt(rule, lastSignInAt));
}

/**
 * The Seoul days whose buckets a run at `now` reads: the `lookback` days ending today, and, while
 * a published version shortens the period of the deployed rule (buckets are set at sign-in by the
 * deployed rule), every later day up to the bucket a member due today under the rule in force
 * was given, with a margin of days for calendar rounding; the worker decides each exactly.
 * None when the rule is switched off.
 */
export function bucketDays(
  deployed: InactivityRule,
  inForce: InactivityRule,
  now: Date,
  lookback: number,
): string[] {
  if (!inForce.enabled) return [];
  const days = seoulDaysEndingAt(now, lookback);
  if (formatDuration(deployed.period) === formatDuration(inForce.period)) return days;
  // The latest sign-in due today under the rule in force, and the bucket the deployed rule gave it.
  const signedIn = shiftInSeoul(shiftInSeoul(now, inForce.noticeLead), inForce.period, -1);
  const bucketed = shiftInSeoul(noticeDueAt(deployed, signedIn), { days: BUCKET_MARGIN_DAYS });
  const last = seoulDay(bucketed);
  const later: string[] = [];
  for (
    let day = shiftInSeoul(now, { days: 1 });
    seoulDay(day) <= last;
    day = shiftInSeoul(day, { days: 1 })
  ) {
    later.push(seoulDay(day));
  }
  return [...days, ...later];
}

/** Days of margin past the bucket a shortened period reads up to (months are not all as long). */
const BUCKET_MARGIN_DAYS = 3;

/** What the engine should do with a member now. */
export type InactivityStep =
  | { readonly kind: 'wait'; readonly until: Date }
  | { readonly kind: 'notify' }
  | { readonly kind: 'destroy' };

/** The member facts the rule needs. */
export interface InactivityFacts {
  readonly lastSignInAt: string;
  readonly inactivity?: InactivityState;
}

/** Decides the next step of one member at `now`. */
export function nextStep(rule: InactivityRule, member: InactivityFacts, now: Date): InactivityStep {
  const lastSignIn = new Date(member.lastSignInAt);
  const state = member.inactivity;
  if (state?.state === 'destroying') return { kind: 'destroy' };
  if (state?.state === 'notified') {
    // Recomputed rather than trusted: a stored date can never shorten the notice.
    const due = destroyDueAt(rule, lastSignIn, new Date(state.attemptAt));
    const stored = new Date(state.destroyAt);
    const until = stored > due ? stored : due;
    return now >= until ? { kind: 'destroy' } : { kind: 'wait', until };
  }
  // No notice yet, or an attempt whose outcome is unknown: (re)notify once due.
  const due = noticeDueAt(rule, lastSignIn);
  return now >= due ? { kind: 'notify' } : { kind: 'wait', until: due };
}

/**
 * When the member is destroyed unless they sign in first: what the member is shown (G9), by the
 * same arithmetic the engine acts on. Before a notice, that is the destruction a notice sent on
 * its day leads to; after one, the recorded date, never earlier than the rule allows.
 */
export function plannedDestructionAt(rule: InactivityRule, member: InactivityFacts): Date {
  const lastSignIn = new Date(member.lastSignInAt);
  const state = member.inactivity;
  if (!state) return destroyDueAt(rule, lastSignIn, noticeDueAt(rule, lastSignIn));
  const due = destroyDueAt(rule, lastSignIn, new Date(state.attemptAt));
  if (state.state === 'notifying') return due;
  const stored = new Date(state.destroyAt);
  return stored > due ? stored : due;
}

/** Seoul wall-clock time of an instant, e.g. "2027-10-31 03:00 (Korea Standard Time, UTC+9)". */
export function seoulTime(instant: Date): string {
  return `${seoulClock(instant)} (Korea Standard Time, UTC+9)`;
}

/** What the notice needs to know of the member: which items they hold, how many babies, their records. */
export interface NoticedMember {
  readonly profile: { readonly items: Readonly<Record<string, string>>; readonly lang?: Language };
  readonly babies: readonly unknown[];
  /** The records the service created (purchases …), by retention class and creation time. */
  readonly records: readonly DatedRecord[];
}

/** A sentence without its closing full stop, its first letter lower-cased, to go inside another. */
function clause(sentence: string): string {
  const bare = sentence.trim().replace(/\.+$/, '');
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

/** What a retained record rests on: the law that requires it, or the operator's own policy. */
function basisOf(rc: RetentionClass, lang: Language): string {
  if (lang === 'ko') return rc.law ? `${rc.law.ko}에 따른 보존` : '법령이 아닌 회사 내부 방침에 따른 보존';
  return rc.law ? `required by law (${rc.law.en})` : 'required by our internal policy, not by a law';
}

/** One line of what is kept: what, how long and until when, for what only, on what basis (L7, L9, L10). */
function keptLine(rc: RetentionClass, what: string, period: string, until: Date, lang: Language): string {
  const day = seoulDateText(until, lang);
  if (lang === 'ko') {
    return `- ${what} (${rc.label.ko}): ${period} 동안 ${day}까지 보관하며, ${rc.use.ko.replace(/\.$/, '')} 목적으로만 이용합니다. ${basisOf(rc, lang)}이며, 그 후 파기합니다.`;
  }
  return `- ${what} (${rc.label.en}): kept ${period}, until ${day}, only for ${clause(rc.use.en)}; ${basisOf(rc, lang)}; then destroyed.`;
}

/** Words of the inactivity notice that are not the catalogue's. */
const NOTICE = {
  membership: {
    ko: '회원 자격 정보: 가입일, 동의한 방침 버전과 동의 내역',
    en: 'Your membership: dates, policy version and consent decisions',
  },
  records: (n: number, lang: Language) =>
    lang === 'ko'
      ? `${n}건`
      : `${n} ${new Intl.PluralRules('en').select(n) === 'one' ? 'record' : 'records'}`,
  asRequired: { ko: '법령이 정한 기간', en: 'as required' },
  fromEach: (period: string, lang: Language) =>
    lang === 'ko' ? `각 기록 생성일부터 ${period}` : `${period} from each record`,
} as const;

/**
 * What destruction at `destroyAt` keeps, as a withdrawal then would: each withdrawal class that
 * holds something of the member, and each class of the service records a law still requires.
 */
function keptLines(c: Catalogue, data: NoticedMember, destroyAt: Date, lang: Language): string[] {
  const lines: string[] = [];
  for (const classId of c.recordClasses.onWithdrawal) {
    const rc = c.retention[classId];
    if (!rc?.keeps || rc.period === 'until-withdrawal') continue;
    const items = rc.keeps.items.filter((id) => data.profile.items[id] !== undefined);
    const what = [
      ...items.map((id) => c.items[id]?.label[lang] ?? id),
      ...(rc.keeps.membership ? [NOTICE.membership[lang]] : []),
    ];
    if (what.length === 0) continue;
    lines.push(
      keptLine(
        rc,
        listText(what, lang),
        durationText(rc.period, lang),
        shiftInSeoul(destroyAt, rc.period),
        lang,
      ),
    );
  }
  for (const kept of retainedRecordClasses(c, recordsToRetain(c, data.records, destroyAt))) {
    const rc = c.retention[kept.class]!;
    const item = Object.values(c.items).find(
      (i) => i.subject === 'service-record' && i.retention === kept.class,
    );
    const what = `${(item?.label ?? rc.label)[lang]}, ${NOTICE.records(kept.records, lang)}`;
    const period =
      rc.period === 'until-withdrawal'
        ? NOTICE.asRequired[lang]
        : NOTICE.fromEach(durationText(rc.period, lang), lang);
    lines.push(keptLine(rc, what, period, new Date(kept.until), lang));
  }
  return lines;
}

/**
 * The notice, in the member's language: every item that will be destroyed, each record kept
 * with its period and basis, and when (Asia/Seoul).
 */
export function noticeText(
  c: Catalogue,
  data: NoticedMember,
  destroyAt: Date,
): { subject: string; text: string } {
  const lang = data.profile.lang ?? DEFAULT_LANGUAGE;
  const service = c.operator.service[lang];
  const held = Object.keys(data.profile.items).map((id) => c.items[id]?.label[lang] ?? id);
  const kept = keptLines(c, data, destroyAt, lang);
  const when = seoulDateTimeText(destroyAt, lang);
  const officer = c.contacts.officer.email;
  const babies = data.babies.length;
  if (lang === 'ko') {
    const lines = [
      `오랫동안 ${particle(service, '을/를')} 이용하지 않으셨습니다. 개인정보 처리방침에 따라 정해진 기간 동안 로그인하지 않은 회원의 개인정보는 파기됩니다.`,
      '',
      `그 전에 로그인하지 않으시면 ${when}에 다음 정보를 파기합니다:`,
      ...held.map((label) => `- ${label}`),
      ...(babies > 0 ? [`- 아기 프로필 ${babies}건의 기록`] : []),
      '- 동의 기록과 회원 자격',
      '',
      ...(kept.length > 0
        ? ['다음 정보는 다른 용도로 쓰지 않는 별도 저장소에 보관합니다:', ...kept, '']
        : []),
      '그 전에 언제든 다시 로그인하시면 회원 자격이 유지되고 파기는 취소됩니다.',
      ...(officer ? [`문의: ${officer}`] : []),
    ];
    return { subject: `[${service}] 장기 미이용으로 계정이 파기될 예정입니다`, text: lines.join('\n') };
  }
  const lines = [
    `You have not signed in to ${service} for a long time. Under our privacy policy, the`,
    `personal data of a member who does not sign in for the inactivity period is destroyed.`,
    '',
    `Unless you sign in before then, on ${when} we will destroy:`,
    ...held.map((label) => `- ${label}`),
    ...(babies > 0 ? [`- the records of ${babies} baby profile${babies === 1 ? '' : 's'}`] : []),
    `- your consent records and membership`,
    '',
    ...(kept.length > 0 ? ['We keep, in a separate store used for nothing else:', ...kept, ''] : []),
    'Signing in again at any time before then keeps your membership and stops this.',
    ...(officer ? [`Questions: ${officer}`] : []),
  ];
  return {
    subject: `${service}: your account will be destroyed for inactivity`,
    text: lines.join('\n'),
  };
}

/** One unit of work: a member, and the clock of the run that found them. */
export interface InactivityMessage {
  readonly memberId: string;
  readonly now: string;
}

/** An RFC 3339 date-time: seconds, optional fraction, `Z` or an offset. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Whether `text` is a date-time as `z.iso.datetime({ offset: true })` accepts it: a real calendar day too. */
function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * The inactivity worker's message as the job queues it: exactly `memberId` (1 to 256
 * characters) and `now` (an ISO date-time with its offset), nothing else; throws
 * {@link InvalidInput} otherwise. Checked by hand, not with a zod object schema, which would add
 * 16 KB to the worker; a test holds it to the schema it replaces.
 */
export function parseInactivityMessage(input: unknown): InactivityMessage {
  const bad = (field: string, problem: string) => new InvalidInput([{ field, problem }]);
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw bad('(message)', 'must be an object');
  const { memberId, now, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw bad('(message)', 'has unknown fields');
  if (typeof memberId !== 'string' || memberId.length < 1 || memberId.length > 256)
    throw bad('memberId', 'must be 1 to 256 characters');
  if (typeof now !== 'string' || !isDateTime(now)) throw bad('now', 'must be a date-time with its offset');
  return { memberId, now };
}
