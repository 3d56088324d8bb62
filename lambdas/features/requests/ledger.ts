/**
 * The ledger of rights requests (L14/G10, L16): every request, self-service or offline, with
 * its type, channel, receipt, deadline, status, handler and outcome. Offline requests wait for
 * identity-verification evidence before anything can be done on them.
 *
 * Deadlines. Member data records no residence, and PIPA governs every request these operators
 * receive: a request runs under PIPA (`requestDeadlines.pipa`, 10 days) unless the officer logs
 * it as a GDPR request (`jurisdiction: "gdpr"`, `requestDeadlines.gdpr`, one calendar month,
 * extendable up to `gdprMaxExtension` with a recorded reason). Self-service requests are
 * answered at once and recorded under PIPA. A deadline is an Asia/Seoul calendar day: the
 * request is overdue from the next day on.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addToSeoulDay, epochSeconds, seoulDay, shiftInSeoul } from '../../../model/calendar';
import type { JURISDICTIONS, REQUEST_TYPES, VERIFICATION_METHODS } from '../../../model/routes/officer';

import type { Catalogue, Duration } from '../../../policy/schema';
import { awsCall, cancelledByCondition } from '../../adapters/aws-call';
import { documentClient, putIf, tableName } from '../../adapters/dynamodb';
import { sealLogField } from '../../adapters/log-sealer';
import { Conflict, DomainError, InvalidInput, NotFound } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { requestScopedId } from '../../runtime/request-ids';
import type { Channel } from '../members/store';

/** A kind of rights request. */
export type RequestType = (typeof REQUEST_TYPES)[number];
/** The law whose deadline a request runs under. */
export type Jurisdiction = (typeof JURISDICTIONS)[number];
/** Where a request stands; `acting` while an officer's action on it runs. */
export type RequestStatus = 'awaiting-verification' | 'open' | 'acting' | 'completed' | 'refused';
/** The handler of self-service requests. */
export const SELF_SERVICE = 'self-service';
/** The value of the sparse `openStatus` attribute that indexes unfinished requests by deadline. */
const OPEN = 'open';
/**
 * How long an action holds its request. Longer than any route may run (API Gateway gives up
 * after 29 s), so a claim outlives only a delivery that crashed; the request is then open again.
 */
export const ACTING_LEASE_SECONDS = 60;

/** One ledger record. Never holds personal data in clear: the verification reference is sealed. */
export interface RequestRecord {
  readonly requestId: string;
  readonly memberId: string;
  readonly type: RequestType;
  readonly channel: Channel;
  readonly jurisdiction: Jurisdiction;
  readonly receivedAt: string;
  /** The Asia/Seoul day by which the answer is due (YYYY-MM-DD). */
  readonly deadline: string;
  readonly status: RequestStatus;
  /** Present while the request is unfinished, for the `open` index. */
  readonly openStatus?: typeof OPEN;
  /** While `acting`: when the claim lapses (epoch seconds), should its delivery have crashed. */
  readonly actingUntil?: number;
  /** The officer who logged or handled it, or `self-service`. */
  readonly handler: string;
  readonly verification?: {
    readonly method: (typeof VERIFICATION_METHODS)[number];
    readonly reference: string;
    readonly at: string;
    readonly by: string;
  };
  readonly extension?: {
    readonly months: number;
    readonly reason: string;
    readonly at: string;
    readonly by: string;
    /** Names the extension's delivery, so the same one run again does not extend twice. */
    readonly ref?: string;
  };
  readonly outcome?: {
    readonly action: string;
    readonly at: string;
    readonly by: string;
    readonly summary: string;
  };
  readonly closedAt?: string;
  readonly expiresAt: number;
}

/** A ledger record as the officer's API shows it: the sealed reference stays sealed. */
export type RequestView = Omit<
  RequestRecord,
  'openStatus' | 'actingUntil' | 'expiresAt' | 'verification' | 'extension'
> & {
  readonly verification?: { method: string; at: string; by: string };
  readonly extension?: Omit<NonNullable<RequestRecord['extension']>, 'ref'>;
  readonly overdue: boolean;
};

/** The sum of two durations, so an extension runs from the receipt, not from the first deadline. */
function plus(a: Duration, b: Duration): Duration {
  return {
    years: (a.years ?? 0) + (b.years ?? 0),
    months: (a.months ?? 0) + (b.months ?? 0),
    days: (a.days ?? 0) + (b.days ?? 0),
  };
}

