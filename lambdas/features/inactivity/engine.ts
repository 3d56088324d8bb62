/**
 * The inactivity engine (G9; littleone applies the same rule). The daily job reads only the
 * members whose step falls due: each active member's profile carries `inactiveOn`, the Seoul day
 * of their next step, and the sparse `inactivity` index is queried by day. The worker then moves
 * each member through conditional transitions, so reruns, duplicate deliveries and a crash at
 * any point are harmless:
 *
 *   active ─claim→ notifying ─send, record→ notified ─mark→ destroying ─withdraw→ (receipt)
 *
 * Every transition is conditioned on the last sign-in the worker read, so a sign-in at any
 * point (which rewrites it and removes the state) cancels what follows. A notice attempt is
 * held by its delivery, so a copy of the message delivered alongside finds it taken; one that
 * failed is given back at once, and one whose delivery died lapses after the worker's timeout.
 * A notice whose outcome is unknown (a lapsed `notifying`) is sent again: a second copy of a
 * notice is better than a destruction nobody was told about.
 */

import { randomUUID } from 'node:crypto';
import { seoulDay, shiftInSeoul } from '../../../model/calendar';
import { inactivityBucket, inactivityBucketsOf } from '../../../model/members-table';
import { queues } from '../../../model/workloads';
import type { Catalogue } from '../../../policy/schema';
import { dataKeyOf } from '../../adapters/data-keys';
import { sendNotice } from '../../adapters/mailer';
import { enqueue } from '../../adapters/queue';
import { logger } from '../../runtime/logger';
import { withRetries } from '../../runtime/retry';
import { loadMemberData, type MemberData, type MemberRecord } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import { withdraw } from '../withdrawal/withdraw';
import {
  bucketDays,
  destroyDueAt,
  type InactivityMessage,
  type InactivityState,
  type NoticeDelivery,
  type NoticedState,
  nextStep,
  noticeText,
} from './rules';
import { claimNotice, markDestroying, membersIn, moveBucket, recordNotice, releaseNotice } from './store';

/**
 * Days of buckets each run reads, today included: a member whose step failed, or fell due later
 * in the day than the run, is found again by the next runs. A run missed for up to this many
 * days catches up; an empty bucket costs one Query and reads no item.
 */
export const INACTIVITY_LOOKBACK_DAYS = 31;
/** Bucket queries in flight at once. */
const PARALLEL_BUCKETS = 16;
/** Attempts at recording a notice that went out: losing that record means a second notice. */
const RECORD_ATTEMPTS = 5;

/** The profile as the engine reads it. */
type InactivityProfile = MemberRecord & {
  readonly inactivity?: InactivityState;
  readonly inactiveOn?: string;
};

/** Counts of one job run. */
export interface InactivityRunCounts {
  readonly days: number;
  readonly candidates: number;
  readonly queued: number;
  /** 1 when the catalogue switches the rule off, and the run did nothing. */
  readonly switchedOff: 0 | 1;
}

/** What the worker did with one member. */
export type MemberOutcome =
  | 'notified'
  | 'undeliverable'
  | 'destroyed'
  | 'waiting'
  | 'cancelled'
  | 'gone'
  | 'switched-off';

/**
 * Attempts at reading one bucket: a run reads each day's shards and its bare bucket (nine
 * queries a day, 279 a run), so one passing error must not fail the whole run.
 */
const READ_ATTEMPTS = 4;

/** The members of one bucket, retried with backoff; the last failure fails the run visibly. */
async function bucketMembers(bucket: string): Promise<string[]> {
  return withRetries(() => membersIn(bucket), READ_ATTEMPTS);
}

/** Every member whose bucket day is one of `days`, from each of the day's buckets. */
export async function findCandidates(days: readonly string[]): Promise<string[]> {
  const buckets = days.flatMap(inactivityBucketsOf);
  const found: string[] = [];
  for (let i = 0; i < buckets.length; i += PARALLEL_BUCKETS) {
    const batch = buckets.slice(i, i + PARALLEL_BUCKETS);
    for (const ids of await Promise.all(batch.map(bucketMembers))) found.push(...ids);
  }
  return [...new Set(found)];
}

/**
 * The job: finds candidates and queues one message per member for the worker. `deployed` set the
 * buckets; `inForce` (a published version may change the period, L18) decides which are due. A
 * profile that switches the rule off reads and queues nothing, and says so.
 */
export async function queueCandidates(
  deployed: Catalogue,
  inForce: Catalogue,
  now: Date,
): Promise<InactivityRunCounts> {
  if (!inForce.inactivity.enabled) {
    logger.info('inactivity rule switched off by the catalogue: nothing to do');
    return { days: 0, candidates: 0, queued: 0, switchedOff: 1 };
  }
  const days = bucketDays(deployed.inactivity, inForce.inactivity, now, INACTIVITY_LOOKBACK_DAYS);
  const ids = await findCandidates(days);
  const bodies = ids.map((memberId) =>
    JSON.stringify({ memberId, now: now.toISOString() } satisfies InactivityMessage),
  );
  const queued = await enqueue('inactivity', bodies);
  return { days: days.length, candidates: ids.length, queued, switchedOff: 0 };
}

