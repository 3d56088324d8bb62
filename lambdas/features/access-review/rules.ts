/**
 * The monthly review of handler access records (Korean safety standard Art. 8), pure: which
 * month a run reviews, what the review finds about each officer (counts by action and member,
 * downloads with their reasons, actions outside working hours, a volume unusual against the
 * officer's own history), when the review is due and whether it is overdue. Months are Asia/Seoul
 * calendar months (Korea keeps no daylight saving time, so a month starts at 00:00 +09:00).
 */
import {
  addToSeoulDay,
  epochSeconds,
  seoulClock,
  seoulDay,
  seoulMidnight,
  shiftInSeoul,
} from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';
import { weekdays } from '../../../policy/schema';
import { Conflict } from '../../runtime/errors';
import type { AccessRecord, ChainReport } from '../access-records/rules';

/** A review month, YYYY-MM. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month before the Seoul month of `now`: the one a run on the first of a month reviews. */
export function monthToReview(now: Date): string {
  const [y, m] = seoulDay(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month `offset` months after `month` (negative: before). */
export function shiftMonth(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The first instant of a Seoul month and the first of the next. */
export function monthBounds(month: string): { start: Date; end: Date } {
  return {
    start: seoulMidnight(`${month}-01`),
    end: seoulMidnight(`${shiftMonth(month, 1)}-01`),
  };
}

/** The Seoul month of an instant. */
export function monthOf(at: Date): string {
  return seoulDay(at).slice(0, 7);
}

/** Whether an instant falls outside the catalogue's working hours (Asia/Seoul). */
export function outsideWorkingHours(c: Catalogue, at: Date): boolean {
  const [day, time] = seoulClock(at).split(' ') as [string, string];
  // getUTCDay of the Seoul day at UTC midnight: 0 is Sunday.
  const weekday = weekdays[(new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  const hours = c.accessReview.workingHours;
  if (!hours.days.includes(weekday)) return true;
  return time < hours.from || time >= hours.to;
}

/** The Seoul day after which a month's review is overdue: the next month's first day plus `signOffWithin`. */
export function reviewDueBy(c: Catalogue, month: string): string {
  return addToSeoulDay(`${shiftMonth(month, 1)}-01`, c.accessReview.signOffWithin);
}

/** When a review's evidence may be destroyed: as long as the records it reviews are kept. */
export function reviewExpiry(c: Catalogue, month: string): number {
  const rc = c.retention[c.recordClasses.handlerAccess]!;
  if (rc.period === 'until-withdrawal') {
    throw new Error(`recordClasses.handlerAccess: class "${c.recordClasses.handlerAccess}" needs a period`);
  }
  // From the month's end: the review's last record is kept that long too.
  return epochSeconds(shiftInSeoul(monthBounds(month).end, rc.period));
}

/** A record as the review reads it: chain fields, and the reason of a download opened. */
export type ReviewedRecord = Pick<
  AccessRecord,
  'seq' | 'at' | 'officerId' | 'action' | 'memberId' | 'requestId' | 'download'
> & { readonly reason?: string };

/**
 * Most members, downloads and off-hours actions one officer's evidence lists (the busiest
 * members first, the earliest entries first): it stays one DynamoDB item (400 KB). The counts
 * (`members`, the task's flags) are always whole.
 */
export const EVIDENCE_LIST_LIMIT = 500;

/** What a month's review found about one officer. */
export interface OfficerEvidence {
  readonly officerId: string;
  readonly records: number;
  readonly byAction: Readonly<Record<string, number>>;
  /** Records by member: the {@link EVIDENCE_LIST_LIMIT} members with the most. */
  readonly byMember: Readonly<Record<string, number>>;
  /** Members the officer's records name, all of them. */
  readonly members: number;
  /** Each download of a member's data, with the reason the officer stated. */
  readonly downloads: readonly {
    seq: number;
    at: string;
    memberId?: string;
    requestId?: string;
    reason: string;
  }[];
  /** Each action outside the catalogue's working hours. */
  readonly outsideHours: readonly { seq: number; at: string; action: string; memberId?: string }[];
  /** The officer's mean records per month over the history months (0 with no history). */
  readonly baseline: number;
  readonly unusualVolume: boolean;
  /** Downloads and off-hours actions in all, when a list holds only the first of them. */
  readonly totals: { readonly downloads: number; readonly outsideHours: number };
}

/**
 * Each officer's evidence for the month: `records` are the month's records (reasons opened for
 * downloads), `history` each officer's record count in each of the history months.
 */
export function assembleEvidence(
  c: Catalogue,
  records: readonly ReviewedRecord[],
  history: ReadonlyMap<string, number>,
): OfficerEvidence[] {
  const byOfficer = new Map<string, ReviewedRecord[]>();
  for (const r of records) byOfficer.set(r.officerId, [...(byOfficer.get(r.officerId) ?? []), r]);
  const { factor, historyMonths, minimum } = c.accessReview.unusualVolume;
  return [...byOfficer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([officerId, own]) => {
      const count = (key: (r: ReviewedRecord) => string | undefined) => {
        const counts: Record<string, number> = {};
        for (const r of own) {
          const k = key(r);
          if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1;
        }
        return counts;
      };
      const baseline = (history.get(officerId) ?? 0) / historyMonths;
      const byMember = Object.entries(count((r) => r.memberId));
      const downloads = own.filter((r) => r.download);
      const outside = own.filter((r) => outsideWorkingHours(c, new Date(r.at)));
      return {
        officerId,
        records: own.length,
        byAction: count((r) => r.action),
        byMember: Object.fromEntries(
          byMember.sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).slice(0, EVIDENCE_LIST_LIMIT),
        ),
        members: byMember.length,
        totals: { downloads: downloads.length, outsideHours: outside.length },
        downloads: downloads.slice(0, EVIDENCE_LIST_LIMIT).map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          ...(r.memberId ? { memberId: r.memberId } : {}),
          ...(r.requestId ? { requestId: r.requestId } : {}),
          reason: r.reason ?? '',
        })),
        outsideHours: outside.slice(0, EVIDENCE_LIST_LIMIT).map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          action: r.action,
          ...(r.memberId ? { memberId: r.memberId } : {}),
        })),
        baseline: Math.round(baseline * 100) / 100,
        unusualVolume: own.length >= minimum && own.length > factor * baseline,
      };
    });
}

