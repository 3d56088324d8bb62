/**
 * The annual notice of usage history (PIPA Art. 20-2; Enforcement Decree Art. 15-3): once a year
 * every member is emailed, in their language, what their data was used for, which items, and
 * each third party that received it, read from their records. Suppressed addresses are
 * respected; withdrawing members are not noticed; restricted and suspended members are, as the
 * notice is a duty owed to them and a restriction stops processing, not the law's notices to them.
 *
 * Fan-out, through the notices queue and worker the policy-change and breach notices use: the
 * daily job, from the catalogue's due day on, writes the year's run (one progress item per scan
 * segment of the members table) and queues one message per unfinished segment. A segment message
 * scans one page and notices each member owed it in turn: a conditional claim on the member's
 * profile (`usageNotice`, per year), the send, then the settled state. Only once every member of
 * the page is settled does the segment advance (a conditional write on its step, which adds the
 * page's counts) and queue its next page; a failure anywhere fails the message, whose retry (or
 * the next daily run) redoes the page, where settled members are skipped. So reruns, duplicate
 * deliveries and a crash at any step notice each member once per year.
 *
 * A crash after SES accepted a notice but before it was settled sends it once more when the
 * claim lapses: a second copy is preferred to a member who was never told.
 */
import { randomUUID } from 'node:crypto';
import { USAGE_NOTICES_METRIC } from '../../../model/metrics';
import { queues } from '../../../model/workloads';
import type { Catalogue } from '../../../policy/schema';
import { dataKeyOf } from '../../adapters/data-keys';
import { sendNotice } from '../../adapters/mailer';
import { enqueue } from '../../adapters/queue';
import { logger } from '../../runtime/logger';
import { emfLine } from '../../runtime/metrics';
import { withRetries } from '../../runtime/retry';
import { loadMemberData } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import {
  type CoveredYear,
  coveredYear,
  owesNotice,
  type UsageNoticeState,
  usageContent,
  usageNoticeText,
  yearDueAt,
} from './rules';
import {
  advanceSegment,
  claimNotice,
  finishRun,
  memberPage,
  noticeStateOf,
  progressOf,
  type ScannedMember,
  segmentOf,
  settleNotice,
  startRun,
} from './store';

/** A claim older than one delivery's lifetime belongs to a delivery that died. */
const CLAIM_LEASE_MS = queues.policyNotices.workerTimeoutSeconds * 1000;
/** Attempts at settling a notice that went out: losing that record means a second notice. */
const RECORD_ATTEMPTS = 5;
/** Members of a page noticed at once; the mailer paces the sends. */
const PARALLEL_MEMBERS = 5;

/** The annual notice's message of the notices queue: a year, a segment and a clock, never personal data. */
export interface UsageNoticeMessage {
  readonly kind: 'usage-segment';
  readonly year: number;
  readonly segment: number;
  readonly now: string;
}

/** What noticing one member came to. */
export type MemberOutcome = 'sent' | 'undeliverable' | 'not-owed';

/** What a segment message did. */
export type SegmentOutcome = 'page' | 'finished' | 'raced';

/** Counts of one run of the daily job; never personal data. */
export interface UsageRunCounts {
  /** The year whose notice is due, 0 when the profile sends none. */
  readonly usageYear: number;
  readonly usageSegmentsQueued: number;
  /** 1 once the year's run is finished (recorded by this run or before), with its counts. */
  readonly usageFinished: 0 | 1;
  readonly usageSent: number;
  readonly usageUndeliverable: number;
}

function queueSegments(year: number, segments: readonly number[], now: Date): Promise<number> {
  const at = now.toISOString();
  return enqueue(
    'policyNotices',
    segments.map((segment) =>
      JSON.stringify({ kind: 'usage-segment', year, segment, now: at } satisfies UsageNoticeMessage),
    ),
  );
}

