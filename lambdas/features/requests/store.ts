/**
 * The requests table: one item per ledger record, keyed by its id, with two indexes: `open`
 * (sparse, unfinished requests by deadline) and `member`.
 */
import { getItem, putIf, queryAll, scanAll, tableName, updateIf } from '../../adapters/dynamodb';
import { ConcurrentChange, NotFound } from '../../runtime/errors';
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
  const item = await getItem<RequestRecord>({
    TableName: tableName('requests'),
    Key: { requestId },
    ConsistentRead: true,
  });
  if (!item) throw new NotFound('No such request', 'The ledger holds no request with this id.');
  return item;
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
  const updated = await updateIf({
    TableName: tableName('requests'),
    Key: { requestId: record.requestId },
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `#status = :from AND ${claimed ? '#until = :until' : 'attribute_not_exists(#until)'}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  if (!updated) throw new ConcurrentChange('The request changed while this ran; retry it.');
}

/** Every unfinished record (awaiting verification, open or being acted on), from the sparse `open` index. */
export async function unfinishedRequests(): Promise<RequestRecord[]> {
  return queryAll<RequestRecord>({
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
export async function candidateRequests(filter: RequestFilter, today: string): Promise<RequestRecord[]> {
  const TableName = tableName('requests');
  if (
    filter.status &&
    filter.status !== 'completed' &&
    filter.status !== 'refused' &&
    !filter.overdue &&
    !filter.member
  )
    return unfinishedRequests();
  const items = filter.overdue
    ? await queryAll<RequestRecord>({
        TableName,
        IndexName: 'open',
        KeyConditionExpression: 'openStatus = :open AND deadline < :today',
        ExpressionAttributeValues: { ':open': OPEN, ':today': today },
      })
    : filter.member
      ? await queryAll<RequestRecord>({
          TableName,
          IndexName: 'member',
          KeyConditionExpression: 'memberId = :m',
          ExpressionAttributeValues: { ':m': filter.member },
        })
      : await scanAll<RequestRecord>({ TableName });
  return items;
}

/**
 * Marks the extension made at `extendedAt` as told to the member (GDPR Art. 12(3)); a later
 * extension meanwhile keeps its own mark unset.
 */
export async function markExtensionNoticed(requestId: string, extendedAt: string, now: Date): Promise<void> {
  await updateIf({
    TableName: tableName('requests'),
    Key: { requestId },
    UpdateExpression: 'SET #extension.noticeSentAt = :at',
    ConditionExpression: '#extension.#at = :extendedAt',
    ExpressionAttributeNames: { '#extension': 'extension', '#at': 'at' },
    ExpressionAttributeValues: { ':at': now.toISOString(), ':extendedAt': extendedAt },
  });
}
