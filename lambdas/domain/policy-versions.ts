/**
 * Published policy versions (L18): the store and the version in force, read through a short
 * per-instance cache, so a view costs at most one Query a minute. Publishing is in
 * policy-publish.ts, the notices in policy-notices.ts.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalogue } from '../../policy/schema';
import { awsCall } from '../adapters/aws-call';
import { documentClient, tableName } from '../adapters/dynamodb';
import { logger } from '../shared/logger';
import { seoulDay } from './clock';
import { type PolicyInForce, type PolicyVersionRecord, selectInForce } from './policy-change';

/** How long an instance trusts its list of versions; a new version shows within this. */
export const POLICY_CACHE_MS = 60_000;
/** The partition holding every version record. */
export const VERSION_PK = 'VERSION';

let cache: { readonly until: number; readonly records: readonly PolicyVersionRecord[] } | undefined;

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
  const inForce = selectInForce(deployed, await cachedVersionRecords(), seoulDay(now));
  if (inForce.unusable.length > 0) {
    // Loud, not silent: a deploy changed what these versions carry; the deployed catalogue governs.
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