/** Gives back a claim whose notice did not go out; if every attempt fails, the claim lapses by itself. */
async function release(memberId: string, attemptId: string, previous: UsageNoticeState | undefined) {
  // Not given back, the claim lapses by itself.
  await withRetries(() => settleNotice(memberId, attemptId, previous), RECORD_ATTEMPTS).catch(
    () => undefined,
  );
}

/**
 * Emails one member the notice of `year`, once: claims it, sends unless the address is
 * suppressed or missing (then settles it undeliverable), and settles the outcome. Throws when a
 * live claim of another delivery holds it, so the page is redone once that one has settled.
 */
export async function noticeMember(
  c: Catalogue,
  memberId: string,
  year: CoveredYear,
  now: Date,
): Promise<MemberOutcome> {
  const attemptId = randomUUID();
  // The lease runs in wall-clock time: the message's clock may be set for a run.
  const claimedAt = new Date();
  const claimed = await claimNotice(
    memberId,
    { year: year.year, state: 'sending', attemptId, claimedAt: claimedAt.toISOString() },
    year.until.toISOString(),
    new Date(claimedAt.getTime() - CLAIM_LEASE_MS).toISOString(),
  );
  if (!claimed) {
    const found = await noticeStateOf(memberId);
    const notice = found?.usageNotice;
    if (found && owesNotice(found, year)) throw new Error('notice held by another delivery');
    if (notice?.year === year.year && (notice.state === 'sent' || notice.state === 'undeliverable'))
      return notice.state;
    return 'not-owed';
  }

  let settled: UsageNoticeState;
  try {
    const data = await loadMemberData(memberId);
    if (!data) return 'not-owed';
    const key = await dataKeyOf(memberId);
    const address = key ? noticeAddress(c, data, key, now) : undefined;
    let delivery: Extract<UsageNoticeState, { state: 'sent' | 'undeliverable' }>['delivery'];
    if (!address) {
      delivery = key && data.profile.items[c.noticeItem] ? 'address-frozen' : 'no-address';
    } else {
      const lang = data.profile.lang;
      const { subject, text } = usageNoticeText(c, usageContent(c, data, year), year, lang);
      // The profile keeps the address's blind index when it is a lookup item: no KMS call for it.
      const outcome = await sendNotice(
        { to: address, subject, text },
        { profile: c.profile, itemId: c.noticeItem, mac: data.profile.lookups[c.noticeItem] },
      );
      delivery = outcome.sent ? 'sent' : 'suppressed';
    }
    settled = {
      year: year.year,
      state: delivery === 'sent' ? 'sent' : 'undeliverable',
      delivery,
      attemptId,
      // When it went out: the run's clock may be set (local runs, tests), never before it.
      at: new Date(Math.max(now.getTime(), Date.now())).toISOString(),
    };
  } catch (error) {
    // Nothing went out: give the claim back at once, so the retry need not wait out the lease.
    await release(memberId, attemptId, claimed.previous);
    throw error;
  }
  return withRetries(async () => {
    await settleNotice(memberId, attemptId, settled);
    return settled.state;
  }, RECORD_ATTEMPTS);
}

/** A member already settled for the year, as the page shows them: counted, not noticed again. */
function settledOutcome(member: ScannedMember, year: CoveredYear): MemberOutcome {
  const n = member.usageNotice;
  return n?.year === year.year && (n.state === 'sent' || n.state === 'undeliverable') ? n.state : 'not-owed';
}

/**
 * Notices one page of a segment's members and advances the segment, then queues its next page.
 * Throws when any member of the page failed, so the page is redone. Safe to repeat.
 */
