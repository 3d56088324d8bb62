/**
 * Destroys vault records whose legal period has ended (L7/G7, L9, L10). DynamoDB TTL deletes
 * "typically within two days"; the sweeper closes that gap so a deadline holds to the day.
 * Candidates come from a sparse index bucketed by expiry day, so the cost follows the number of
 * expiring records, not the size of the vault.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, seoulDaysEndingAt } from '../../../model/calendar';
import { tables } from '../../../model/resources';
import { documentClient, tableName } from '../../adapters/dynamodb';

/** Days of expiry buckets each run revisits, so a run missed for a week catches up. */
export const SWEEP_LOOKBACK_DAYS = 14;
/** Deletes in flight at once: bounded so a large day does not throttle the table. */
const CONCURRENCY = 16;

const expiryIndex = tables.vault.indexes[0];

/** Counts of one sweep. */
export interface SweepCounts {
  readonly candidates: number;
  readonly deleted: number;
  readonly notYetDue: number;
}

interface VaultKey {
  pk: string;
  sk: string;
}

async function candidatesOf(day: string): Promise<VaultKey[]> {
  const keys: VaultKey[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName('vault'),
        IndexName: expiryIndex.name,
        KeyConditionExpression: '#day = :day',
        ExpressionAttributeNames: { '#day': expiryIndex.partitionKey.name },
        ExpressionAttributeValues: { ':day': day },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) keys.push({ pk: String(item.pk), sk: String(item.sk) });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return keys;
}

/** Deletes one record if it is due; false when it is not (yet), or already gone. */
async function deleteIfDue(key: VaultKey, nowSeconds: number): Promise<boolean> {
  try {
    await documentClient.send(
      new DeleteCommand({
        TableName: tableName('vault'),
        Key: key,
        ConditionExpression: '#exp <= :now',
        ExpressionAttributeNames: { '#exp': tables.vault.ttlAttribute },
        ExpressionAttributeValues: { ':now': nowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Deletes every vault record due at `now`; safe to rerun and to run concurrently. */
export async function sweepVault(now: Date): Promise<SweepCounts> {
  const nowSeconds = epochSeconds(now);
  let candidates = 0;
  let deleted = 0;
  for (const day of seoulDaysEndingAt(now, SWEEP_LOOKBACK_DAYS)) {
    const keys = await candidatesOf(day);
    candidates += keys.length;
    for (let i = 0; i < keys.length; i += CONCURRENCY) {
      const results = await Promise.all(
        keys.slice(i, i + CONCURRENCY).map((k) => deleteIfDue(k, nowSeconds)),
      );
      deleted += results.filter(Boolean).length;
    }
  }
  return { candidates, deleted, notYetDue: candidates - deleted };
}
