import { epochSeconds } from '../../../model/calendar';
import { EXPIRY_ATTRIBUTE } from '../../../model/resources';
import { type Item, putItem, queryPage, tableName } from '../../adapters/dynamodb';
import type { StoredAccess } from './rules';

/**
 * Writes one record; a failure (even a record already under its id) fails the call it records.
 * The record's expiry is the table's TTL attribute: the type fails to compile if they part.
 */
export function putAccessRecord(
  record: StoredAccess & Record<typeof EXPIRY_ATTRIBUTE, number>,
): Promise<void> {
  return putItem({
    TableName: tableName('accessLog'),
    Item: record,
    // A record is written once and never replaced.
    ConditionExpression: 'attribute_not_exists(memberId)',
  });
}

/**
 * The member's records still within their period at `now`, newest first: at least `limit` of
 * them when there are as many, and more only when there are more than `limit`.
 */
export async function liveAccessRecords(memberId: string, now: Date, limit: number): Promise<StoredAccess[]> {
  const records: StoredAccess[] = [];
  let start: Item | undefined;
  do {
    const page = await queryPage({
      TableName: tableName('accessLog'),
      KeyConditionExpression: 'memberId = :m',
      FilterExpression: '#exp > :now',
      ExpressionAttributeNames: { '#exp': EXPIRY_ATTRIBUTE },
      ExpressionAttributeValues: { ':m': memberId, ':now': epochSeconds(now) },
      ScanIndexForward: false,
      // Six months of calls can be thousands of records: the view reads only what it lists.
      ...(Number.isFinite(limit) ? { Limit: limit + 1 } : {}),
      ExclusiveStartKey: start,
    });
    records.push(...(page.items as unknown as StoredAccess[]));
    start = page.next;
  } while (start && records.length <= limit);
  return records;
}
