/**
 * The handler-access table: one partition holding the whole chain, sorted by sequence number.
 * Records are only ever added, each under a number no record holds yet; TTL alone removes them.
 */
import { type Item, putIf, queryPage, tableName } from '../../adapters/dynamodb';
import { ACCESS_CHAIN, type AccessRecord } from './rules';

/** The newest record of the chain, read consistently; undefined while the chain is empty. */
export async function chainTail(): Promise<AccessRecord | undefined> {
  const page = await queryPage({
    TableName: tableName('handlerAccess'),
    KeyConditionExpression: 'chain = :c',
    ExpressionAttributeValues: { ':c': ACCESS_CHAIN },
    ScanIndexForward: false,
    Limit: 1,
    ConsistentRead: true,
  });
  return page.items[0] as AccessRecord | undefined;
}

/** Adds a record under its sequence number; false when another record took that number first. */
export function putNextRecord(record: AccessRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('handlerAccess'),
    Item: record,
    ConditionExpression: 'attribute_not_exists(seq)',
  });
}

/** Reads the whole chain in order, page by page. */
export async function* chainRecords(
  order: 'oldest-first' | 'newest-first' = 'oldest-first',
): AsyncGenerator<AccessRecord> {
  let start: Item | undefined;
  do {
    const page = await queryPage({
      TableName: tableName('handlerAccess'),
      KeyConditionExpression: 'chain = :c',
      ExpressionAttributeValues: { ':c': ACCESS_CHAIN },
      ScanIndexForward: order === 'oldest-first',
      ConsistentRead: true,
      ExclusiveStartKey: start,
    });
    for (const item of page.items) yield item as unknown as AccessRecord;
    start = page.next;
  } while (start);
}
