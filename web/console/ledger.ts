/**
 * The request ledger as the console reads it (GET /v1/admin/requests), and how its deadlines
 * stand on the Asia/Seoul calendar: overdue, due today, due soon. The console decides nothing
 * the API does not; it sorts what the API says so an officer sees first what is late.
 */
import { addToSeoulDay, seoulDay } from '../../model/calendar';

/** Where a request stands, as the API says. */
export type RequestStatus = 'awaiting-verification' | 'open' | 'acting' | 'completed' | 'refused';

/** The statuses of a request still to be answered. */
export const UNFINISHED: readonly RequestStatus[] = ['awaiting-verification', 'open', 'acting'];

/** One request of the ledger, as GET /v1/admin/requests lists it. */
export interface LedgerRequest {
  readonly requestId: string;
  readonly memberId: string;
  readonly type: string;
  readonly channel: string;
  readonly jurisdiction: string;
  readonly receivedAt: string;
  /** The Asia/Seoul day by which the answer is due (YYYY-MM-DD). */
  readonly deadline: string;
  readonly status: RequestStatus;
  readonly handler: string;
  readonly overdue: boolean;
  readonly closedAt?: string;
  readonly verification?: { readonly method: string; readonly at: string; readonly by: string };
  readonly extension?: {
    readonly months: number;
    readonly reason: string;
    readonly at: string;
    readonly by: string;
  };
  readonly outcome?: {
    readonly action: string;
    readonly at: string;
    readonly by: string;
    readonly summary: string;
  };
}

/** Days ahead (after today) in which an unfinished request counts as due soon. */
export const DUE_SOON_DAYS = 3;

/** Where a request's deadline stands today. */
export type DeadlineBucket = 'overdue' | 'due-today' | 'due-soon' | 'later' | 'closed';

/** Whether a request is still to be answered. */
export function isUnfinished(r: Pick<LedgerRequest, 'status'>): boolean {
  return UNFINISHED.includes(r.status);
}

/** Calendar days from Seoul day `from` to Seoul day `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The bucket of a request on the Seoul day of `now`: overdue from the day after its deadline
 * (as the API counts it), due today on the deadline, due soon within {@link DUE_SOON_DAYS}.
 */
export function deadlineBucket(r: Pick<LedgerRequest, 'status' | 'deadline'>, now: Date): DeadlineBucket {
  if (!isUnfinished(r)) return 'closed';
  const today = seoulDay(now);
  if (r.deadline < today) return 'overdue';
  if (r.deadline === today) return 'due-today';
  if (r.deadline <= addToSeoulDay(today, { days: DUE_SOON_DAYS })) return 'due-soon';
  return 'later';
}

/** The numbers on top of the queue. */
export interface DeadlineCounts {
  readonly overdue: number;
  readonly dueToday: number;
  readonly dueSoon: number;
  /** Every unfinished request, the three above included. */
  readonly unfinished: number;
}

/** Counts the unfinished requests by deadline bucket. */
export function deadlineCounts(requests: readonly LedgerRequest[], now: Date): DeadlineCounts {
  const counts = { overdue: 0, dueToday: 0, dueSoon: 0, unfinished: 0 };
  for (const r of requests) {
    const bucket = deadlineBucket(r, now);
    if (bucket === 'closed') continue;
    counts.unfinished++;
    if (bucket === 'overdue') counts.overdue++;
    else if (bucket === 'due-today') counts.dueToday++;
    else if (bucket === 'due-soon') counts.dueSoon++;
  }
  return counts;
}

const BUCKET_ORDER: Record<DeadlineBucket, number> = {
  overdue: 0,
  'due-today': 1,
  'due-soon': 2,
  later: 3,
  closed: 4,
};

/**
 * The queue in working order: unfinished requests first, the most urgent deadline first (ties
 * by receipt, oldest first); closed ones after, the most recently received first.
 */
export function queueOrder(requests: readonly LedgerRequest[], now: Date): LedgerRequest[] {
  return [...requests].sort((a, b) => {
    const ba = BUCKET_ORDER[deadlineBucket(a, now)];
    const bb = BUCKET_ORDER[deadlineBucket(b, now)];
    if (ba !== bb) return ba - bb;
    if (ba === BUCKET_ORDER.closed) return b.receivedAt.localeCompare(a.receivedAt);
    return a.deadline.localeCompare(b.deadline) || a.receivedAt.localeCompare(b.receivedAt);
  });
}

/** The queue narrowed to one bucket, or everything for `all`. */
export function inBucket(
  requests: readonly LedgerRequest[],
  bucket: DeadlineBucket | 'all' | 'unfinished',
  now: Date,
): LedgerRequest[] {
  if (bucket === 'all') return [...requests];
  if (bucket === 'unfinished') return requests.filter(isUnfinished);
  return requests.filter((r) => deadlineBucket(r, now) === bucket);
}

/** What an officer may do next on a request, by its status (the API refuses the rest with 409). */
export function nextSteps(r: Pick<LedgerRequest, 'status' | 'jurisdiction' | 'extension'>): {
  verify: boolean;
  act: boolean;
  extend: boolean;
} {
  const unfinished = isUnfinished(r);
  return {
    verify: r.status === 'awaiting-verification',
    act: r.status === 'open',
    // Only GDPR requests may be extended, once (the API's rule; the console offers no more).
    extend: unfinished && r.jurisdiction === 'gdpr' && !r.extension,
  };
}
