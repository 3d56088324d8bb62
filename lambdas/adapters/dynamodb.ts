/**
 * The DynamoDB document client, built once per process, and the few shapes every store writes
 * with: paged queries, conditional puts and updates, transactions, and batch writes that retry
 * what DynamoDB leaves unprocessed. The region is the catalogue's (Seoul) and never anything
 * else; an emulator is reached only through AWS_ENDPOINT_URL, which the SDK reads itself, so no
 * code path differs between AWS and a local stack. Every failure that is not a condition the
 * caller asked about becomes {@link DependencyFailed}.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DeleteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type IndexDefinition, type TableName, tableEnv } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { DependencyFailed } from '../runtime/errors';
import { awsCall, cancelledByCondition, cancelledByConflict, concurrentChange } from './aws-call';

/** Document client that drops undefined attributes and never converts unknown classes. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: SEOUL_REGION }), {
  marshallOptions: { removeUndefinedValues: true },
});

/** The physical name of a table, read from its environment variable on first use. */
export function tableName(table: TableName): string {
  return requireEnv(tableEnv(table));
}

/** An item as the document client returns it. */
export type Item = Record<string, unknown>;

/** One item by its key, or undefined when there is none; `T` is the shape the caller stored. */
export async function getItem<T extends object = Item>(input: GetCommandInput): Promise<T | undefined> {
  return (await awsCall('dynamodb', () => documentClient.send(new GetCommand(input)))).Item as T | undefined;
}

/** One page of a query or scan: its items and where the next page starts, if there is one. */
export interface Page<T = Item> {
  readonly items: T[];
  readonly next: Item | undefined;
}

/** One page of a query; `T` is the shape the caller stored. */
export async function queryPage<T extends object = Item>(input: QueryCommandInput): Promise<Page<T>> {
  const page = await awsCall('dynamodb', () => documentClient.send(new QueryCommand(input)));
  return { items: (page.Items ?? []) as T[], next: page.LastEvaluatedKey };
}

/** One page of a scan (of one segment, with `Segment`/`TotalSegments`); `T` is the shape the caller stored. */
export async function scanPage<T extends object = Item>(input: ScanCommandInput): Promise<Page<T>> {
  const page = await awsCall('dynamodb', () => documentClient.send(new ScanCommand(input)));
  return { items: (page.Items ?? []) as T[], next: page.LastEvaluatedKey };
}

/** Every item of every page, from where `input` starts (the paged loop, written once). */
async function allPages<T, Input extends { ExclusiveStartKey?: Item }>(
  read: (input: Input) => Promise<Page<T>>,
  input: Input,
): Promise<T[]> {
  const items: T[] = [];
  let start = input.ExclusiveStartKey;
  do {
    const page = await read({ ...input, ExclusiveStartKey: start });
    items.push(...page.items);
    start = page.next;
  } while (start);
  return items;
}

/** Every item a query matches, page after page; `T` is the shape the caller stored. */
export function queryAll<T extends object = Item>(input: QueryCommandInput): Promise<T[]> {
  return allPages<T, QueryCommandInput>(queryPage<T>, input);
}

/** Every item under one partition value of an index (keys only where the index projects only keys). */
export function queryIndex<T extends object = Item>(
  table: TableName,
  index: IndexDefinition,
  value: string,
): Promise<T[]> {
  return queryAll<T>({
    TableName: tableName(table),
    IndexName: index.name,
    KeyConditionExpression: '#value = :value',
    ExpressionAttributeNames: { '#value': index.partitionKey.name },
    ExpressionAttributeValues: { ':value': value },
  });
}

/** Every item a scan reads, page after page; `T` is the shape the caller stored. */
export function scanAll<T extends object = Item>(input: ScanCommandInput): Promise<T[]> {
  return allPages<T, ScanCommandInput>(scanPage<T>, input);
}

/** A put that must succeed: a failed condition fails closed like any other failure. */
export async function putItem(input: PutCommandInput): Promise<void> {
  await awsCall('dynamodb', () => documentClient.send(new PutCommand(input)));
}

/** An update that must succeed: a failed condition fails closed like any other failure. */
export async function updateItem(input: UpdateCommandInput): Promise<void> {
  await awsCall('dynamodb', () => documentClient.send(new UpdateCommand(input)));
}

/** A delete that must succeed (deleting what is not there succeeds). */
export async function deleteItem(input: DeleteCommandInput): Promise<void> {
  await awsCall('dynamodb', () => documentClient.send(new DeleteCommand(input)));
}

/**
 * Runs a conditional write: undefined when its condition does not hold, so the caller decides
 * what that means; any other failure fails closed.
 */
async function unlessConditionFails<T>(send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await awsCall('dynamodb', send, ['ConditionalCheckFailedException']);
  } catch (error) {
    if (cancelledByCondition(error)) return undefined;
    throw error;
  }
}

/** A put guarded by its condition (new ids, claims): false when the condition does not hold. */
export async function putIf(input: PutCommandInput): Promise<boolean> {
  return (await unlessConditionFails(() => documentClient.send(new PutCommand(input)))) !== undefined;
}

/**
 * An update guarded by its condition: undefined when the condition does not hold, else the
 * attributes the update returned (an empty object when it asked for none).
 */
export async function updateIf(input: UpdateCommandInput): Promise<Item | undefined> {
  const out = await unlessConditionFails(() => documentClient.send(new UpdateCommand(input)));
  return out && (out.Attributes ?? {});
}

/** A delete guarded by its condition: false when the condition does not hold. */
export async function deleteIf(input: DeleteCommandInput): Promise<boolean> {
  return (await unlessConditionFails(() => documentClient.send(new DeleteCommand(input)))) !== undefined;
}

/** A transaction item of any kind, as lib-dynamodb takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes a transaction: false when a condition of it failed (nothing was written), so the caller
 * names the conflict; a conflict with another transaction is a 409 to retry; throttling and every
 * other failure fail closed.
 */
export async function transactIf(items: readonly TransactItem[]): Promise<boolean> {
  if (items.length === 0) return true;
  try {
    await awsCall(
      'dynamodb',
      () => documentClient.send(new TransactWriteCommand({ TransactItems: [...items] })),
      ['TransactionCanceledException'],
    );
    return true;
  } catch (error) {
    if (cancelledByCondition(error)) return false;
    if (cancelledByConflict(error)) throw concurrentChange();
    throw new DependencyFailed('dynamodb', { cause: error });
  }
}

/** A put or a delete of a batch write. */
export type BatchRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** Attempts at a batch before what is still unprocessed fails the caller. */
const BATCH_ATTEMPTS = 5;

/**
 * Writes requests in batches of 25, retrying with backoff what DynamoDB leaves unprocessed;
 * what is still unprocessed after {@link BATCH_ATTEMPTS} attempts fails closed, and the caller
 * (a withdrawal, a sweep) is safe to run again.
 */
export async function batchWrite(table: TableName, requests: readonly BatchRequest[]): Promise<void> {
  return batchWriteTo(tableName(table), requests);
}

/** {@link batchWrite} on a table named physically (an operator's silo table). */
export async function batchWriteTo(name: string, requests: readonly BatchRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) {
        throw new DependencyFailed('dynamodb', { cause: new Error('Writes left unprocessed after retries') });
      }
      const out = await awsCall('dynamodb', () =>
        documentClient.send(new BatchWriteCommand({ RequestItems: { [name]: [...pending] } })),
      );
      pending = (out.UnprocessedItems?.[name] ?? []) as BatchRequest[];
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
