/**
 * The operator's own stores, reached by their physical names from the catalogue: a member's
 * items in a DynamoDB table (by partition key or a member index), a member's objects under an S3
 * prefix. Erasure is paged, batched and retried, and safe to repeat: a second run finds nothing.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { batchWriteTo, type Item, queryPage } from './dynamodb';

let client: S3Client | undefined;

/** The shared S3 client; an emulator is addressed by path (it has no bucket host names). */
function s3(): S3Client {
  client ??= new S3Client({ region: SEOUL_REGION, forcePathStyle: Boolean(process.env[ENV.endpoint]) });
  return client;
}

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

/** S3 deletes at most 1,000 keys per request. */
const DELETE_BATCH = 1000;
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
    const listed = await awsCall('s3', () =>
      s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: DELETE_BATCH })),
    );
    const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId ?? 'null',
    }));
    if (objects.length === 0) return erased;
    const out = await awsCall('s3', () =>
      s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } })),
    );
    if ((out.Errors ?? []).length > 0)
      throw new DependencyFailed('s3', { cause: new Error(`${out.Errors!.length} objects not deleted`) });
    erased += objects.length;
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
  let token: string | undefined;
  do {
    const page = await awsCall('s3', () =>
      s3().send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      ),
    );
    for (const entry of page.Contents ?? []) {
      const got = await awsCall('s3', () =>
        s3().send(new GetObjectCommand({ Bucket: bucket, Key: entry.Key! })),
      );
      const bytes = got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
      objects.push({
        key: entry.Key!.slice(prefix.length),
        size: entry.Size ?? bytes.length,
        ...(entry.LastModified ? { lastModified: entry.LastModified.toISOString() } : {}),
        content: Buffer.from(bytes).toString('base64'),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}
