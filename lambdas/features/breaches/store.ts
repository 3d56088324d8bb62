/**
 * The breaches table: one partition per breach (`BREACH#<id>`) holding the record, the ledger of
 * its steps, the progress of finding its members, and each member's notice. Every change is a
 * conditional write, so reruns and concurrent deliveries change nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { memberPk, PROFILE_SK } from '../../../model/members-table';
import { BREACH_LIST_INDEX } from '../../../model/resources';
import {
  getItem,
  type Item,
  putIf,
  queryAll,
  queryIndex,
  scanPage,
  tableName,
  transactIf,
  updateIf,
} from '../../adapters/dynamodb';
import type { AffectedMembers, BreachRecord, Filing, NoticeProgress, NoticeState } from './rules';

/** Members a page of a segment reads at most. */
export const BREACH_PAGE_ITEMS = 500;

const pk = (breachId: string) => `BREACH#${breachId}`;
const RECORD_SK = 'BREACH';
const STEP_PREFIX = 'STEP#';
const SEGMENT_PREFIX = 'SEGMENT#';
const NOTICE_PREFIX = 'N#';

/** A step of a breach's ledger: what happened, when, by whom; ids and counts only. */
export interface LedgerStep {
  readonly at: string;
  readonly step: string;
  readonly by: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** The progress of one segment of the search for affected members. */
export interface BreachSegment {
  readonly breachId: string;
  readonly segment: number;
  readonly totalSegments: number;
  /** Where the next page starts: a scan key, or an index into the list. */
  readonly cursor?: Item | number;
  readonly step: number;
  readonly found: number;
  readonly done: boolean;
}

/** One member's notice of a breach. */
export interface NoticeRecord {
  readonly memberId: string;
  readonly state: NoticeState;
  readonly attemptId?: string;
  readonly claimedAt?: string;
  readonly delivery?: string;
  readonly at?: string;
}

function stepItem(breachId: string, step: LedgerStep): Item {
  // A random tail keeps two steps of the same millisecond apart.
  return { pk: pk(breachId), sk: `${STEP_PREFIX}${step.at}#${randomUUID().slice(0, 8)}`, ...step };
}

/**
 * Records a new breach with its first ledger step and its segments, in one transaction; false
 * when the id is taken (a retry of the same request).
 */
export function createBreach(record: BreachRecord, first: LedgerStep): Promise<boolean> {
  const table = tableName('breaches');
  const segments = Array.from({ length: record.segments }, (_, segment) => ({
    Put: {
      TableName: table,
      Item: {
        pk: pk(record.breachId),
        sk: `${SEGMENT_PREFIX}${segment}`,
        breachId: record.breachId,
        segment,
        totalSegments: record.segments,
        step: 0,
        found: 0,
        done: false,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  return transactIf([
    {
      Put: {
        TableName: table,
        Item: { pk: pk(record.breachId), sk: RECORD_SK, listed: RECORD_SK, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: table, Item: stepItem(record.breachId, first) } },
    ...segments,
  ]);
}

/** The breach record, or undefined. */
export async function getBreach(breachId: string): Promise<BreachRecord | undefined> {
  return getItem<BreachRecord>({
    TableName: tableName('breaches'),
    Key: { pk: pk(breachId), sk: RECORD_SK },
    ConsistentRead: true,
  });
}

/** Every breach record, newest first. */
export async function listBreaches(): Promise<BreachRecord[]> {
  const items = await queryIndex<BreachRecord>('breaches', BREACH_LIST_INDEX, RECORD_SK);
  return items.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}

/** Appends a step to a breach's ledger. */
export async function appendStep(breachId: string, step: LedgerStep): Promise<void> {
  await putIf({
    TableName: tableName('breaches'),
    Item: stepItem(breachId, step),
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** The ledger of a breach, oldest first. */
export async function ledgerOf(breachId: string): Promise<LedgerStep[]> {
  const items = await queryAll<LedgerStep & Item>({
    TableName: tableName('breaches'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk(breachId), ':prefix': STEP_PREFIX },
    ConsistentRead: true,
  });
  return items.map(({ at, step, by, details }) => ({ at, step, by, ...(details ? { details } : {}) }));
}

/** The segments of a breach. */
export async function segmentsOf(breachId: string): Promise<BreachSegment[]> {
  return queryAll<BreachSegment>({
    TableName: tableName('breaches'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk(breachId), ':prefix': SEGMENT_PREFIX },
    ConsistentRead: true,
  });
}

/** One segment, or undefined. */
export function segmentOf(breachId: string, segment: number): Promise<BreachSegment | undefined> {
  return getItem<BreachSegment>({
    TableName: tableName('breaches'),
    Key: { pk: pk(breachId), sk: `${SEGMENT_PREFIX}${segment}` },
    ConsistentRead: true,
  });
}

/** Moves a segment one page on, if it is still at the step read; false when another delivery did. */
export async function advanceSegment(
  record: BreachSegment,
  cursor: Item | number | undefined,
  found: number,
  done: boolean,
): Promise<boolean> {
  const out = await updateIf({
    TableName: tableName('breaches'),
    Key: { pk: pk(record.breachId), sk: `${SEGMENT_PREFIX}${record.segment}` },
    UpdateExpression:
      cursor === undefined
        ? 'SET #step = :next, #found = #found + :found, #done = :done REMOVE #cursor'
        : 'SET #step = :next, #found = #found + :found, #done = :done, #cursor = :cursor',
    ConditionExpression: '#step = :step',
    ExpressionAttributeNames: { '#step': 'step', '#cursor': 'cursor', '#found': 'found', '#done': 'done' },
    ExpressionAttributeValues: {
      ':step': record.step,
      ':next': record.step + 1,
      ':found': found,
      ':done': done,
      ...(cursor === undefined ? {} : { ':cursor': cursor }),
    },
  });
  return out !== undefined;
}

/**
 * One page of the members a scan segment finds: member profiles, not withdrawing, and for a
 * query those holding any of its items and joined within its window.
 */
export async function memberScanPage(
  segment: BreachSegment,
  affected: Exclude<AffectedMembers, { kind: 'list' }>,
): Promise<{ memberIds: string[]; next: Item | undefined }> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':profile': PROFILE_SK, ':withdrawing': 'withdrawing' };
  const filters = ['sk = :profile', '#status <> :withdrawing'];
  if (affected.kind === 'query') {
    names['#items'] = 'items';
    const held = affected.holding.map((item, i) => {
      names[`#i${i}`] = item;
      return `attribute_exists(#items.#i${i})`;
    });
    filters.push(`(${held.join(' OR ')})`);
    if (affected.joinedAfter) {
      values[':after'] = affected.joinedAfter;
      filters.push('joinedAt >= :after');
    }
    if (affected.joinedBefore) {
      values[':before'] = affected.joinedBefore;
      filters.push('joinedAt < :before');
    }
  }
  const page = await scanPage({
    TableName: tableName('members'),
    Segment: segment.segment,
    TotalSegments: segment.totalSegments,
    Limit: BREACH_PAGE_ITEMS,
    ...(segment.cursor !== undefined ? { ExclusiveStartKey: segment.cursor as Item } : {}),
    FilterExpression: filters.join(' AND '),
    ProjectionExpression: 'pk',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  return { memberIds: page.items.map((item) => String(item.pk).slice(memberPk('').length)), next: page.next };
}

/** Records a member's notice as pending, unless the member already has one; true when created. */
export function addPendingNotice(breachId: string, memberId: string): Promise<boolean> {
  return putIf({
    TableName: tableName('breaches'),
    Item: { pk: pk(breachId), sk: `${NOTICE_PREFIX}${memberId}`, memberId, state: 'pending' },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/**
 * Claims a member's notice for attempt `attemptId`: only a pending one, or one being sent whose
 * claim was taken before `staleBefore` (its delivery died). False when it may not be claimed.
 */
export async function claimNotice(
  breachId: string,
  memberId: string,
  attemptId: string,
  claimedAt: string,
  staleBefore: string,
): Promise<boolean> {
  const out = await updateIf({
    TableName: tableName('breaches'),
    Key: { pk: pk(breachId), sk: `${NOTICE_PREFIX}${memberId}` },
    UpdateExpression: 'SET #state = :sending, attemptId = :attempt, claimedAt = :claimedAt',
    ConditionExpression: '#state = :pending OR (#state = :sending AND claimedAt < :stale)',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: {
      ':sending': 'sending',
      ':pending': 'pending',
      ':attempt': attemptId,
      ':claimedAt': claimedAt,
      ':stale': staleBefore,
    },
  });
  return out !== undefined;
}

/** Settles attempt `attemptId` of a member's notice (or gives it back as pending), if it is still that attempt's. */
export async function settleNotice(
  breachId: string,
  memberId: string,
  attemptId: string,
  outcome: { state: Exclude<NoticeState, 'sending'>; delivery?: string; at?: string },
): Promise<boolean> {
  const out = await updateIf({
    TableName: tableName('breaches'),
    Key: { pk: pk(breachId), sk: `${NOTICE_PREFIX}${memberId}` },
    UpdateExpression:
      outcome.state === 'pending'
        ? 'SET #state = :state REMOVE attemptId, claimedAt'
        : 'SET #state = :state, delivery = :delivery, #at = :at',
    ConditionExpression: '#state = :sending AND attemptId = :attempt',
    ExpressionAttributeNames: { '#state': 'state', ...(outcome.state === 'pending' ? {} : { '#at': 'at' }) },
    ExpressionAttributeValues: {
      ':state': outcome.state,
      ':sending': 'sending',
      ':attempt': attemptId,
      ...(outcome.state === 'pending'
        ? {}
        : { ':delivery': outcome.delivery ?? outcome.state, ':at': outcome.at ?? new Date().toISOString() }),
    },
  });
  return out !== undefined;
}

/** Every member notice of a breach. */
export function noticesOf(breachId: string): Promise<NoticeRecord[]> {
  return queryAll<NoticeRecord>({
    TableName: tableName('breaches'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk(breachId), ':prefix': NOTICE_PREFIX },
    ConsistentRead: true,
  });
}

/** The notices' progress, from the segments and the notices. */
export async function progressOf(
  breachId: string,
): Promise<{ progress: NoticeProgress; notices: NoticeRecord[] }> {
  const [segments, notices] = await Promise.all([segmentsOf(breachId), noticesOf(breachId)]);
  const count = (state: NoticeState) => notices.filter((n) => n.state === state).length;
  const settled = notices.filter((n) => n.at).map((n) => n.at!);
  const lastAt = settled.sort().at(-1);
  return {
    progress: {
      found: segments.length > 0 && segments.every((s) => s.done),
      identified: notices.length,
      sent: count('sent'),
      undeliverable: count('undeliverable'),
      gone: count('gone'),
      waiting: count('pending') + count('sending'),
      ...(lastAt ? { lastAt } : {}),
    },
    notices,
  };
}

/**
 * Records a milestone of a breach once (`membersFoundAt`, `membersToldAt`), with its ledger step
 * in the same transaction; false when it was recorded before.
 */
export function recordMilestone(
  breachId: string,
  attribute: 'membersFoundAt' | 'membersToldAt',
  at: string,
  step: LedgerStep,
): Promise<boolean> {
  const table = tableName('breaches');
  return transactIf([
    {
      Update: {
        TableName: table,
        Key: { pk: pk(breachId), sk: RECORD_SK },
        UpdateExpression: 'SET #milestone = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#milestone)',
        ExpressionAttributeNames: { '#milestone': attribute },
        ExpressionAttributeValues: { ':at': at },
      },
    },
    { Put: { TableName: table, Item: stepItem(breachId, step) } },
  ]);
}

/**
 * Adds a filing with a regulator and its ledger step, on an open breach with no filing for that
 * regulator yet; false when the condition does not hold.
 */
export function addFiling(breachId: string, filings: readonly Filing[], filing: Filing, step: LedgerStep) {
  const table = tableName('breaches');
  return transactIf([
    {
      Update: {
        TableName: table,
        Key: { pk: pk(breachId), sk: RECORD_SK },
        UpdateExpression: 'SET filings = :filings',
        // The list read is the list replaced: a concurrent filing makes this one retry.
        ConditionExpression: '#status = :open AND size(filings) = :count',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':filings': [...filings, filing],
          ':open': 'open',
          ':count': filings.length,
        },
      },
    },
    { Put: { TableName: table, Item: stepItem(breachId, step) } },
  ]);
}

/** Closes an open breach with its ledger step; false when it is no longer open. */
export function closeBreach(
  breachId: string,
  closed: { closedAt: string; closedBy: string; closeReason?: string },
  step: LedgerStep,
) {
  const table = tableName('breaches');
  return transactIf([
    {
      Update: {
        TableName: table,
        Key: { pk: pk(breachId), sk: RECORD_SK },
        UpdateExpression: `SET #status = :closed, closedAt = :at, closedBy = :by${closed.closeReason ? ', closeReason = :reason' : ''}`,
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':closed': 'closed',
          ':open': 'open',
          ':at': closed.closedAt,
          ':by': closed.closedBy,
          ...(closed.closeReason ? { ':reason': closed.closeReason } : {}),
        },
      },
    },
    { Put: { TableName: table, Item: stepItem(breachId, step) } },
  ]);
}
