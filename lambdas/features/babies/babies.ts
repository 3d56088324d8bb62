/** A member's babies (L2): nickname and gender, with an optional photo where consented. */
import { membersTable } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { tableName } from '../../adapters/dynamodb';
import { InvalidInput, NotFound, RuleViolated } from '../../runtime/errors';
import { requestScopedId } from '../../runtime/request-ids';
import { checkChanges } from '../corrections/correct';
import { encryptField } from '../members/cipher';
import { binding, requireDataKey, requireMemberData, sealItems, writeTransaction } from '../members/store';

/** Babies one member may register. */
export const MAX_BABIES = 20;

const noSuchBaby = () => new NotFound('No such baby', 'No baby with this id belongs to the member.');

/** Registers a baby; returns its id. */
export async function addBaby(
  c: Catalogue,
  memberId: string,
  values: Readonly<Record<string, string | undefined>>,
  now: Date,
  idempotencyKey?: string,
): Promise<{ babyId: string }> {
  const data = await requireMemberData(memberId);
  const babyId = requestScopedId('baby', memberId, idempotencyKey);
  if (data.babies.some((b) => b.babyId === babyId)) return { babyId };
  if (data.babies.length >= MAX_BABIES)
    throw new RuleViolated('Too many babies', `At most ${MAX_BABIES} babies.`);
  const method = data.profile.signInMethod;
  const missing = Object.entries(c.items)
    .filter(
      ([id, item]) =>
        item.subject === 'baby' && item.requiredFor.includes(method) && values[id] === undefined,
    )
    .map(([id]) => ({ field: `items.${id}`, problem: 'required for a baby' }));
  if (missing.length > 0) throw new InvalidInput(missing);
  const { set } = checkChanges(c, data, values);
  const key = await requireDataKey(memberId);
  await writeTransaction([
    {
      Put: {
        TableName: tableName('members'),
        Item: {
          ...membersTable.baby(memberId, babyId),
          babyId,
          items: sealItems(key, (id) => binding.baby(memberId, babyId, id), set),
          createdAt: now.toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  return { babyId };
}

/** Corrects a baby's items (null removes an optional one). */
export async function correctBaby(
  c: Catalogue,
  memberId: string,
  babyId: string,
  changes: Readonly<Record<string, string | null | undefined>>,
): Promise<{ corrected: string[]; removed: string[] }> {
  const data = await requireMemberData(memberId);
  if (!data.babies.some((b) => b.babyId === babyId)) throw noSuchBaby();
  const { set, remove } = checkChanges(c, data, changes);
  const key = await requireDataKey(memberId);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([id, v], i) => {
    names[`#i${i}`] = id;
    values[`:v${i}`] = encryptField(key, binding.baby(memberId, babyId, id), v);
    return `#items.#i${i} = :v${i}`;
  });
  const removes = remove.map((id, i) => {
    names[`#r${i}`] = id;
    return `#items.#r${i}`;
  });
  if (sets.length + removes.length > 0) {
    await writeTransaction(
      [
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
            ExpressionAttributeNames: { ...names, '#items': 'items' },
            ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
          },
        },
      ],
      noSuchBaby(),
    );
  }
  return { corrected: Object.keys(set), removed: remove };
}

/** Deletes a baby and every item of the baby. */
export async function deleteBaby(memberId: string, babyId: string): Promise<void> {
  await requireMemberData(memberId);
  await writeTransaction(
    [
      {
        Delete: {
          TableName: tableName('members'),
          Key: membersTable.baby(memberId, babyId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
    noSuchBaby(),
  );
}
