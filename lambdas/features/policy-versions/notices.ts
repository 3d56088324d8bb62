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
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { memberPk } from '../../../model/members-table';
import { ENV } from '../../../model/resources';
import { queues } from '../../../model/workloads';
import type { Catalogue } from '../../../policy/schema';
import { awsCall } from '../../adapters/aws-call';
import { dataKeyOf } from '../../adapters/data-keys';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { sendNotice } from '../../adapters/mailer';
import { enqueue } from '../../adapters/queue';
import { loadMemberData, updateProfileIf } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import { type NoticeMessage, queueSegments } from './fanout';
import { type PolicyVersionRecord, policyNoticeText, selectInForce } from './rules';
import { cachedVersionRecords, fanOutPk, listVersionRecords, type SegmentRecord, segmentSk } from './store';

/** Items a page reads at most (profiles and the rest of each partition alike). */
export const SCAN_PAGE_ITEMS = 1_000;
/** A claim older than one delivery's lifetime belongs to a delivery that died: it may be taken over. */
const CLAIM_LEASE_MS = queues.policyNotices.workerTimeoutSeconds * 1000;
/** Attempts at recording a notice that went out: losing that record means a second notice. */
const RECORD_ATTEMPTS = 5;

/** The notice state on a member's profile: the latest version noticed, or being noticed. */
export type PolicyNoticeState =
  | {
      readonly seq: number;
      readonly version: string;
      readonly state: 'sending';
      readonly attemptId: string;
      /** Process time of the claim, for the lease; not the policy clock. */
      readonly claimedAt: string;
    }
  | {
      readonly seq: number;
      readonly version: string;
      readonly state: 'sent' | 'undeliverable';
      readonly delivery: 'sent' | 'suppressed' | 'no-address' | 'address-frozen';
      readonly attemptId: string;
      readonly at: string;
    };

/** What a segment message did. */
export type SegmentOutcome = 'page' | 'finished' | 'raced' | 'stopped';
/** What a member message did. */
export type MemberNoticeOutcome = 'sent' | 'undeliverable' | 'already' | 'gone' | 'stopped';

/** Whether the fan-out of `seq` should go on: the version exists and no newer one was published. */
function stillAnnounced(
  records: readonly PolicyVersionRecord[],
  seq: number,
): PolicyVersionRecord | undefined {
  const record = records.find((r) => r.seq === seq);
  // A newer version's notice reaches every member; an older one's would only confuse.
  if (!record || records.some((r) => r.seq > seq)) return undefined;
  return record;
}

