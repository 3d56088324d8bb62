/**
 * The silo part of a withdrawal or a consent withdrawal in the requests ledger: one record per
 * withdrawal (keyed by its receipt) or per consent decision, with each silo's outcome under
 * `silos.<id>`; and a withdrawal's full receipt in the vault.
 */
import { getItem, putIf, tableName, updateIf } from '../../adapters/dynamodb';
import { OPEN, type RequestRecord } from '../requests/rules';
import { vaultExpiry, vaultPk } from '../vault/store';
import { FULL_RECEIPT_SK } from '../withdrawal/store';
import { FINAL_STATUSES, type FullReceipt, type SiloOutcome } from './rules';

/** A silo request's ledger record: a deletion or consent withdrawal with its silos' outcomes. */
export type SiloRequestRecord = RequestRecord & {
  /** A withdrawal's: its receipt, which the full receipt completes. */
  readonly receiptId?: string;
  /** A consent withdrawal's: the purpose withdrawn. */
  readonly purpose?: string;
  readonly silos: Readonly<Record<string, SiloOutcome>>;
};

/** Opens the record; false when it exists already (a rerun of the withdrawal). */
export function openSiloRequest(record: SiloRequestRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('requests'),
    Item: record,
    ConditionExpression: 'attribute_not_exists(requestId)',
  });
}

/**
 * The record of `requestId` when it is `memberId`'s, through an update that changes nothing: a
 * member's route adds and updates ledger records but is granted no read of the ledger (L14/G10),
 * and this learns only a record of its own member. Undefined for any other record.
 */
export async function ownSiloRequest(
  requestId: string,
  memberId: string,
): Promise<SiloRequestRecord | undefined> {
  return (await updateIf({
    TableName: tableName('requests'),
    Key: { requestId },
    UpdateExpression: 'SET memberId = :member',
    ConditionExpression: 'memberId = :member',
    ExpressionAttributeValues: { ':member': memberId },
    ReturnValues: 'ALL_NEW',
  })) as SiloRequestRecord | undefined;
}

/** The record, read consistently. */
export function siloRequest(requestId: string): Promise<SiloRequestRecord | undefined> {
  return getItem<SiloRequestRecord>({
    TableName: tableName('requests'),
    Key: { requestId },
    ConsistentRead: true,
  });
}

/**
 * Sets a silo's outcome unless it is final already (a late or second answer changes nothing);
 * the record as it now is, or undefined when the silo was final (or the record is unknown).
 */
export async function recordOutcome(
  requestId: string,
  silo: string,
  outcome: SiloOutcome,
  mayReplaceNothingHeld = false,
): Promise<SiloRequestRecord | undefined> {
  const values: Record<string, unknown> = { ':o': outcome };
  FINAL_STATUSES.forEach((s, i) => {
    values[`:f${i}`] = s;
  });
  // Two copies of one erasure step may run at once and split the items: the one that found
  // nothing left must not stand over the one that erased, so its erasure may replace `nothing-held`.
  const erasedOverNothing =
    mayReplaceNothingHeld && outcome.status === 'erased' ? ' OR #silos.#s.#status = :nothing' : '';
  if (erasedOverNothing) values[':nothing'] = 'nothing-held';
  const updated = await updateIf({
    TableName: tableName('requests'),
    Key: { requestId },
    UpdateExpression: 'SET #silos.#s = :o',
    ConditionExpression: `attribute_exists(#silos.#s) AND (NOT (#silos.#s.#status IN (${FINAL_STATUSES.map((_, i) => `:f${i}`).join(', ')}))${erasedOverNothing})`,
    ExpressionAttributeNames: { '#silos': 'silos', '#s': silo, '#status': 'status' },
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
  });
  return updated as SiloRequestRecord | undefined;
}

/** Closes the record as completed once (a second closing finds it closed and does nothing). */
export async function closeSiloRequest(requestId: string, summary: string, at: string): Promise<void> {
  await updateIf({
    TableName: tableName('requests'),
    Key: { requestId },
    UpdateExpression: 'SET #status = :done, #outcome = :outcome, #closedAt = :at REMOVE #open',
    ConditionExpression: '#open = :open',
    ExpressionAttributeNames: {
      '#status': 'status',
      '#outcome': 'outcome',
      '#closedAt': 'closedAt',
      '#open': 'openStatus',
    },
    ExpressionAttributeValues: {
      ':done': 'completed',
      ':outcome': { action: 'delete', at, by: 'silo-engine', summary },
      ':at': at,
      ':open': OPEN,
    },
  });
}

/** Stores the signed full receipt once, kept as long as the withdrawal's own receipt. */
export async function putFullReceipt(
  memberId: string,
  signed: { receipt: FullReceipt; signature: string; algorithm: string },
  keepUntil: number,
): Promise<void> {
  await putIf({
    TableName: tableName('vault'),
    Item: {
      pk: vaultPk(memberId),
      sk: FULL_RECEIPT_SK,
      memberId,
      signed,
      ...vaultExpiry(new Date(keepUntil * 1000)),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}