/** The deadline of a request received at `receivedAt`, with an extension in months (GDPR only). */
export function requestDeadline(
  c: Catalogue,
  jurisdiction: Jurisdiction,
  receivedAt: Date,
  extensionMonths = 0,
): string {
  const base = c.requestDeadlines[jurisdiction];
  const period = extensionMonths > 0 ? plus(base, { months: extensionMonths }) : base;
  return addToSeoulDay(seoulDay(receivedAt), period);
}

/** Whether a request is past its deadline at `now` (Seoul days). */
export function isOverdue(record: Pick<RequestRecord, 'status' | 'deadline'>, now: Date): boolean {
  return record.status !== 'completed' && record.status !== 'refused' && seoulDay(now) > record.deadline;
}

function expiry(c: Catalogue, at: Date): number {
  const rc = c.retention[c.recordClasses.handlerAccess]!;
  return epochSeconds(rc.period === 'until-withdrawal' ? at : shiftInSeoul(at, rc.period));
}

/** Writes a new record; false when one with its id exists already. */
function putNew(record: RequestRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('requests'),
    Item: record,
    ConditionExpression: 'attribute_not_exists(requestId)',
  });
}

/**
 * Runs a self-service right as a ledger request. The request is recorded (open) before it is
 * acted on, so a request that cannot be recorded is not acted on (503, nothing done); it is then
 * closed with its outcome, completed or refused. Closing is best effort: an action already done
 * is answered, and a record left open shows in the officer's listing rather than failing it.
 */
export async function selfService<T>(
  c: Catalogue,
  memberId: string,
  type: RequestType,
  now: Date,
  act: () => Promise<T>,
  summarize: (result: T) => string,
): Promise<T> {
  const at = now.toISOString();
  const record: RequestRecord = {
    requestId: randomUUID(),
    memberId,
    type,
    channel: 'app',
    jurisdiction: 'pipa',
    receivedAt: at,
    deadline: requestDeadline(c, 'pipa', now),
    status: 'open',
    // Indexed open like any request, so one its closing missed shows in the officer's listing.
    openStatus: OPEN,
    handler: SELF_SERVICE,
    expiresAt: expiry(c, now),
  };
  if (!(await putNew(record))) throw new Conflict('Request exists', 'Retry the request.');
  let result: T;
  try {
    result = await act();
  } catch (error) {
    const reason = error instanceof DomainError ? error.title : 'failed';
    await closeQuietly(record, 'refused', reason, now);
    throw error;
  }
  await closeQuietly(record, 'completed', summarize(result), now);
  return result;
}

async function closeQuietly(
  record: RequestRecord,
  status: 'completed' | 'refused',
  summary: string,
  now: Date,
): Promise<void> {
  try {
    await closeRequest(record, SELF_SERVICE, status, { action: record.type, summary }, now);
  } catch (error) {
    logger.warn('ledger record left open', { requestId: record.requestId, error: (error as Error).name });
  }
}

/** What the officer states when logging an offline request. */
export interface OfflineRequest {
  readonly memberId: string;
  readonly type: RequestType;
  readonly channel: typeof import('../../../model/routes/officer').OFFLINE_CHANNELS[number];
  readonly receivedAt?: string;
  readonly jurisdiction?: Jurisdiction;
  readonly verification?: { method: (typeof VERIFICATION_METHODS)[number]; reference: string };
}

const sealReference = (requestId: string, reference: string) =>
  sealLogField(reference, { record: 'request-verification', requestId });

/**
 * Logs a request received by letter, phone or email. With an Idempotency-Key the request's id
 * derives from it, so the same intake run again finds the record it made.
 */
