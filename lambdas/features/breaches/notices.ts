/**
 * Breach notices (PIPA Art. 34(1); GDPR Art. 34): every affected member is emailed once, in their
 * language, suppressed addresses respected and restricted or suspended members included (a
 * restriction does not stop a notice the law requires).
 *
 * Fan-out, through the notices queue and worker the policy-change notices use: recording a breach stores one progress item per
 * segment (a page of the members table's scan, or of the stated list) and queues one message
 * per segment. A segment message records a pending notice for each member of its page, queues a
 * message per member, advances the segment with a conditional write on its step, and queues the
 * next page. A member message claims the member's notice (only a pending one, or a claim older
 * than a delivery can live), sends, then settles it. Pending notices are the durable list of
 * what is still owed: the hourly notices job queues them again, and the next pages of unfinished
 * segments, so a crash at any step is finished by a rerun, and nobody is told twice.
 *
 * A crash after SES accepted a notice but before it was settled sends it once more when the
 * claim lapses: a second copy is preferred to a member who was never told.
 */
import { randomUUID } from 'node:crypto';
import { BREACH_DEADLINES_MISSED_METRIC, BREACH_DEADLINES_NEAR_METRIC } from '../../../model/metrics';
import { queues } from '../../../model/workloads';
import type { Catalogue } from '../../../policy/schema';
import { dataKeyOf } from '../../adapters/data-keys';
import { sendNotice } from '../../adapters/mailer';
import { enqueue } from '../../adapters/queue';
import { emfLine } from '../../runtime/metrics';
import { withRetries } from '../../runtime/retry';
import { loadMemberData } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import {
  type BreachRecord,
  breachNoticeText,
  clocksOf,
  deadlineCounts,
  languageOf,
  type NoticeState,
} from './rules';
import {
  addPendingNotice,
  advanceSegment,
  type BreachSegment,
  claimNotice,
  getBreach,
  listBreaches,
  memberScanPage,
  progressOf,
  recordMilestone,
  segmentOf,
  segmentsOf,
  settleNotice,
} from './store';

/** A claim older than one delivery's lifetime belongs to a delivery that died. */
const CLAIM_LEASE_MS = queues.policyNotices.workerTimeoutSeconds * 1000;
/** Attempts at settling a notice that went out: losing that record means a second notice. */
const RECORD_ATTEMPTS = 5;
/** Pending notices recorded at once. */
const PARALLEL_PUTS = 16;
/** Members of a stated list per page. */
const LIST_PAGE = 500;

/** A breach's message of the notices queue: ids and a clock only, never personal data. */
export type BreachNoticeMessage =
  | {
      readonly kind: 'breach-segment';
      readonly breachId: string;
      readonly segment: number;
      readonly now: string;
    }
  | {
      readonly kind: 'breach-member';
      readonly breachId: string;
      readonly memberId: string;
      readonly now: string;
    };

/** What a segment message did. */
export type SegmentOutcome = 'page' | 'finished' | 'raced' | 'stopped';
/** What a member message did. */
export type MemberOutcome = 'sent' | 'undeliverable' | 'gone' | 'already' | 'stopped';

/** Queues the next page of each of `segments` of a breach. */
export function queueSegments(breachId: string, segments: readonly number[], now: Date): Promise<number> {
  const at = now.toISOString();
  return enqueue(
    'policyNotices',
    segments.map((segment) =>
      JSON.stringify({ kind: 'breach-segment', breachId, segment, now: at } satisfies BreachNoticeMessage),
    ),
  );
}

function queueMembers(breachId: string, memberIds: readonly string[], now: Date): Promise<number> {
  const at = now.toISOString();
  return enqueue(
    'policyNotices',
    memberIds.map((memberId) =>
      JSON.stringify({ kind: 'breach-member', breachId, memberId, now: at } satisfies BreachNoticeMessage),
    ),
  );
}

