/**
 * The rules of the ledger of rights requests (L14/G10, L16), pure: what a record holds, when a
 * request is due, when it is overdue, and what may be done to a request in which status.
 *
 * Deadlines. Member data records no residence, and PIPA governs every request these operators
 * receive: a request runs under PIPA (`requestDeadlines.pipa`, 10 days) unless the officer logs
 * it as a GDPR request (`jurisdiction: "gdpr"`, `requestDeadlines.gdpr`, one calendar month,
 * extendable up to `gdprMaxExtension` with a recorded reason). Self-service requests are
 * answered at once and recorded under PIPA. A deadline is an Asia/Seoul calendar day: the
 * request is overdue from the next day on.
 */
import {
  addToSeoulDay,
  epochSeconds,
  seoulDateText,
  seoulDay,
  seoulDayText,
  shiftInSeoul,
} from '../../../model/calendar';
import type {
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  REQUEST_ACTIONS,
  REQUEST_TYPES,
  VERIFICATION_METHODS,
} from '../../../model/routes/officer';
import type { Language } from '../../../policy/i18n';
import type { Catalogue, Duration } from '../../../policy/schema';
import { Conflict, InvalidInput, RuleViolated } from '../../runtime/errors';

/** A kind of rights request. */
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The law whose deadline a request runs under. */
export type Jurisdiction = (typeof JURISDICTIONS)[number];
/** Where a request came from; self-service requests are `app`. */
export type RequestChannel = 'app' | (typeof OFFLINE_CHANNELS)[number];
/** How the officer verified the requester's identity. */
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
/** Where a request stands; `acting` while an officer's action on it runs. */
export type RequestStatus = 'awaiting-verification' | 'open' | 'acting' | 'completed' | 'refused';
/** What the officer may do on a request. */
export type RequestActionKind = (typeof REQUEST_ACTIONS)[number];
/** The handler of self-service requests. */
export const SELF_SERVICE = 'self-service';
/** The value of the sparse `openStatus` attribute that indexes unfinished requests by deadline. */
export const OPEN = 'open';
/**
 * How long an action holds its request. Longer than any route may run (API Gateway gives up
 * after 29 s), so a claim outlives only a delivery that crashed; the request is then open again.
 */
export const ACTING_LEASE_SECONDS = 60;

/** One ledger record. Never holds personal data in clear: the verification reference is sealed. */
export interface RequestRecord {
  readonly requestId: string;
  readonly memberId: string;
  readonly type: RequestType;
  readonly channel: RequestChannel;
  readonly jurisdiction: Jurisdiction;
  readonly receivedAt: string;
  /** The Asia/Seoul day by which the answer is due (YYYY-MM-DD). */
  readonly deadline: string;
  readonly status: RequestStatus;
  /** Present while the request is unfinished, for the `open` index. */
  readonly openStatus?: typeof OPEN;
  /** While `acting`: when the claim lapses (epoch seconds), should its delivery have crashed. */
  readonly actingUntil?: number;
  /** The officer who logged or handled it, or `self-service`. */
  readonly handler: string;
  readonly verification?: {
    readonly method: VerificationMethod;
    readonly reference: string;
    readonly at: string;
    readonly by: string;
  };
  readonly extension?: {
    readonly months: number;
    readonly reason: string;
    readonly at: string;
    readonly by: string;
    /** Names the extension's delivery, so the same one run again does not extend twice. */
    readonly ref?: string;
    /** When the member was told of this extension (GDPR Art. 12(3)); absent until the email went. */
    readonly noticeSentAt?: string;
  };
  readonly outcome?: {
    readonly action: string;
    readonly at: string;
    readonly by: string;
    readonly summary: string;
  };
  readonly closedAt?: string;
  readonly expiresAt: number;
}

/** A ledger record as the officer's API shows it: the sealed reference stays sealed. */
export type RequestView = Omit<
  RequestRecord,
  'openStatus' | 'actingUntil' | 'expiresAt' | 'verification' | 'extension'
