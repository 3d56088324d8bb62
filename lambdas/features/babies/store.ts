/** How a baby is kept: one item of the member's partition, its values sealed under the member's key. */
import { membersTable } from '../../../model/members-table';
import { tableName, transactIf } from '../../adapters/dynamodb';
import { writeTransaction } from '../members/store';

/** Adds a baby with its `sealed` items; a baby already under this id fails it (409). */
export function putBaby(
  memberId: string,
  babyId: string,
  sealed: Readonly<Record<string, string>>,
  createdAt: string,
): Promise<void> {
  return writeTransaction([
    {
      Put: {
        TableName: tableName('members'),
        Item: { ...membersTable.baby(memberId, babyId), babyId, items: sealed, createdAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

/**
 * Sets `sealed` items of a baby and removes the `remove` ones; false when the baby does not
 * exist (nothing is written).
 */
export function updateBabyItems(
  memberId: string,
  babyId: string,
  sealed: Readonly<Record<string, string>>,
  remove: readonly string[],
): Promise<boolean> {
  const names: Record<string, string> = { '#items': 'items' };
  const values: Record<string, unknown> = {};
  const sets = Object.entries(sealed).map(([id, v], i) => {
    names[`#i${i}`] = id;
    values[`:v${i}`] = v;
    return `#items.#i${i} = :v${i}`;
  });
  const removes = remove.map((id, i) => {
    names[`#r${i}`] = id;
    return `#items.#r${i}`;
  });
  return transactIf([
    {
      Update: {
        TableName: tableName('members'),
        Key: membersTable.baby(memberId, babyId),
        UpdateExpression: [
          sets.length ? `SET ${sets.join(', ')}` : '',
          removes.length ? `REMOVE ${removes.join(', ')}` : '',
        ]
          .join(' ')
          .trim(),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ...(sets.length ? { ExpressionAttributeValues: values } : {}),
      },
    },
  ]);
}

/** Deletes a baby and every item of it; false when there was no such baby. */
export function deleteBabyItem(memberId: string, babyId: string): Promise<boolean> {
  return transactIf([
    {
      Delete: {
        TableName: tableName('members'),
        Key: membersTable.baby(memberId, babyId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
  ]);
}
