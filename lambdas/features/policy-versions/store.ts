/**
 * Published policy versions (L18) in the policy-versions table: the version records, read
 * through a short per-instance cache so a view costs at most one Query a minute, and the
 * progress of each version's notice fan-out (one item per scan segment of the members table).
 * Publishing is in publish.ts, the notices in fanout.ts and notices.ts.
 */
import { seoulDay } from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';
import {
  getItem,
  type Item,
  queryAll,
  queryPage,
  tableName,
  transactIf,
  updateIf,
} from '../../adapters/dynamodb';
import { DependencyFailed } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { type PolicyInForce, type PolicyVersionRecord, type SegmentRecord, selectInForce } from './rules';

/** How long an instance trusts its list of versions; a new version shows within this. */
export const POLICY_CACHE_MS = 60_000;
/** The partition holding every version record. */
export const VERSION_PK = 'VERSION';
/** Scan segments of the members table per version: pages of different segments run in parallel. */
export const FANOUT_SEGMENTS = 16;

let cache: { readonly until: number; readonly records: readonly PolicyVersionRecord[] } | undefined;
/** The read whose unusable versions were last logged. */
let reported: readonly PolicyVersionRecord[] | undefined;

/** Every published version, oldest first (every route that reads the policy in force bundles this read). */
export async function listVersionRecords(): Promise<PolicyVersionRecord[]> {
  const records = await queryAll<PolicyVersionRecord>({
    TableName: tableName('policyVersions'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': VERSION_PK },
    ConsistentRead: true,
  });
  cache = { until: Date.now() + POLICY_CACHE_MS, records };
  return records;
}

/** The versions as this instance last read them, read again when older than {@link POLICY_CACHE_MS}. */
export async function cachedVersionRecords(): Promise<readonly PolicyVersionRecord[]> {
  // The cache's age is process time, not the policy clock: it bounds staleness, nothing else.
  if (cache && cache.until > Date.now()) return cache.records;
  return listVersionRecords();
}

/** Forgets the cached versions (tests, and an instance that just published). */
export function clearPolicyCache(): void {
  cache = undefined;
}

/** The version in force at `now` (Seoul day) and the upcoming one, from the cached versions. */
export async function policyInForce(deployed: Catalogue, now: Date): Promise<PolicyInForce> {
  const records = await cachedVersionRecords();
  const inForce = selectInForce(deployed, records, seoulDay(now));
  if (inForce.unusable.length > 0 && reported !== records) {
    // Loud, not silent (once per read): a deploy changed what these versions carry, and the
    // deployed catalogue governs instead of them.
    reported = records;
    logger.error('published policy versions unusable with the deployed catalogue', {
      versions: inForce.unusable,
    });
  }
  return inForce;
}

/** The catalogue in force at `now`: the current published version, or the deployed catalogue. */
export async function catalogueInForce(deployed: Catalogue, now: Date): Promise<Catalogue> {
  return (await policyInForce(deployed, now)).current.catalogue;
}

/** The partition of a version's fan-out progress (one item per scan segment). */
export const fanOutPk = (seq: number) => `FANOUT#${seq}`;
/** The sort key of a segment's progress item. */
export const segmentSk = (segment: number) => `SEG#${String(segment).padStart(3, '0')}`;

/** The progress items a publish writes with its version: every segment at its start. */
export function fanOutItems(seq: number): SegmentRecord[] {
  return Array.from({ length: FANOUT_SEGMENTS }, (_, segment) => ({
    pk: fanOutPk(seq),
    sk: segmentSk(segment),
    seq,
    segment,
    totalSegments: FANOUT_SEGMENTS,
    step: 0,
    done: false,
    queued: 0,
  }));
}

/**
 * Writes a new version with its fan-out progress items, in one transaction; false when any of
 * them exists already (another version took its sequence number).
 */
export function saveVersion(record: PolicyVersionRecord): Promise<boolean> {
  const table = tableName('policyVersions');
  return transactIf(
    [record, ...fanOutItems(record.seq)].map((Item) => ({
      Put: { TableName: table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    })),
  );
}

/**
 * Removes a version with its progress items, in one transaction, if it is still the one
 * published under `record.publishId`; any failure, that condition's included, fails.
 */
export async function deleteVersion(record: PolicyVersionRecord): Promise<void> {
  const table = tableName('policyVersions');
  const deleted = await transactIf([
    {
      Delete: {
        TableName: table,
        Key: { pk: record.pk, sk: record.sk },
        ConditionExpression: 'publishId = :id',
        ExpressionAttributeValues: { ':id': record.publishId },
      },
    },
    ...fanOutItems(record.seq).map((item) => ({
      Delete: { TableName: table, Key: { pk: item.pk, sk: item.sk } },
    })),
  ]);
  if (!deleted)
    throw new DependencyFailed('dynamodb', {
      cause: new Error('The version changed before it could be withdrawn'),
    });
}

/**
 * The progress items of version `seq`'s fan-out, read consistently. One page holds them all:
 * {@link FANOUT_SEGMENTS} small items, far below a query page's 1 MB.
 */
export async function segmentsOf(seq: number): Promise<SegmentRecord[]> {
  const { items } = await queryPage<SegmentRecord>({
    TableName: tableName('policyVersions'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': fanOutPk(seq) },
    ConsistentRead: true,
  });
  return items;
}

/** One segment's progress item, read consistently; undefined when there is none. */
export function segmentOf(seq: number, segment: number): Promise<SegmentRecord | undefined> {
  return getItem<SegmentRecord>({
    TableName: tableName('policyVersions'),
    Key: { pk: fanOutPk(seq), sk: segmentSk(segment) },
    ConsistentRead: true,
  });
}

/**
 * Advances a segment past one page: its step, the members queued, and where the next page
 * starts (none: the segment is done). Conditioned on the step it was read at, so one delivery
 * advances it; false when another advanced it first.
 */
export async function advanceSegment(
  record: SegmentRecord,
  next: Item | undefined,
  queued: number,
  done: boolean,
): Promise<boolean> {
  return (
    (await updateIf({
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
    })) !== undefined
  );
}
