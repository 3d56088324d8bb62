/**
 * The requests table: one item per ledger record, keyed by its id, with two indexes: `open`
 * (sparse, unfinished requests by deadline) and `member`. Updates and paged reads are written
 * out here rather than with the adapter's helpers: every self-service route and every officer
 * action bundles this store, and the helpers would grow each of them.
 */
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { awsCall, cancelledByCondition } from '../../adapters/aws-call';
import { documentClient, type Item, putIf, tableName } from '../../adapters/dynamodb';
import { Conflict, NotFound } from '../../runtime/errors';
import { OPEN, type RequestFilter, type RequestRecord } from './rules';

/** Writes a new record; false when one with its id exists already. */
export function putNewRequest(record: RequestRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('requests'),
    Item: record,
    ConditionExpression: 'attribute_not_exists(requestId)',
  });
}

/** A ledger record, read consistently, or 404. */
export async function requireRequest(requestId: string): Promise<RequestRecord> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName('requests'), Key: { requestId }, ConsistentRead: true }),
    ),
  );
  if (!out.Item) throw new NotFound('No such request', 'The ledger holds no request with this id.');
  return out.Item as RequestRecord;
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
  // A record read while claimed is updated only under that same claim.
  const claimed = record.actingUntil !== undefined;
  if (claimed) values[':until'] = record.actingUntil;
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  try {
    await awsCall(
      'dynamodb',
      () =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName('requests'),
            Key: { requestId: record.requestId },
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: `#status = :from AND ${claimed ? '#until = :until' : 'attribute_not_exists(#until)'}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      ['ConditionalCheckFailedException'],
    );
  } catch (error) {
    if (cancelledByCondition(error)) {
      throw new Conflict('Concurrent change', 'The request changed while this ran; reload it.');
    }
    throw error;
  }
}

/** Every record a query (or, with `scan`, a scan) of the ledger reads, page after page: one loop for both. */
async function readAll(input: QueryCommandInput, scan = false): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  let startKey: Item | undefined;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        scan
          ? new ScanCommand({ ...input, ExclusiveStartKey: startKey })
          : new QueryCommand({ ...input, ExclusiveStartKey: startKey }),
      ),
    );
    records.push(...((page.Items ?? []) as RequestRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return records;
}

/** Every unfinished record (awaiting verification, open or being acted on), from the sparse `open` index. */
export function unfinishedRequests(): Promise<RequestRecord[]> {
  return readAll({
    TableName: tableName('requests'),
    IndexName: 'open',
    KeyConditionExpression: 'openStatus = :open',
    ExpressionAttributeValues: { ':open': OPEN },
  });
}

/**
 * The records that may answer a listing filter, from the narrowest read that serves it: the
 * sparse `open` index (only those due before the Seoul day `today` when only overdue ones are
 * wanted), the `member` index, or a scan of the ledger. The caller applies the filter itself.
 */
export function candidateRequests(filter: RequestFilter, today: string): Promise<RequestRecord[]> {
  const TableName = tableName('requests');
  if (filter.overdue === true) {
    return readAll({
      TableName,
      IndexName: 'open',
      KeyConditionExpression: 'openStatus = :open AND deadline < :today',
      ExpressionAttributeValues: { ':open': OPEN, ':today': today },
    });
  }
  if (filter.member) {
    return readAll({
      TableName,
      IndexName: 'member',
      KeyConditionExpression: 'memberId = :m',
      ExpressionAttributeValues: { ':m': filter.member },
    });
  }
  if (filter.status && filter.status !== 'completed' && filter.status !== 'refused')
    return unfinishedRequests();
  return readAll({ TableName }, true);
}