async function segmentOf(seq: number, segment: number): Promise<SegmentRecord | undefined> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({
        TableName: tableName('policyVersions'),
        Key: { pk: fanOutPk(seq), sk: segmentSk(segment) },
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item as SegmentRecord | undefined;
}

/** Advances a segment past one page; false when another delivery advanced it first. */
async function advance(
  record: SegmentRecord,
  next: Record<string, unknown> | undefined,
  queued: number,
  stopped = false,
): Promise<boolean> {
  const done = stopped || next === undefined;
  try {
    await awsCall(
      'dynamodb',
      () =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName('policyVersions'),
            Key: { pk: record.pk, sk: record.sk },
            UpdateExpression: `SET #step = :next, #done = :done, #queued = #queued + :queued${done ? ' REMOVE #cursor' : ', #cursor = :cursor'}`,
            ConditionExpression: '#step = :step',
            ExpressionAttributeNames: {
              '#step': 'step',
              '#done': 'done',
              '#queued': 'queued',
              '#cursor': 'cursor',
            },
            ExpressionAttributeValues: {
              ':step': record.step,
              ':next': record.step + 1,
              ':done': done,
              ':queued': queued,
              ...(done ? {} : { ':cursor': next }),
            },
          }),
        ),
      ['ConditionalCheckFailedException'],
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Scans one page of a segment, queues its members and the segment's next page. Safe to repeat. */
export async function processSegment(seq: number, segment: number, now: Date): Promise<SegmentOutcome> {
  const record = await segmentOf(seq, segment);
  if (!record || record.done) return 'finished';
  if (!stillAnnounced(await listVersionRecords(), seq)) {
    return (await advance(record, undefined, 0, true)) ? 'stopped' : 'raced';
  }
  const page = await awsCall('dynamodb', () =>
    documentClient.send(
      new ScanCommand({
        TableName: tableName('members'),
        Segment: record.segment,
        TotalSegments: record.totalSegments,
        Limit: SCAN_PAGE_ITEMS,
        ExclusiveStartKey: record.cursor,
        // Member profiles only; a withdrawal under way is not a member to tell.
        FilterExpression: 'sk = :profile AND #status <> :withdrawing',
        ProjectionExpression: 'pk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':profile': 'PROFILE', ':withdrawing': 'withdrawing' },
      }),
    ),
  );
  const at = now.toISOString();
  const bodies = (page.Items ?? []).map((item) =>
    JSON.stringify({
      kind: 'member',
      seq,
      memberId: String(item.pk).slice(memberPk('').length),
      now: at,
    } satisfies NoticeMessage),
  );
  // Members first, then the step: a crash between the two repeats the page, never skips it.
  await enqueue('policyNotices', bodies);
  const next = page.LastEvaluatedKey;
  if (!(await advance(record, next, bodies.length))) return 'raced';
  if (next === undefined) return 'finished';
  await queueSegments(seq, [segment], now);
  return 'page';
}

/** A conditional update of a member's profile, with the notice state it replaced; undefined when the condition no longer holds. */
async function updateProfile(
  memberId: string,
  update: string,
  condition: string,
  names: Record<string, string>,
  values: Record<string, unknown>,
): Promise<{ readonly previous: PolicyNoticeState | undefined } | undefined> {
  const old = await updateProfileIf(memberId, { update, condition, names, values, returnOld: true });
  return old && { previous: old.policyNotice as PolicyNoticeState | undefined };
}

/** Puts back the notice state a claim replaced, if the claim is still this attempt's. */
async function release(memberId: string, attemptId: string, previous: PolicyNoticeState | undefined) {
  await updateProfile(
    memberId,
    previous ? 'SET #notice = :previous' : 'REMOVE #notice',
    '#notice.#attempt = :attempt',
    { '#notice': 'policyNotice', '#attempt': 'attemptId' },
    { ':attempt': attemptId, ...(previous ? { ':previous': previous } : {}) },
  );
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
  const claimed = await updateProfile(
    memberId,
    'SET #notice = :claim',
    'attribute_exists(pk) AND #status <> :withdrawing AND (attribute_not_exists(#notice) OR #notice.#seq < :seq OR (#notice.#seq = :seq AND #notice.#state = :sending AND #notice.#claimedAt < :stale))',
    {
      '#notice': 'policyNotice',
      '#status': 'status',
      '#seq': 'seq',
      '#state': 'state',
      '#claimedAt': 'claimedAt',
    },
    {
      ':claim': {
        seq,
        version: record.version,
        state: 'sending',
        attemptId,
        claimedAt: claimedAt.toISOString(),
      } satisfies PolicyNoticeState,
      ':withdrawing': 'withdrawing',
      ':seq': seq,
      ':sending': 'sending',
      ':stale': new Date(claimedAt.getTime() - CLAIM_LEASE_MS).toISOString(),
    },
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
      const { subject, text } = policyNoticeText(next, before, process.env[ENV.policyUrl] || undefined);
      const outcome = await sendNotice(
        { to: address, subject, text },
        { profile: deployed.profile, itemId: deployed.noticeItem },
      );
      delivery = outcome.sent ? 'sent' : 'suppressed';
    }
  } catch (error) {
    // Nothing went out: give the claim back at once, so the redelivery need not wait out the lease.
    await release(memberId, attemptId, claimed.previous).catch(() => undefined);
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
  for (let attempt = 1; ; attempt++) {
    try {
      // Conditioned on this attempt: a withdrawal meanwhile leaves nothing to record on.
      await updateProfile(
        memberId,
        'SET #notice = :done',
        '#notice.#attempt = :attempt',
        { '#notice': 'policyNotice', '#attempt': 'attemptId' },
        { ':done': done, ':attempt': attemptId },
      );
      return done.state;
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    }
  }
}