export async function logOfflineRequest(
  c: Catalogue,
  officerId: string,
  input: OfflineRequest,
  now: Date,
  idempotencyKey?: string,
): Promise<RequestView> {
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime()) {
    throw new InvalidInput([{ field: 'receivedAt', problem: 'must not be in the future' }]);
  }
  const requestId = requestScopedId('request', input.memberId, idempotencyKey);
  const jurisdiction = input.jurisdiction ?? 'pipa';
  const at = now.toISOString();
  const verified = input.verification
    ? {
        method: input.verification.method,
        reference: await sealReference(requestId, input.verification.reference),
        at,
        by: officerId,
      }
    : undefined;
  const record: RequestRecord = {
    requestId,
    memberId: input.memberId,
    type: input.type,
    channel: input.channel,
    jurisdiction,
    receivedAt: receivedAt.toISOString(),
    deadline: requestDeadline(c, jurisdiction, receivedAt),
    status: verified ? 'open' : 'awaiting-verification',
    openStatus: OPEN,
    handler: officerId,
    ...(verified ? { verification: verified } : {}),
    expiresAt: expiry(c, receivedAt),
  };
  if (await putNew(record)) return viewOf(record, now);
  return viewOf(await requireRequest(requestId), now);
}

/** A ledger record shown to the officer. */
export function viewOf(record: RequestRecord, now: Date): RequestView {
  const { openStatus: _o, actingUntil: _a, expiresAt: _e, verification, extension, ...rest } = record;
  return {
    ...rest,
    ...(extension
      ? {
          extension: {
            months: extension.months,
            reason: extension.reason,
            at: extension.at,
            by: extension.by,
          },
        }
      : {}),
    ...(verification
      ? { verification: { method: verification.method, at: verification.at, by: verification.by } }
      : {}),
    overdue: isOverdue(record, now),
  };
}

const noSuchRequest = () => new NotFound('No such request', 'The ledger holds no request with this id.');

/** A ledger record, or 404. */
export async function requireRequest(requestId: string): Promise<RequestRecord> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName('requests'), Key: { requestId }, ConsistentRead: true }),
    ),
  );
  if (!out.Item) throw noSuchRequest();
  return out.Item as RequestRecord;
}

