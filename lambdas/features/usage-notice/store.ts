/**
 * Where the annual usage notice (PIPA Art. 20-2) keeps its state. Each member's notice of a year
 * is one attribute of their profile (`usageNotice`), claimed and settled with conditional
 * writes. Each year's run is one partition of the policy-versions table (pk `USAGE#<year>`): the
 * run record (sk `RUN`), the evidence the officer shows (when it started and finished, how many
 * were sent and undeliverable), and one progress item per scan segment of the members table.
 */
import { memberPk, PROFILE_SK } from '../../../model/members-table';
import { getItem, type Item, putIf, queryPage, scanPage, tableName, updateIf } from '../../adapters/dynamodb';
import { updateProfileIf } from '../members/store';
import type { UsageNoticeFacts, UsageNoticeState } from './rules';

/** Scan segments of the members table per year: pages of different segments run in parallel. */
export const USAGE_SEGMENTS = 8;
/** Items a page reads at most: its members are noticed within one delivery of the worker. */
export const USAGE_PAGE_ITEMS = 100;

/** The partition of a year's run. */
const runPk = (year: number) => `USAGE#${year}`;
const RUN_SK = 'RUN';
const segmentSk = (segment: number) => `SEG#${String(segment).padStart(3, '0')}`;

/** A year's run: the evidence of the notices (ids and counts only, never personal data). */
export interface UsageRunRecord {
  readonly year: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly sent?: number;
  readonly undeliverable?: number;
}

/** The progress of one scan segment of a year's run. */
export interface UsageSegment {
  readonly pk: string;
  readonly sk: string;
  readonly segment: number;
  readonly totalSegments: number;
  /** Pages done: the conditional write advancing a page requires the step it read. */
  readonly step: number;
  /** Where the next page starts; absent at the start and once done. */
  readonly cursor?: Item;
  readonly done: boolean;
  readonly sent: number;
  readonly undeliverable: number;
}

/** The run record of `year`, read consistently. */
export async function runOf(year: number): Promise<UsageRunRecord | undefined> {
  const item = await getItem<UsageRunRecord & { pk: string; sk: string }>({
    TableName: tableName('policyVersions'),
    Key: { pk: runPk(year), sk: RUN_SK },
    ConsistentRead: true,
  });
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...run } = item;
  return run;
}

/**
 * The segments of `year`, read consistently, and the run record if one was written: one query,
 * as they share the partition ({@link USAGE_SEGMENTS} small items).
 */
