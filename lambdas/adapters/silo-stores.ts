/**
 * The operator's own stores, reached by their physical names from the catalogue: a member's
 * items in a DynamoDB table (by partition key or a member index), a member's objects under an S3
 * prefix. Erasure is paged, batched and retried, and safe to repeat: a second run finds nothing.
 */
import { DependencyFailed } from '../runtime/errors';
import { batchWriteTo, type Item, queryPage } from './dynamodb';
import { deleteVersions, firstVersions, getObject, listObjects } from './signed-s3';

/** Where a member's items are in a silo table. */
export interface TableLocation {
  readonly table: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly memberIndex?: { readonly name: string; readonly attribute: string };
}

/** One page of the member's items at `at`, keys only when `keysOnly`. */
function memberPage(at: TableLocation, memberId: string, keysOnly: boolean, start?: Item) {
  const attribute = at.memberIndex?.attribute ?? at.partitionKey;
  const keys = [at.partitionKey, ...(at.sortKey ? [at.sortKey] : [])];
  return queryPage({
    TableName: at.table,
    ...(at.memberIndex ? { IndexName: at.memberIndex.name } : {}),
    KeyConditionExpression: '#m = :m',
    ExpressionAttributeNames: {
      '#m': attribute,
      ...(keysOnly ? Object.fromEntries(keys.map((k, i) => [`#k${i}`, k])) : {}),
    },
    ExpressionAttributeValues: { ':m': memberId },
    ...(keysOnly ? { ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', ') } : {}),
    ...(start ? { ExclusiveStartKey: start } : {}),
  });
}

/** Deletes every item of the member in a silo table; how many there were. */
export async function eraseTableItems(at: TableLocation, memberId: string): Promise<number> {
  let erased = 0;
  let start: Item | undefined;
  do {
    const page = await memberPage(at, memberId, true, start);
    const requests = page.items.map((item) => ({
      DeleteRequest: {
        Key: {
          [at.partitionKey]: item[at.partitionKey],
          ...(at.sortKey ? { [at.sortKey]: item[at.sortKey] } : {}),
        },
      },
    }));
    await batchWriteTo(at.table, requests);
    erased += requests.length;
    start = page.next;
  } while (start);
  return erased;
}

/** Every item of the member in a silo table, as stored. */
export async function readTableItems(at: TableLocation, memberId: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await memberPage(at, memberId, false, start);
    items.push(...page.items);
    start = page.next;
  } while (start);
  return items;
}

/** Rounds of listing and deleting before what is left fails the step (it is then retried). */
const ERASE_ROUNDS = 10_000;

/**
 * Deletes every object under `prefix` of `bucket`, every version and every delete marker (a
 * versioned bucket keeps the rest); how many versions and markers there were. Each round lists
 * from the start again, so objects written meanwhile are caught too.
 */
export async function eraseObjects(bucket: string, prefix: string): Promise<number> {
  let erased = 0;
  for (let round = 0; round < ERASE_ROUNDS; round++) {
    const versions = await firstVersions(bucket, prefix);
    if (versions.length === 0) return erased;
    await deleteVersions(bucket, versions);
    erased += versions.length;
  }
  throw new DependencyFailed('s3', { cause: new Error('Objects left after every round') });
}

/** One object of a member, as an export shows it. */
export interface StoredObject {
  /** The key below the member's prefix. */
  readonly key: string;
  readonly size: number;
  readonly lastModified?: string;
  /** The content, base64. */
  readonly content: string;
}

/** Every current object under `prefix` of `bucket`, with its content. */
export async function readObjects(bucket: string, prefix: string): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for (const entry of await listObjects(bucket, prefix)) {
    const bytes = await getObject(bucket, entry.key);
    objects.push({
      key: entry.key.slice(prefix.length),
      size: entry.size,
      ...(entry.lastModified ? { lastModified: entry.lastModified } : {}),
      content: Buffer.from(bytes).toString('base64'),
    });
  }
  return objects;
}