/** An update guarded by the status (and claim) it was read at: a concurrent change becomes 409. */
async function updateFrom(
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
  try {
    await awsCall(
      'dynamodb',
      () =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName('requests'),
            Key: { requestId: record.requestId },
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: condition,
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

/** Records the identity-verification evidence of an offline request; it becomes open. */
export async function verifyRequest(
  requestId: string,
  officerId: string,
  evidence: { method: (typeof VERIFICATION_METHODS)[number]; reference: string },
  now: Date,
): Promise<RequestView> {
  const record = await requireRequest(requestId);
  if (record.status !== 'awaiting-verification') {
    throw new Conflict('Already verified', `The request is ${record.status}.`);
  }
  const verification = {
    method: evidence.method,
    reference: await sealReference(requestId, evidence.reference),
    at: now.toISOString(),
    by: officerId,
  };
  await updateFrom(record, { status: 'open', verification });
  return viewOf({ ...record, status: 'open', verification }, now);
}

/**
 * Extends a GDPR request's deadline; the total extension may not pass `gdprMaxExtension`. The
 * same delivery (Idempotency-Key) run again finds its extension made and extends nothing more.
 */
export async function extendRequest(
  c: Catalogue,
  requestId: string,
  officerId: string,
  months: number,
  reason: string,
  now: Date,
  idempotencyKey?: string,
): Promise<RequestView> {
  const record = await requireRequest(requestId);
  const ref = idempotencyKey ? requestScopedId('extension', requestId, idempotencyKey) : undefined;
  if (ref && record.extension?.ref === ref) return viewOf(record, now);
  if (record.status === 'completed' || record.status === 'refused') {
    throw new Conflict('Request closed', `The request is ${record.status}.`);
  }
  if (record.jurisdiction !== 'gdpr') {
    throw new Conflict('No extension', 'Only a GDPR request can be extended; PIPA deadlines are fixed.');
  }
  const total = (record.extension?.months ?? 0) + months;
  const max = c.requestDeadlines.gdprMaxExtension;
  if (addToSeoulDay('2000-01-31', { months: total }) > addToSeoulDay('2000-01-31', max)) {
    throw new InvalidInput([
      { field: 'months', problem: `extensions may total at most ${max.months ?? 0} months` },
    ]);
  }
  const extension = { months: total, reason, at: now.toISOString(), by: officerId, ...(ref ? { ref } : {}) };
  const deadline = requestDeadline(c, 'gdpr', new Date(record.receivedAt), total);
  await updateFrom(record, { extension, deadline });
  return viewOf({ ...record, extension, deadline }, now);
}

/**
 * Claims a verified, unfinished request for an action, so that two deliveries of an action
 * never run it together: the second is told it is in progress (409). A claim whose delivery
 * crashed lapses after {@link ACTING_LEASE_SECONDS}; one that failed is released at once.
 */
export async function claimRequest(requestId: string, now: Date): Promise<RequestRecord> {
  const record = await requireRequest(requestId);
  if (record.status === 'awaiting-verification') {
    throw new Conflict(
      'Identity not verified',
      'Record the identity-verification evidence (POST …/verification) before acting on this request.',
    );
  }
  const lapsed = record.status === 'acting' && (record.actingUntil ?? 0) <= epochSeconds(now);
  if (record.status === 'acting' && !lapsed) {
    throw new Conflict('Request in progress', 'An action on this request is running; retry in a minute.');
  }
  if (record.status !== 'open' && !lapsed)
    throw new Conflict('Request closed', `The request is ${record.status}.`);
  const actingUntil = epochSeconds(now) + ACTING_LEASE_SECONDS;
  await updateFrom(record, { status: 'acting', actingUntil });
  return { ...record, status: 'acting', actingUntil };
}

/** Gives a claimed request back after its action failed, so a retry may act at once. */
export async function releaseRequest(claimed: RequestRecord): Promise<void> {
  try {
    await updateFrom(claimed, { status: 'open' }, ['actingUntil']);
  } catch (error) {
    // The claim lapses by itself.
    logger.warn('request claim left to lapse', {
      requestId: claimed.requestId,
      error: (error as Error).name,
    });
  }
}

/** Closes a request with its outcome (no personal data: ids and counts only). */
export async function closeRequest(
  record: RequestRecord,
  officerId: string,
  status: 'completed' | 'refused',
  outcome: { action: string; summary: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await updateFrom(
    record,
    { status, outcome: { ...outcome, at, by: officerId }, closedAt: at, handler: officerId },
    ['openStatus', 'actingUntil'],
  );
}

/** Filters of GET /v1/admin/requests. */
export interface RequestFilter {
  readonly status?: RequestStatus;
  readonly overdue?: boolean;
  readonly member?: string;
}

async function queryAll(
  input: ConstructorParameters<typeof QueryCommand>[0] | ConstructorParameters<typeof ScanCommand>[0],
  scan = false,
) {
  const items: RequestRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        scan
          ? new ScanCommand({ ...input, ExclusiveStartKey: startKey } as ConstructorParameters<
              typeof ScanCommand
            >[0])
          : new QueryCommand({ ...input, ExclusiveStartKey: startKey } as ConstructorParameters<
              typeof QueryCommand
            >[0]),
      ),
    );
    items.push(...((page.Items ?? []) as RequestRecord[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Unfinished requests whose deadline day is before today's (Seoul), oldest deadline first. */
export async function overdueRequests(now: Date): Promise<RequestRecord[]> {
  return queryAll({
    TableName: tableName('requests'),
    IndexName: 'open',
    KeyConditionExpression: 'openStatus = :open AND deadline < :today',
    ExpressionAttributeValues: { ':open': OPEN, ':today': seoulDay(now) },
  });
}

/** Every unfinished request (awaiting verification, open or being acted on), from the sparse index. */
export async function unfinishedRequests(): Promise<RequestRecord[]> {
  return queryAll({
    TableName: tableName('requests'),
    IndexName: 'open',
    KeyConditionExpression: 'openStatus = :open',
    ExpressionAttributeValues: { ':open': OPEN },
  });
}

/** The ledger, filtered, newest receipt first. */
export async function listRequests(filter: RequestFilter, now: Date): Promise<RequestView[]> {
  const table = tableName('requests');
  let records: RequestRecord[];
  if (filter.overdue === true) records = await overdueRequests(now);
  else if (filter.member) {
    records = await queryAll({
      TableName: table,
      IndexName: 'member',
      KeyConditionExpression: 'memberId = :m',
      ExpressionAttributeValues: { ':m': filter.member },
    });
  } else if (filter.status && filter.status !== 'completed' && filter.status !== 'refused') {
    records = await unfinishedRequests();
  } else records = await queryAll({ TableName: table }, true);
  return records
    .filter((r) => !filter.status || r.status === filter.status)
    .filter((r) => !filter.member || r.memberId === filter.member)
    .filter((r) => filter.overdue === undefined || isOverdue(r, now) === filter.overdue)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .map((r) => viewOf(r, now));
}