async function notify(c: Catalogue, data: MemberData, now: Date): Promise<MemberOutcome> {
  const profile = data.profile as InactivityProfile;
  const { memberId } = profile;
  const attemptId = randomUUID();
  const attemptAt = now.toISOString();
  // The claim keeps the member in today's bucket, so a crash before the record is retried. It
  // is held in wall-clock time (the job's clock may be set for a run) for the worker's timeout,
  // so a hold lapses only once its delivery can no longer be running.
  const wallNow = Date.now();
  const heldUntil = wallNow + queues.inactivity.workerTimeoutSeconds * 1000;
  const claimed = await claimNotice(
    memberId,
    profile.lastSignInAt,
    { state: 'notifying', attemptId, attemptAt, heldUntil },
    seoulDay(now),
    wallNow,
  );
  if (!claimed) return 'cancelled';
  try {
    return await notifyClaimed(c, data, now, attemptId, attemptAt);
  } catch (error) {
    await release(memberId, attemptId);
    throw error;
  }
}

/** Gives back a notice attempt that failed before it was recorded, so a retry may send at once. */
async function release(memberId: string, attemptId: string): Promise<void> {
  // Not given back, the claim lapses by itself.
  await withRetries(() => releaseNotice(memberId, attemptId), RECORD_ATTEMPTS).catch(() => undefined);
}

async function notifyClaimed(
  c: Catalogue,
  data: MemberData,
  now: Date,
  attemptId: string,
  attemptAt: string,
): Promise<MemberOutcome> {
  const profile = data.profile as InactivityProfile;
  const { memberId } = profile;
  const destroyAt = destroyDueAt(c.inactivity, new Date(profile.lastSignInAt), now);
  const key = await dataKeyOf(memberId);
  const address = key ? noticeAddress(c, data, key, now) : undefined;
  let delivery: NoticeDelivery;
  if (!address) {
    delivery = key && profile.items[c.noticeItem] ? 'address-frozen' : 'no-address';
  } else {
    const { subject, text } = noticeText(c, data, destroyAt);
    // The profile keeps the address's blind index when it is a lookup item: no KMS call for it.
    const outcome = await sendNotice(
      { to: address, subject, text },
      { profile: c.profile, itemId: c.noticeItem, mac: profile.lookups[c.noticeItem] },
    );
    delivery = outcome.sent ? 'sent' : 'suppressed';
  }

  const notified: NoticedState = {
    state: 'notified',
    attemptId,
    attemptAt,
    delivery,
    destroyAt: destroyAt.toISOString(),
  };
  return withRetries(async () => {
    const recorded = await recordNotice(memberId, notified, seoulDay(destroyAt));
    // Not recorded: a sign-in removed the claim meanwhile, and with it the pending destruction.
    if (!recorded) return 'cancelled';
    return delivery === 'sent' ? 'notified' : 'undeliverable';
  }, RECORD_ATTEMPTS);
}

async function destroy(c: Catalogue, data: MemberData, now: Date): Promise<MemberOutcome> {
  const profile = data.profile as InactivityProfile;
  const state = profile.inactivity;
  if (state?.state !== 'notified' && state?.state !== 'destroying') return 'waiting';
  // Defence in depth: whatever was stored, no destruction before the minimum notice has run.
  if (now < shiftInSeoul(new Date(state.attemptAt), c.inactivity.minimumNotice)) return 'waiting';
  if (state.state === 'notified') {
    const marked = await markDestroying(
      profile.memberId,
      profile.lastSignInAt,
      state.attemptId,
      seoulDay(now),
    );
    if (!marked) return 'cancelled';
  }
  await withdraw(c, profile.memberId, now, 'inactivity');
  return 'destroyed';
}

/** The worker: takes one member one step further, if a step is due at `now`; safe to repeat. */
export async function processMember(c: Catalogue, memberId: string, now: Date): Promise<MemberOutcome> {
  const data = await loadMemberData(memberId);
  if (!data) return 'gone';
  const profile = data.profile as InactivityProfile;
  if (profile.status === 'withdrawing') {
    // A destruction that crashed inside withdrawal resumes; a member's own withdrawal is theirs.
    if (profile.inactivity?.state !== 'destroying') return 'gone';
    await withdraw(c, memberId, now, 'inactivity');
    return 'destroyed';
  }
  // A message queued before a deploy switched the rule off notifies and destroys nobody.
  if (!c.inactivity.enabled) return 'switched-off';
  const step = nextStep(c.inactivity, profile, now);
  if (step.kind === 'notify') return notify(c, data, now);
  if (step.kind === 'destroy') return destroy(c, data, now);
  // Found before its day (the period in force differs from the one its bucket was set by): it
  // waits in the bucket of that day, so a lookback of days finds it again.
  const due = seoulDay(step.until);
  if (profile.inactiveOn !== inactivityBucket(due, memberId) && due > seoulDay(now)) {
    await moveBucket(memberId, profile.lastSignInAt, profile.inactivity?.attemptId, due);
  }
  return 'waiting';
}