/** A page of a segment: the members it names and where the next page starts. */
async function pageOf(
  breach: BreachRecord,
  segment: BreachSegment,
): Promise<{ memberIds: string[]; next: BreachSegment['cursor'] }> {
  if (breach.affected.kind === 'list') {
    const from = typeof segment.cursor === 'number' ? segment.cursor : 0;
    const to = from + LIST_PAGE;
    const memberIds = breach.affected.memberIds.slice(from, to);
    return { memberIds, next: to < breach.affected.memberIds.length ? to : undefined };
  }
  return memberScanPage(segment, breach.affected);
}

/** Finds one page of a segment's members, records and queues their notices. Safe to repeat. */
export async function processSegment(
  breachId: string,
  segmentNo: number,
  now: Date,
): Promise<SegmentOutcome> {
  const segment = await segmentOf(breachId, segmentNo);
  if (!segment || segment.done) return 'finished';
  const breach = await getBreach(breachId);
  if (!breach || breach.status === 'closed') {
    return (await advanceSegment(segment, undefined, 0, true)) ? 'stopped' : 'raced';
  }
  const { memberIds, next } = await pageOf(breach, segment);
  // Pending notices, then messages, then the step: a crash between them repeats the page, and a
  // notice recorded before is neither recorded nor sent again.
  for (let i = 0; i < memberIds.length; i += PARALLEL_PUTS) {
    await Promise.all(memberIds.slice(i, i + PARALLEL_PUTS).map((id) => addPendingNotice(breachId, id)));
  }
  await queueMembers(breachId, memberIds, now);
  if (!(await advanceSegment(segment, next, memberIds.length, next === undefined))) return 'raced';
  if (next !== undefined) {
    await queueSegments(breachId, [segmentNo], now);
    return 'page';
  }
  const segments = await segmentsOf(breachId);
  if (segments.every((s) => s.done)) {
    const found = segments.reduce((n, s) => n + s.found, 0);
    // The step is dated when it happened, after the record whose message started it.
    const at = new Date(Math.max(now.getTime(), Date.now())).toISOString();
    await recordMilestone(breachId, 'membersFoundAt', at, {
      at,
      step: 'members-found',
      by: 'system',
      details: { members: found },
    });
  }
  return 'finished';
}

/** Gives back a claim whose notice did not go out; if every attempt fails, the claim lapses by itself. */
async function release(breachId: string, memberId: string, attemptId: string): Promise<void> {
  // Not given back, the claim lapses by itself.
  await withRetries(
    () => settleNotice(breachId, memberId, attemptId, { state: 'pending' }),
    RECORD_ATTEMPTS,
  ).catch(() => undefined);
}

/**
 * Emails one member the notice of a breach, once: claims the member's notice, sends unless the
 * address is suppressed or missing (then settles it undeliverable), and settles the outcome.
 */
export async function noticeMember(
  c: Catalogue,
  breachId: string,
  memberId: string,
  now: Date,
): Promise<MemberOutcome> {
  const breach = await getBreach(breachId);
  if (!breach) return 'gone';
  if (breach.status === 'closed') return 'stopped';
  const attemptId = randomUUID();
  // The lease runs in wall-clock time: the message's clock may be set for a run.
  const claimedAt = new Date();
  const claimed = await claimNotice(
    breachId,
    memberId,
    attemptId,
    claimedAt.toISOString(),
    new Date(claimedAt.getTime() - CLAIM_LEASE_MS).toISOString(),
  );
  if (!claimed) return 'already';

  let state: Exclude<NoticeState, 'pending' | 'sending'>;
  let delivery: string;
  try {
    const data = await loadMemberData(memberId);
    if (!data) {
      state = 'gone';
      delivery = 'no-member';
    } else {
      const key = await dataKeyOf(memberId);
      const address = key ? noticeAddress(c, data, key, now) : undefined;
      if (!address) {
        state = 'undeliverable';
        delivery = key && data.profile.items[c.noticeItem] ? 'address-frozen' : 'no-address';
      } else {
        const { subject, text } = breachNoticeText(c, breach, languageOf(data.profile));
        const outcome = await sendNotice(
          { to: address, subject, text },
          { profile: c.profile, itemId: c.noticeItem, mac: data.profile.lookups[c.noticeItem] },
        );
        state = outcome.sent ? 'sent' : 'undeliverable';
        delivery = outcome.sent ? 'sent' : 'suppressed';
      }
    }
  } catch (error) {
    // Nothing went out: give the claim back at once, so the redelivery need not wait out the lease.
    await release(breachId, memberId, attemptId);
    throw error;
  }
  return withRetries(async () => {
    // When it went out: the message's clock may lag the send by the queue's wait (the clock
    // runs on the real time), or lead it where a run's clock is set ahead (local runs, tests).
    const at = new Date(Math.max(now.getTime(), Date.now())).toISOString();
    await settleNotice(breachId, memberId, attemptId, { state, delivery, at });
    return state;
  }, RECORD_ATTEMPTS);
}

