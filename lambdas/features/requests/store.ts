/**
 * The requests table: one item per ledger record, keyed by its id, with two indexes: `open`
 * (sparse, unfinished requests by deadline) and `member`.
 */
import { GetCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../adapters/aws-call';
import { documentClient, putIf, queryAll, tableName, updateIf } from '../../adapters/dynamodb';
import { Conflict } from '../../runtime/errors';
import { OPEN, type RequestRecord } from './rules';

/** Writes a new record; false when one with its id exists already. */
export function putNewRequest(record: RequestRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('requests'),
    Item: record,
    ConditionExpression: 'attribute_not_exists(requestId)',
  });
}

/** A ledger record, read consistently; undefined when there is none. */
export async function getRequest(requestId: string): Promise<RequestRecord | undefined> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName('requests'), Key: { requestId }, ConsistentRead: true }),
    ),
  );
  return out.Item as RequestRecord | undefined;
}

/**
 * Sets and removes attributes of a record, guarded by the status (and claim) it was read at: a
 * concurrent change becomes 409.
 */
export async function updateRequestFrom(
  record: RequestRecord,
  set: Readonly<Record<string, unknown>>,
  remove: readonly string[] = [],
): Promise<void> {
  const names: Record<string, string> = { '#status': 'status', '#until': 'actingUntil' };
  const values: Record<string, unknown> = { ':from': record.status };
  let condition = '#status = :from AND attribute_not_exists(#until)';
  if (record.actingUntil !== undefined) {
    condition = '#status = :from AND #until = :until';
    values[':until'] = record.actingUntil;
  }
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  const updated = await updateIf({
    TableName: tableName('requests'),
    Key: { requestId: record.requestId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  if (!updated) throw new Conflict('Concurrent change', 'The request changed while this ran; reload it.');
}

/** Every unfinished record (awaiting verification, open or being acted on), from the sparse `open` index. */
export function unfinishedRequests(): Promise<RequestRecord[]> {
  return queryAll({
    TableName: tableName('requests'),
    IndexName: 'open',
    KeyConditionExpression: 'openStatus = :open',
    ExpressionAttributeValues: { ':open': OPEN },
  }) as Promise<unknown> as Promise<RequestRecord[]>;
}

/** Unfinished records due before the Seoul day `today`, oldest deadline first. */
export function overdueRequests(today: string): Promise<RequestRecord[]> {
  return queryAll({
    TableName: tableName('requests'),
    IndexName: 'open',
    KeyConditionExpression: 'openStatus = :open AND deadline < :today',
    ExpressionAttributeValues: { ':open': OPEN, ':today': today },
  }) as Promise<unknown> as Promise<RequestRecord[]>;
}

/** A member's records, from the `member` index. */
export function requestsOfMember(memberId: string): Promise<RequestRecord[]> {
  return queryAll({
    TableName: tableName('requests'),
    IndexName: 'member',
    KeyConditionExpression: 'memberId = :m',
    ExpressionAttributeValues: { ':m': memberId },
  }) as Promise<unknown> as Promise<RequestRecord[]>;
}

/** Every record of the ledger, page after page (the adapter has paged queries, not scans). */
export async function allRequests(): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  const input: ScanCommandInput = { TableName: tableName('requests') };
  do {
    const page = await awsCall('dynamodb', () => documentClient.send(new ScanCommand(input)));
    records.push(...((page.Items ?? []) as RequestRecord[]));
    input.ExclusiveStartKey = page.LastEvaluatedKey;
  } while (input.ExclusiveStartKey);
  return records;
}