> & {
  readonly verification?: { method: string; at: string; by: string };
  readonly extension?: Omit<NonNullable<RequestRecord['extension']>, 'ref'>;
  readonly overdue: boolean;
};

/** Filters of GET /v1/admin/requests. */
export interface RequestFilter {
  readonly status?: RequestStatus;
  readonly overdue?: boolean;
  readonly member?: string;
}

/** The sum of two durations, so an extension runs from the receipt, not from the first deadline. */
function plus(a: Duration, b: Duration): Duration {
  return {
    years: (a.years ?? 0) + (b.years ?? 0),
    months: (a.months ?? 0) + (b.months ?? 0),
    days: (a.days ?? 0) + (b.days ?? 0),
  };
}

/** The deadline of a request received at `receivedAt`, before any extension (as {@link requestDeadline} without one). */
export function firstDeadline(c: Catalogue, jurisdiction: Jurisdiction, receivedAt: Date): string {
  return addToSeoulDay(seoulDay(receivedAt), c.requestDeadlines[jurisdiction]);
}

/** The deadline of a request received at `receivedAt`, with an extension in months (GDPR only). */
export function requestDeadline(
  c: Catalogue,
  jurisdiction: Jurisdiction,
  receivedAt: Date,
  extensionMonths = 0,
): string {
  const base = c.requestDeadlines[jurisdiction];
  const period = extensionMonths > 0 ? plus(base, { months: extensionMonths }) : base;
  return addToSeoulDay(seoulDay(receivedAt), period);
}

/** Whether a request is past its deadline at `now` (Seoul days). */
export function isOverdue(record: Pick<RequestRecord, 'status' | 'deadline'>, now: Date): boolean {
  return record.status !== 'completed' && record.status !== 'refused' && seoulDay(now) > record.deadline;
}

/** When a record received at `at` expires: the catalogue's retention of handler access records. */
export function requestExpiry(c: Catalogue, at: Date): number {
  const rc = c.retention[c.recordClasses.handlerAccess]!;
  return epochSeconds(rc.period === 'until-withdrawal' ? at : shiftInSeoul(at, rc.period));
}

/** A ledger record shown to the officer. */
export function viewOf(record: RequestRecord, now: Date): RequestView {
  const { openStatus: _o, actingUntil: _a, expiresAt: _e, verification, extension, ...rest } = record;
  return {
    ...rest,
    ...(extension
      ? {
          extension: {
            months: extension.months,
            reason: extension.reason,
            at: extension.at,
            by: extension.by,
          },
        }
      : {}),
    ...(verification
      ? { verification: { method: verification.method, at: verification.at, by: verification.by } }
      : {}),
    overdue: isOverdue(record, now),
  };
}

/** The records a filter selects, newest receipt first, as the officer sees them. */
export function selectRequests(
  records: readonly RequestRecord[],
  filter: RequestFilter,
  now: Date,
): RequestView[] {
  return records
    .filter((r) => !filter.status || r.status === filter.status)
    .filter((r) => !filter.member || r.memberId === filter.member)
    .filter((r) => filter.overdue === undefined || isOverdue(r, now) === filter.overdue)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .map((r) => viewOf(r, now));
}

/** Why evidence of identity may not be recorded on a request, or undefined when it may. */
export function verificationRefusal(record: Pick<RequestRecord, 'status'>): Conflict | undefined {
  if (record.status !== 'awaiting-verification') {
    return new Conflict('Already verified', `The request is ${record.status}.`);
  }
  return undefined;
}

/**
 * Why a request's extensions may not total `months`, or undefined when they may: only an
 * unfinished GDPR request is extended, and never past `gdprMaxExtension`.
 */
export function extensionRefusal(
  c: Catalogue,
  record: Pick<RequestRecord, 'status' | 'jurisdiction'>,
  months: number,
): Conflict | InvalidInput | undefined {
  if (record.status === 'completed' || record.status === 'refused') {
    return new Conflict('Request closed', `The request is ${record.status}.`);
  }
  if (record.jurisdiction !== 'gdpr') {
    return new Conflict('No extension', 'Only a GDPR request can be extended; PIPA deadlines are fixed.');
  }
  const max = c.requestDeadlines.gdprMaxExtension;
  if (addToSeoulDay('2000-01-31', { months }) > addToSeoulDay('2000-01-31', max)) {
    return new InvalidInput([
      { field: 'months', problem: `extensions may total at most ${max.months ?? 0} months` },
    ]);
  }
  return undefined;
}