export async function processSegment(
  c: Catalogue,
  yearNo: number,
  segmentNo: number,
  now: Date,
  emit: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<SegmentOutcome> {
  const segment = await segmentOf(yearNo, segmentNo);
  if (!segment || segment.done) return 'finished';
  const year = coveredYear(yearNo);
  const { members, next } = await memberPage(segment);
  const outcomes: MemberOutcome[] = [];
  let failure: unknown;
  for (let i = 0; i < members.length; i += PARALLEL_MEMBERS) {
    const batch = members.slice(i, i + PARALLEL_MEMBERS);
    const results = await Promise.allSettled(
      batch.map((m) =>
        owesNotice(m, year) ? noticeMember(c, m.memberId, year, now) : settledOutcome(m, year),
      ),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') outcomes.push(r.value);
      else failure ??= r.reason;
    }
  }
  if (failure !== undefined) throw failure;
  const counts = {
    sent: outcomes.filter((o) => o === 'sent').length,
    undeliverable: outcomes.filter((o) => o === 'undeliverable').length,
  };
  if (!(await advanceSegment(segment, next, counts))) return 'raced';
  if (next !== undefined) {
    await queueSegments(yearNo, [segmentNo], now);
    return 'page';
  }
  await finishIfDone(c, yearNo, now, emit);
  return 'finished';
}

/** Records the year finished once every segment is done, and emits its count; 1 when this call did. */
async function finishIfDone(
  c: Catalogue,
  year: number,
  now: Date,
  emit: (line: string) => void,
): Promise<{ finished: 0 | 1; sent: number; undeliverable: number }> {
  const { run, segments } = await progressOf(year);
  const sent = segments.reduce((n, s) => n + s.sent, 0);
  const undeliverable = segments.reduce((n, s) => n + s.undeliverable, 0);
  if (!run || run.finishedAt || segments.length === 0 || !segments.every((s) => s.done)) {
    return { finished: 0, sent, undeliverable };
  }
  const at = new Date(Math.max(now.getTime(), Date.now())).toISOString();
  if (!(await finishRun(year, at, { sent, undeliverable }))) return { finished: 0, sent, undeliverable };
  logger.info('annual usage notices finished', { year, sent, undeliverable });
  emit(emfLine(USAGE_NOTICES_METRIC, sent, c.profile, now));
  return { finished: 1, sent, undeliverable };
}

/**
 * The daily job: from the due day of a year's notice on, starts its run, queues every unfinished
 * segment again (a segment whose chain is alive is then raced for by two deliveries, and one
 * advances), and records the year finished once every segment is. A finished year costs one
 * query a day; a profile that sends no notice reads nothing.
 */
export async function runUsageNotices(
  c: Catalogue,
  now: Date,
  emit: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<UsageRunCounts> {
  const year = yearDueAt(c.usageNotice, now);
  const none = { usageSegmentsQueued: 0, usageFinished: 0, usageSent: 0, usageUndeliverable: 0 } as const;
  if (!year) return { usageYear: 0, ...none };
  let { run, segments } = await progressOf(year.year);
  if (run?.finishedAt) {
    // Finished before: the recorded counts, so each run's log line states the year's evidence.
    return {
      usageYear: year.year,
      usageSegmentsQueued: 0,
      usageFinished: 1,
      usageSent: run.sent ?? 0,
      usageUndeliverable: run.undeliverable ?? 0,
    };
  }
  if (!run || segments.length < (segments[0]?.totalSegments ?? Number.POSITIVE_INFINITY)) {
    await startRun(
      year.year,
      segments.map((s) => s.segment),
      new Date(Math.max(now.getTime(), Date.now())).toISOString(),
    );
    ({ run, segments } = await progressOf(year.year));
  }
  const open = segments.filter((s) => !s.done).map((s) => s.segment);
  const queued = open.length > 0 ? await queueSegments(year.year, open, now) : 0;
  const finish = open.length === 0 ? await finishIfDone(c, year.year, now, emit) : undefined;
  return {
    usageYear: year.year,
    usageSegmentsQueued: queued,
    usageFinished: finish?.finished ?? 0,
    usageSent: finish?.sent ?? 0,
    usageUndeliverable: finish?.undeliverable ?? 0,
  };
}