/** Counts of one run of the breach clocks. */
export interface ClocksRunCounts {
  readonly breachesOpen: number;
  readonly breachSegmentsResumed: number;
  readonly breachNoticesRequeued: number;
  readonly breachMembersTold: number;
  readonly breachDeadlinesNear: number;
  readonly breachDeadlinesMissed: number;
}

/**
 * The hourly notices job's part for breaches: for every open breach, queues the next page of each unfinished segment
 * and every notice still owed (pending, or claimed by a delivery that died), records when every
 * member had been told, and emits how many clocks are near or past their deadline.
 */
export async function runBreachClocks(
  c: Catalogue,
  now: Date,
  emit: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<ClocksRunCounts> {
  const open = (await listBreaches()).filter((b) => b.status === 'open');
  let segmentsResumed = 0;
  let noticesRequeued = 0;
  let membersTold = 0;
  let near = 0;
  let missed = 0;
  const staleBefore = new Date(Date.now() - CLAIM_LEASE_MS).toISOString();
  for (const breach of open) {
    const unfinished = (await segmentsOf(breach.breachId)).filter((s) => !s.done).map((s) => s.segment);
    if (unfinished.length) segmentsResumed += await queueSegments(breach.breachId, unfinished, now);
    const { progress, notices } = await progressOf(breach.breachId);
    const owed = notices.filter(
      (n) => n.state === 'pending' || (n.state === 'sending' && (n.claimedAt ?? '') < staleBefore),
    );
    if (owed.length) {
      noticesRequeued += await queueMembers(
        breach.breachId,
        owed.map((n) => n.memberId),
        now,
      );
    }
    let record = breach;
    if (progress.found && progress.waiting === 0 && !breach.membersToldAt) {
      const at = progress.lastAt ?? breach.membersFoundAt ?? now.toISOString();
      const told = await recordMilestone(breach.breachId, 'membersToldAt', at, {
        at: now.toISOString(),
        step: 'members-told',
        by: 'system',
        details: { sent: progress.sent, undeliverable: progress.undeliverable, gone: progress.gone },
      });
      if (told) membersTold++;
      record = { ...breach, membersToldAt: at };
    }
    const clocks = clocksOf(c, record, progress, now);
    const counts = deadlineCounts(c, [clocks.members, clocks.regulator], now);
    near += counts.near;
    missed += counts.missed;
  }
  emit(emfLine(BREACH_DEADLINES_NEAR_METRIC, near, c.profile, now));
  emit(emfLine(BREACH_DEADLINES_MISSED_METRIC, missed, c.profile, now));
  return {
    breachesOpen: open.length,
    breachSegmentsResumed: segmentsResumed,
    breachNoticesRequeued: noticesRequeued,
    breachMembersTold: membersTold,
    breachDeadlinesNear: near,
    breachDeadlinesMissed: missed,
  };
}