/**
 * Why an action may not claim a request at `now`, or undefined when it may: the request is
 * verified and open, or held by an action whose claim has lapsed.
 */
export function claimRefusal(
  record: Pick<RequestRecord, 'status' | 'actingUntil'>,
  now: Date,
): Conflict | undefined {
  if (record.status === 'awaiting-verification') {
    return new Conflict(
      'Identity not verified',
      'Record the identity-verification evidence (POST …/verification) before acting on this request.',
    );
  }
  const lapsed = record.status === 'acting' && (record.actingUntil ?? 0) <= epochSeconds(now);
  if (record.status === 'acting' && !lapsed) {
    return new Conflict('Request in progress', 'An action on this request is running; retry in a minute.');
  }
  if (record.status !== 'open' && !lapsed)
    return new Conflict('Request closed', `The request is ${record.status}.`);
  return undefined;
}

/** Which actions answer which kind of request; any request may be refused. */
export const ACTIONS_BY_TYPE: Readonly<Record<RequestType, readonly RequestActionKind[]>> = {
  access: ['view', 'export'],
  portability: ['export'],
  correction: ['correct'],
  deletion: ['delete'],
  restriction: ['restrict'],
  objection: ['restrict'],
  'consent-withdrawal': ['withdraw-consent', 'withdraw-provision-consent'],
};

/** `word` with its indefinite article, by its first letter: "an access", "a deletion". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Why `action` does not answer a request of `type`, or undefined when it does. */
export function actionRefusal(type: RequestType, action: RequestActionKind): RuleViolated | undefined {
  const allowed = ACTIONS_BY_TYPE[type];
  if (action === 'refuse' || allowed.includes(action)) return undefined;
  return new RuleViolated(
    'Action does not answer the request',
    `${capitalized(withArticle(type))} request is answered by ${allowed.join(' or ')}.`,
    { field: 'action' },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The email telling a member their GDPR request was extended (Art. 12(3)): by how long, until
 * when, and why, in the member's language. Ids and dates only besides the officer's reason.
 */
export function extensionNoticeText(
  c: Catalogue,
  record: Pick<RequestRecord, 'requestId' | 'receivedAt' | 'deadline'>,
  extension: { readonly months: number; readonly reason: string },
  lang: Language,
): { subject: string; text: string } {
  const received = seoulDateText(new Date(record.receivedAt), lang);
  const deadline = seoulDayText(record.deadline, lang);
  if (lang === 'ko') {
    return {
      subject: `${c.operator.service.ko}: 개인정보 요청의 처리 기한 연장 안내`,
      text: [
        `${received}에 접수된 귀하의 요청(${record.requestId})은 처리에 시간이 더 필요하여 처리 기한을 ${extension.months}개월 연장합니다(GDPR 제12조 제3항).`,
        `새 처리 기한: ${deadline}(한국 시간)`,
        `연장 사유: ${extension.reason}`,
        '',
        `문의: ${c.contacts.officer.name.ko}${c.contacts.officer.email ? ` <${c.contacts.officer.email}>` : ''}`,
      ].join('\n'),
    };
  }
  return {
    subject: `${c.operator.service.en}: the deadline of your privacy request is extended`,
    text: [
      `Your request ${record.requestId}, received on ${received}, needs more time: its deadline is extended by ${extension.months} month${extension.months === 1 ? '' : 's'} (GDPR Art. 12(3)).`,
      `New deadline: ${deadline} (Korea time)`,
      `Reason: ${extension.reason}`,
      '',
      `Contact: ${c.contacts.officer.name.en}${c.contacts.officer.email ? ` <${c.contacts.officer.email}>` : ''}`,
    ].join('\n'),
  };
}