/** The review task of a month, as stored and shown. */
export interface ReviewTask {
  readonly month: string;
  readonly status: 'open' | 'signed-off';
  readonly assembledAt: string;
  /** The Seoul day after which it is overdue while open. */
  readonly dueBy: string;
  readonly chain: ChainReport;
  readonly records: number;
  readonly officers: number;
  readonly flags: {
    readonly downloads: number;
    readonly outsideHours: number;
    readonly unusualVolume: number;
  };
  /** When the privacy officer was emailed that the task is open. */
  readonly officerToldAt?: string;
  readonly signOff?: { readonly by: string; readonly at: string; readonly note: string };
  readonly expiresAt: number;
}

/** The task of a month from its evidence and chain check. */
export function reviewTask(
  c: Catalogue,
  month: string,
  evidence: readonly OfficerEvidence[],
  chain: ChainReport,
  now: Date,
): ReviewTask {
  return {
    month,
    status: 'open',
    assembledAt: now.toISOString(),
    dueBy: reviewDueBy(c, month),
    chain,
    records: evidence.reduce((n, e) => n + e.records, 0),
    officers: evidence.length,
    flags: {
      downloads: evidence.reduce((n, e) => n + e.totals.downloads, 0),
      outsideHours: evidence.reduce((n, e) => n + e.totals.outsideHours, 0),
      unusualVolume: evidence.filter((e) => e.unusualVolume).length,
    },
    expiresAt: reviewExpiry(c, month),
  };
}

/** Whether a review is overdue at `now`: still open after its due day (Asia/Seoul). */
export function isReviewOverdue(task: Pick<ReviewTask, 'status' | 'dueBy'>, now: Date): boolean {
  return task.status === 'open' && seoulDay(now) > task.dueBy;
}

/** Why a review may not be signed off: it is signed off already (once only). */
export function signOffRefusal(task: Pick<ReviewTask, 'status' | 'signOff'>): Conflict | undefined {
  return task.status === 'signed-off'
    ? new Conflict(
        'Already signed off',
        `The review was signed off on ${task.signOff?.at ?? 'an earlier call'}; a sign-off is final.`,
      )
    : undefined;
}
