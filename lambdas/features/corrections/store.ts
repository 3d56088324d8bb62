import { membersTable } from '../../../model/members-table';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import { deleteItem, getItem, tableName, transactIf, updateItem } from '../../adapters/dynamodb';
import { outboxPut } from '../lifecycle/store';
import {
  type CorrectionRecord,
  type MemberRecord,
  profileUpdate,
  type TransactItem,
  writeTransaction,
} from '../members/store';

/** The table and key of a pending correction. */
const correctionItem = (memberId: string, correctionId: string) => ({
  TableName: tableName('members'),
  Key: membersTable.correction(memberId, correctionId),
});

/** A pending correction as a use case makes it; the store adds its key. */
export type NewCorrection = Omit<CorrectionRecord, 'pk' | 'sk'>;

/**
 * Writes a correction in one transaction: `sealed` values replace items of the profile (read at
 * its revision), `remove` items go with their lookups, and each pending correction is added. The
 * profile moves on even when only corrections are added, so two at once cannot both pass the
 * freeze; a concurrent change fails it whole (409).
 */
export async function writeCorrections(
  profile: MemberRecord,
  sealed: Readonly<Record<string, string>>,
  remove: readonly string[],
  pending: readonly NewCorrection[],
  now: Date,
  lang?: Language,
): Promise<void> {
  const { memberId, lookups } = profile;
  const members = tableName('members');
  const transaction: TransactItem[] = [];
  // A new language rides on the same update as the items: no write of its own.
  const language = lang !== undefined && lang !== (profile.lang ?? DEFAULT_LANGUAGE) ? { lang } : {};
  if (Object.keys(sealed).length > 0 || remove.length > 0 || pending.length > 0 || language.lang) {
    transaction.push(
      profileUpdate(memberId, profile.rev, {
        set: {
          ...Object.fromEntries(Object.entries(sealed).map(([id, v]) => [`items.${id}`, v])),
          ...language,
        },
        remove: remove.flatMap((id) => [`items.${id}`, ...(lookups[id] ? [`lookups.${id}`] : [])]),
      }),
    );
    for (const id of remove) {
      const mac = lookups[id];
      if (mac) transaction.push({ Delete: { TableName: members, Key: membersTable.lookup(id, mac) } });
    }
  }
  // Values that change now are a correction that took effect; pending ones take effect on their code.
  const changed = [...Object.keys(sealed), ...remove];
  if (changed.length > 0) transaction.push(outboxPut('MemberCorrected', memberId, now, { items: changed }));
  for (const p of pending) {
    transaction.push({
      Put: {
        TableName: members,
        Item: { ...membersTable.correction(memberId, p.correctionId), ...p },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  await writeTransaction(transaction);
}

/** A pending correction, read consistently; undefined when there is none (expired ones included). */
export async function loadCorrection(
  memberId: string,
  correctionId: string,
): Promise<CorrectionRecord | undefined> {
  return getItem<CorrectionRecord>({ ...correctionItem(memberId, correctionId), ConsistentRead: true });
}

/** Counts a wrong code against a pending correction, or cancels the correction when `cancel` says so. */
export async function recordWrongCode(
  memberId: string,
  correctionId: string,
  cancel: boolean,
): Promise<void> {
  const item = correctionItem(memberId, correctionId);
  await (cancel
    ? deleteItem(item)
    : updateItem({
        ...item,
        UpdateExpression: 'SET attempts = attempts + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }));
}

/**
 * Completes a correction in one transaction: the profile (read at its revision) takes the
 * `sealed` value and the correction's lookup, the correction goes, and the lookup item moves to
 * the new value. False, with nothing written, when another membership holds that value or the
 * member changed meanwhile.
 */
export function completeCorrection(
  profile: MemberRecord,
  correction: CorrectionRecord,
  sealed: string,
  now: Date,
): Promise<boolean> {
  const { memberId } = profile;
  const { itemId, lookup } = correction;
  const members = tableName('members');
  const oldMac = profile.lookups[itemId];
  const transaction: TransactItem[] = [
    profileUpdate(memberId, profile.rev, {
      set: { [`items.${itemId}`]: sealed, ...(lookup ? { [`lookups.${itemId}`]: lookup } : {}) },
    }),
    {
      Delete: {
        ...correctionItem(memberId, correction.correctionId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    outboxPut('MemberCorrected', memberId, now, { items: [itemId] }),
  ];
  if (lookup && lookup !== oldMac) {
    if (oldMac)
      transaction.push({ Delete: { TableName: members, Key: membersTable.lookup(itemId, oldMac) } });
    transaction.push({
      Put: {
        TableName: members,
        Item: { ...membersTable.lookup(itemId, lookup), memberId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  return transactIf(transaction);
}
