/**
 * Policy-change notices (L18): every member is emailed once per published version, restricted
 * and suspended members included (a restriction does not stop notices the policy requires).
 *
 * Fan-out: publishing stores one progress item per scan segment of the members table and queues
 * one message per segment. A segment message scans one page of its segment, queues a message
 * per member found, advances the segment's cursor with a conditional write on its step, and
 * queues the segment's next page. A member message claims the member's `policyNotice` with a
 * conditional write (only a lower publish sequence, or a claim abandoned longer than a delivery
 * can live, may be replaced), sends, then records the outcome. So reruns, duplicate and
 * concurrent deliveries, and crashes are harmless: two deliveries of one page race for one step
 * and the loser stops; two deliveries of one member race for one claim and the loser sends
 * nothing. The daily job queues the next page of every unfinished segment of the latest version.
 *
 * A crash after SES accepted a notice but before it was recorded sends it once more when the
 * claim is taken over: a second copy is preferred to a member who was never told.
 */

import { randomUUID } from 'node:crypto';
import { ENV } from '../../../model/resources';
import { queues } from '../../../model/workloads';
import type { Catalogue } from '../../../policy/schema';
import { dataKeyOf } from '../../adapters/data-keys';
import { sendNotice } from '../../adapters/mailer';
import { enqueue } from '../../adapters/queue';
import { withRetries } from '../../runtime/retry';
import { loadMemberData } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import { type NoticeMessage, queueSegments } from './fanout';
import { claimNotice, memberPage, settleNotice } from './notices-store';
import {
  type PolicyNoticeState,
  type PolicyVersionRecord,
  policyNoticeText,
  selectInForce,
  stillAnnounced,
} from './rules';
import { advanceSegment, cachedVersionRecords, listVersionRecords, segmentOf } from './store';

/** A claim older than one delivery's lifetime belongs to a delivery that died: it may be taken over. */
const CLAIM_LEASE_MS = queues.policyNotices.workerTimeoutSeconds * 1000;
/** Attempts at recording a notice that went out: losing that record means a second notice. */
const RECORD_ATTEMPTS = 5;

/** What a segment message did. */
export type SegmentOutcome = 'page' | 'finished' | 'raced' | 'stopped';
/** What a member message did. */
export type MemberNoticeOutcome = 'sent' | 'undeliverable' | 'already' | 'gone' | 'stopped';

/** Scans one page of a segment, queues its members and the segment's next page. Safe to repeat. */
export async function processSegment(seq: number, segment: number, now: Date): Promise<SegmentOutcome> {
  const record = await segmentOf(seq, segment);
  if (!record || record.done) return 'finished';
  if (!stillAnnounced(await listVersionRecords(), seq)) {
    return (await advanceSegment(record, undefined, 0, true)) ? 'stopped' : 'raced';
  }
  const page = await memberPage(record);
  const at = now.toISOString();
  const bodies = page.memberIds.map((memberId) =>
    JSON.stringify({ kind: 'member', seq, memberId, now: at } satisfies NoticeMessage),
  );
  // Members first, then the step: a crash between the two repeats the page, never skips it.
  await enqueue('policyNotices', bodies);
  const { next } = page;
  if (!(await advanceSegment(record, next, bodies.length, next === undefined))) return 'raced';
  if (next === undefined) return 'finished';
  await queueSegments(seq, [segment], now);
  return 'page';
}

/** The version of `seq`, from the cached list unless it is newer than the cache. */
async function versionRecords(seq: number): Promise<readonly PolicyVersionRecord[]> {
  const cached = await cachedVersionRecords();
  return cached.some((r) => r.seq >= seq) ? cached : listVersionRecords();
}

/**
 * Emails one member the notice of version `seq`, once: claims the member's notice state, sends
 * unless the address is suppressed (then records it undeliverable), and records the outcome.
 */
export async function noticeMember(
  deployed: Catalogue,
  seq: number,
  memberId: string,
  now: Date,
): Promise<MemberNoticeOutcome> {
  const records = await versionRecords(seq);
  const record = stillAnnounced(records, seq);
  if (!record) return 'stopped';
  // The version as it will be in force on its day, and the one it replaces.
  const next = selectInForce(deployed, records, record.effectiveDate).current;
  if (next.seq !== seq) return 'stopped';
  const before = selectInForce(
    deployed,
    records.filter((r) => r.seq < seq),
    record.effectiveDate,
  ).current;

  const attemptId = randomUUID();
  const claimedAt = new Date();
  const claimed = await claimNotice(
    memberId,
    { seq, version: record.version, state: 'sending', attemptId, claimedAt: claimedAt.toISOString() },
    new Date(claimedAt.getTime() - CLAIM_LEASE_MS).toISOString(),
  );
  if (!claimed) return 'already';

  let delivery: Extract<PolicyNoticeState, { state: 'sent' | 'undeliverable' }>['delivery'];
  try {
    const data = await loadMemberData(memberId);
    if (!data) return 'gone';
    const key = await dataKeyOf(memberId);
    const address = key ? noticeAddress(deployed, data, key, now) : undefined;
    if (!address) {
      delivery = key && data.profile.items[deployed.noticeItem] ? 'address-frozen' : 'no-address';
    } else {
      const { subject, text } = policyNoticeText(
        next,
        before,
        process.env[ENV.policyUrl] || undefined,
        data.profile.lang,
      );
      const outcome = await sendNotice(
        { to: address, subject, text },
        { profile: deployed.profile, itemId: deployed.noticeItem },
      );
      delivery = outcome.sent ? 'sent' : 'suppressed';
    }
  } catch (error) {
    // Nothing went out: give the claim back at once, so the redelivery need not wait out the lease.
    await settleNotice(memberId, attemptId, claimed.previous).catch(() => undefined);
    throw error;
  }
  const done: PolicyNoticeState = {
    seq,
    version: record.version,
    state: delivery === 'sent' ? 'sent' : 'undeliverable',
    delivery,
    attemptId,
    at: now.toISOString(),
  };
  return withRetries(async () => {
    // Conditioned on this attempt: a withdrawal meanwhile leaves nothing to record on.
    await settleNotice(memberId, attemptId, done);
    return done.state;
  }, RECORD_ATTEMPTS);
}