export async function progressOf(year: number): Promise<{ run?: UsageRunRecord; segments: UsageSegment[] }> {
  const { items } = await queryPage<Item>({
    TableName: tableName('policyVersions'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': runPk(year) },
    ConsistentRead: true,
  });
  const run = items.find((i) => i.sk === RUN_SK) as (UsageRunRecord & { pk: string; sk: string }) | undefined;
  const segments = items.filter((i) => String(i.sk).startsWith('SEG#')) as unknown as UsageSegment[];
  if (!run) return { segments };
  const { pk: _pk, sk: _sk, ...rest } = run;
  return { run: rest, segments };
}

/**
 * Starts the run of `year`: each missing segment at its start, then the run record, each only if
 * absent; a rerun after a crash between them writes what is missing and changes nothing else.
 */
export async function startRun(year: number, present: readonly number[], at: string): Promise<void> {
  for (let segment = 0; segment < USAGE_SEGMENTS; segment++) {
    if (present.includes(segment)) continue;
    const item: UsageSegment = {
      pk: runPk(year),
      sk: segmentSk(segment),
      segment,
      totalSegments: USAGE_SEGMENTS,
      step: 0,
      done: false,
      sent: 0,
      undeliverable: 0,
    };
    await putIf({
      TableName: tableName('policyVersions'),
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }
  await putIf({
    TableName: tableName('policyVersions'),
    Item: { pk: runPk(year), sk: RUN_SK, year, startedAt: at } satisfies UsageRunRecord & Item,
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** Records the run of `year` finished with its counts, once; false when it was already. */
export async function finishRun(
  year: number,
  at: string,
  counts: { sent: number; undeliverable: number },
): Promise<boolean> {
  return (
    (await updateIf({
      TableName: tableName('policyVersions'),
      Key: { pk: runPk(year), sk: RUN_SK },
      UpdateExpression: 'SET finishedAt = :at, sent = :sent, undeliverable = :undeliverable',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(finishedAt)',
      ExpressionAttributeValues: { ':at': at, ':sent': counts.sent, ':undeliverable': counts.undeliverable },
    })) !== undefined
  );
}

/** One segment's progress item, read consistently. */
export function segmentOf(year: number, segment: number): Promise<UsageSegment | undefined> {
  return getItem<UsageSegment>({
    TableName: tableName('policyVersions'),
    Key: { pk: runPk(year), sk: segmentSk(segment) },
    ConsistentRead: true,
  });
}

/**
 * Advances a segment past one page whose members are all settled, adding the page's counts;
 * conditioned on the step it read, so one delivery advances it and counts it once.
 */
export async function advanceSegment(
  record: UsageSegment,
  next: Item | undefined,
  counts: { sent: number; undeliverable: number },
): Promise<boolean> {
  const done = next === undefined;
  return (
    (await updateIf({
      TableName: tableName('policyVersions'),
      Key: { pk: record.pk, sk: record.sk },
      UpdateExpression: `SET #step = :next, #done = :done, sent = sent + :sent, undeliverable = undeliverable + :undeliverable${done ? ' REMOVE #cursor' : ', #cursor = :cursor'}`,
      ConditionExpression: '#step = :step',
      ExpressionAttributeNames: { '#step': 'step', '#done': 'done', '#cursor': 'cursor' },
      ExpressionAttributeValues: {
        ':step': record.step,
        ':next': record.step + 1,
        ':done': done,
        ':sent': counts.sent,
        ':undeliverable': counts.undeliverable,
        ...(done ? {} : { ':cursor': next }),
      },
    })) !== undefined
  );
}

/** A member as a page of the scan shows them: what deciding whether they are owed a notice needs. */
export type ScannedMember = UsageNoticeFacts & { readonly memberId: string };

/** One page of a segment's scan of the members table: the member profiles, and where the next page starts. */
export async function memberPage(
  segment: Pick<UsageSegment, 'segment' | 'totalSegments' | 'cursor'>,
): Promise<{ members: ScannedMember[]; next: Item | undefined }> {
  const page = await scanPage<Item>({
    TableName: tableName('members'),
    Segment: segment.segment,
    TotalSegments: segment.totalSegments,
    Limit: USAGE_PAGE_ITEMS,
    ExclusiveStartKey: segment.cursor,
    FilterExpression: 'sk = :profile',
    ProjectionExpression: 'pk, #status, joinedAt, usageNotice',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':profile': PROFILE_SK },
  });
  return {
    members: page.items.map((item) => ({
      memberId: String(item.pk).slice(memberPk('').length),
      status: String(item.status),
      joinedAt: String(item.joinedAt),
      ...(item.usageNotice ? { usageNotice: item.usageNotice as UsageNoticeState } : {}),
    })),
    next: page.next,
  };
}

/**
 * Claims a member's notice of `claim.year`: only a member of that year (joined before its end),
 * not withdrawing, whose notice of it is not settled nor held by a live claim (one taken before
 * `staleBefore` belongs to a delivery that died). Answers the state the claim replaced, or
 * undefined when it may not claim.
 */
export async function claimNotice(
  memberId: string,
  claim: Extract<UsageNoticeState, { state: 'sending' }>,
  yearEnd: string,
  staleBefore: string,
): Promise<{ readonly previous: UsageNoticeState | undefined } | undefined> {
  const old = await updateProfileIf(memberId, {
    update: 'SET #notice = :claim',
    condition:
      'attribute_exists(pk) AND #status <> :withdrawing AND joinedAt < :yearEnd AND (attribute_not_exists(#notice) OR #notice.#year < :year OR (#notice.#year = :year AND #notice.#state = :sending AND #notice.#claimedAt < :stale))',
    names: {
      '#notice': 'usageNotice',
      '#status': 'status',
      '#year': 'year',
      '#state': 'state',
      '#claimedAt': 'claimedAt',
    },
    values: {
      ':claim': claim,
      ':withdrawing': 'withdrawing',
      ':yearEnd': yearEnd,
      ':year': claim.year,
      ':sending': 'sending',
      ':stale': staleBefore,
    },
    returnOld: true,
  });
  return old && { previous: old.usageNotice as UsageNoticeState | undefined };
}

/** A member's notice state and status, read consistently: what a refused claim found. */
export async function noticeStateOf(memberId: string): Promise<(UsageNoticeFacts & Item) | undefined> {
  return getItem<UsageNoticeFacts & Item>({
    TableName: tableName('members'),
    Key: { pk: memberPk(memberId), sk: PROFILE_SK },
    ProjectionExpression: '#status, joinedAt, usageNotice',
    ExpressionAttributeNames: { '#status': 'status' },
    ConsistentRead: true,
  });
}

/**
 * Replaces the notice state of attempt `attemptId` with `state` (or removes it), if the claim is
 * still that attempt's: a withdrawal or a newer claim meanwhile leaves nothing to change.
 */
export async function settleNotice(
  memberId: string,
  attemptId: string,
  state: UsageNoticeState | undefined,
): Promise<void> {
  await updateProfileIf(memberId, {
    update: state ? 'SET #notice = :state' : 'REMOVE #notice',
    condition: '#notice.#attempt = :attempt',
    names: { '#notice': 'usageNotice', '#attempt': 'attemptId' },
    values: { ':attempt': attemptId, ...(state ? { ':state': state } : {}) },
  });
}
