/** A member's babies (L2): nickname and gender, with an optional photo where consented. */
import { createHash, randomUUID } from 'node:crypto';
import type { Catalogue } from '../../policy/schema';
import { tableName } from '../adapters/dynamodb';
import { HttpProblem, ValidationProblem } from '../shared/errors';
import { checkChanges } from './correct';
import { encryptField } from './field-cipher';
import {
  binding,
  memberPk,
  requireDataKey,
  requireMemberData,
  sealItems,
  writeTransaction,
} from './member-store';

/** Babies one member may register. */
export const MAX_BABIES = 20;

const noSuchBaby = () => new HttpProblem(404, 'No such baby', 'No baby with this id belongs to the member.');

/**
 * The id of the baby a request registers: derived from the request's Idempotency-Key when it
 * has one, so the same request run again finds the baby it made instead of making another.
 */
export function babyIdFor(memberId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`baby\0${memberId}\0${idempotencyKey}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Registers a baby; returns its id. */
export async function addBaby(
  c: Catalogue,
  memberId: string,
  values: Readonly<Record<string, string | undefined>>,
  now: Date,
  idempotencyKey?: string,
): Promise<{ babyId: string }> {
  const data = await requireMemberData(memberId);
  const babyId = babyIdFor(memberId, idempotencyKey);
  if (data.babies.some((b) => b.babyId === babyId)) return { babyId };
  if (data.babies.length >= MAX_BABIES)
    throw new HttpProblem(422, 'Too many babies', `At most ${MAX_BABIES} babies.`);
  const method = data.profile.signInMethod;
  const missing = Object.entries(c.items)
    .filter(
      ([id, item]) =>
        item.subject === 'baby' && item.requiredFor.includes(method) && values[id] === undefined,
    )
    .map(([id]) => ({ field: `items.${id}`, problem: 'required for a baby' }));
  if (missing.length > 0) throw new ValidationProblem(missing);
  const { set } = checkChanges(c, data, values);
  const key = await requireDataKey(memberId);
  await writeTransaction([
    {
      Put: {
        TableName: tableName('members'),
        Item: {
          pk: memberPk(memberId),
          sk: `BABY#${babyId}`,
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
            Key: { pk: memberPk(memberId), sk: `BABY#${babyId}` },
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
          Key: { pk: memberPk(memberId), sk: `BABY#${babyId}` },
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ],
    noSuchBaby(),
  );
}
