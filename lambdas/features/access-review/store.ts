/**
 * The access-reviews table: one partition of tasks (pk REVIEW, sk the month), so the officer's
 * listing is one query, and one partition per month of each officer's evidence (pk
 * EVIDENCE#<month>, sk the officer). Items are only added; a task is updated twice at most: when
 * the privacy officer is told it is open, and when it is signed off. TTL alone removes them.
 */
import { getItem, putIf, queryAll, tableName, updateIf } from '../../adapters/dynamodb';
import type { OfficerEvidence, ReviewTask } from './rules';

const TASKS = 'REVIEW';
const evidencePk = (month: string) => `EVIDENCE#${month}`;

/** The task of `month`, read consistently; undefined before the month is assembled. */
export async function reviewTaskOf(month: string): Promise<ReviewTask | undefined> {
  const item = await getItem<ReviewTask & { pk: string; sk: string }>({
    TableName: tableName('accessReviews'),
    Key: { pk: TASKS, sk: month },
    ConsistentRead: true,
  });
  return item && strip(item);
}

/** Every task, oldest month first. */
export async function reviewTasks(): Promise<ReviewTask[]> {
  const items = await queryAll<ReviewTask & { pk: string; sk: string }>({
    TableName: tableName('accessReviews'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': TASKS },
    ConsistentRead: true,
  });
  return items.map(strip);
}

/** Each officer's evidence for `month`, by officer. */
export async function evidenceOf(month: string): Promise<OfficerEvidence[]> {
  const items = await queryAll<OfficerEvidence & { pk: string; sk: string; expiresAt: number }>({
    TableName: tableName('accessReviews'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': evidencePk(month) },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, expiresAt: _e, ...evidence }) => evidence);
}

/** Adds an officer's evidence for `month`; false when a run before added it. */
export function putEvidence(month: string, evidence: OfficerEvidence, expiresAt: number): Promise<boolean> {
  return putIf({
    TableName: tableName('accessReviews'),
    Item: { pk: evidencePk(month), sk: evidence.officerId, ...evidence, expiresAt },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** Opens the task of a month; false when a run before opened it. */
export function putTask(task: ReviewTask): Promise<boolean> {
  return putIf({
    TableName: tableName('accessReviews'),
    Item: { pk: TASKS, sk: task.month, ...task },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** Records that the privacy officer was told of the task; false when a run before recorded it. */
export async function markOfficerTold(month: string, at: string): Promise<boolean> {
  return (
    (await updateIf({
      TableName: tableName('accessReviews'),
      Key: { pk: TASKS, sk: month },
      UpdateExpression: 'SET officerToldAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(officerToldAt)',
      ExpressionAttributeValues: { ':at': at },
    })) !== undefined
  );
}

/** Signs a task off, if it is still open; undefined when it is not (signed off meanwhile). */
export async function signOffTask(
  month: string,
  signOff: NonNullable<ReviewTask['signOff']>,
): Promise<ReviewTask | undefined> {
  const updated = await updateIf({
    TableName: tableName('accessReviews'),
    Key: { pk: TASKS, sk: month },
    UpdateExpression: 'SET #status = :signed, signOff = :signOff',
    ConditionExpression: 'attribute_exists(pk) AND #status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':signed': 'signed-off', ':open': 'open', ':signOff': signOff },
    ReturnValues: 'ALL_NEW',
  });
  return updated && strip(updated as unknown as ReviewTask & { pk: string; sk: string });
}

function strip({ pk: _pk, sk: _sk, ...task }: ReviewTask & { pk: string; sk: string }): ReviewTask {
  return task;
}
