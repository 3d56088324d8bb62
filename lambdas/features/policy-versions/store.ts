/**
 * Published policy versions (L18): the store and the version in force, read through a short
 * per-instance cache, so a view costs at most one Query a minute. Publishing is in
 * policy-publish.ts, the notices in policy-notices.ts.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { seoulDay } from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';
import { compareVersions } from '../../../policy/versions';
import { awsCall } from '../../adapters/aws-call';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { logger } from '../../runtime/logger';
import { isSuperseded, type PolicyInForce, type PolicyVersionRecord, selectInForce } from './rules';

/** How long an instance trusts its list of versions; a new version shows within this. */
export const POLICY_CACHE_MS = 60_000;
/** The partition holding every version record. */
export const VERSION_PK = 'VERSION';
/** Scan segments of the members table per version: pages of different segments run in parallel. */
export const FANOUT_SEGMENTS = 16;

let cache: { readonly until: number; readonly records: readonly PolicyVersionRecord[] } | undefined;
/** The read whose unusable versions were last logged. */
let reported: readonly PolicyVersionRecord[] | undefined;

/** Every published version, oldest first. */
export async function listVersionRecords(): Promise<PolicyVersionRecord[]> {
  const records: PolicyVersionRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName('policyVersions'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': VERSION_PK },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    records.push(...((page.Items ?? []) as PolicyVersionRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
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

/** The progress of one scan segment of one version's fan-out. */
export interface SegmentRecord {
  readonly pk: string;
  readonly sk: string;
  readonly seq: number;
  readonly segment: number;
  readonly totalSegments: number;
  /** Pages done; the next page's write is conditioned on it, so one delivery advances it. */
  readonly step: number;
  /** Where the next page starts; absent before the first page and after the last. */
  readonly cursor?: Record<string, unknown>;
  readonly done: boolean;
  /** Members queued so far (duplicates from raced pages not counted twice). */
  readonly queued: number;
}

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

/** How far a version's notices have gone. */
export interface FanOutProgress {
  readonly segments: number;
  readonly segmentsDone: number;
  /** Members queued for a notice so far; the worker's log counts sent and undeliverable ones. */
  readonly membersQueued: number;
}

async function progressOf(seq: number): Promise<FanOutProgress> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName('policyVersions'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': fanOutPk(seq) },
        ConsistentRead: true,
      }),
    ),
  );
  const segments = (out.Items ?? []) as SegmentRecord[];
  return {
    segments: segments.length,
    segmentsDone: segments.filter((s) => s.done).length,
    membersQueued: segments.reduce((sum, s) => sum + s.queued, 0),
  };
}

/** Where a published version stands. */
export type VersionStatus =
  | 'in-force'
  | 'upcoming'
  | 'past'
  | 'superseded'
  | 'replaced-by-deploy'
  | 'unusable';

/** One published version as the officer's list shows it: never the catalogue itself. */
export interface VersionSummary {
  readonly version: string;
  readonly effectiveDate: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly status: VersionStatus;
  readonly notices: FanOutProgress;
}

/** Every published version, newest first, with its status on the Seoul day of `now` and its notices' progress. */
export async function describeVersions(
  deployed: Catalogue,
  now: Date,
): Promise<{
  deployed: { version: string; effectiveDate: string };
  inForce: string;
  versions: VersionSummary[];
}> {
  const records = await listVersionRecords();
  const inForce = selectInForce(deployed, records, seoulDay(now));
  const statusOf = (r: PolicyVersionRecord): VersionStatus => {
    if (compareVersions(r.version, deployed.policy.version) <= 0) return 'replaced-by-deploy';
    if (isSuperseded(r, records)) return 'superseded';
    if (inForce.unusable.includes(r.version)) return 'unusable';
    if (inForce.current.seq === r.seq) return 'in-force';
    return inForce.upcoming?.seq === r.seq ? 'upcoming' : 'past';
  };
  const versions = await Promise.all(
    [...records].reverse().map(async (r) => ({
      version: r.version,
      effectiveDate: r.effectiveDate,
      summary: r.summary,
      publishedAt: r.publishedAt,
      publishedBy: r.publishedBy,
      status: statusOf(r),
      notices: await progressOf(r.seq),
    })),
  );
  return {
    deployed: { version: deployed.policy.version, effectiveDate: deployed.policy.effectiveDate },
    inForce: inForce.current.version,
    versions,
  };
}
