/**
 * A withdrawal's persistence: the transaction that marks the member `withdrawing` and writes the
 * vault records and the receipt, the receipt read back on a rerun, and the destruction of the
 * member's partition.
 */
import { memberPk, membersTable, PROFILE_SK } from '../../../model/members-table';
import { batchWrite, queryAll, tableName } from '../../adapters/dynamodb';
import { outboxPut } from '../lifecycle/store';
import { encryptField } from '../members/cipher';
import { profileUpdate, writeTransaction } from '../members/store';
import {
  liveVaultItem,
  VAULT_RECEIPT_SK as RECEIPT_SK,
  type VaultDataKey,
  vaultExpiry,
  vaultPk,
} from '../vault/store';
import type { SignedReceipt, WithdrawalPlan, WithdrawalReason } from './rules';

/** The sort key of the full receipt in the member's vault partition (the receipt's own class). */
export const FULL_RECEIPT_SK = 'withdrawal-receipt#full';

/** The sort key of a withdrawal's receipt in the member's vault partition. */

/** The receipt of an earlier withdrawal, unless its period has ended (TTL may lag). */
export async function storedReceipt(memberId: string, now: Date): Promise<SignedReceipt | undefined> {
  // Once every silo has answered, the full receipt (with every silo's line) is the answer.
  const full = await liveVaultItem({ pk: vaultPk(memberId), sk: FULL_RECEIPT_SK }, now);
  if (full) return full.signed as SignedReceipt;
  const item = await liveVaultItem({ pk: vaultPk(memberId), sk: RECEIPT_SK }, now);
  return item?.signed as SignedReceipt | undefined;
}

/**
 * In one transaction: the `withdrawing` mark (guarded by the profile revision `rev` the
 * withdrawal read), each record the plan keeps sealed under the vault key with the expiry of its
 * class, and the signed receipt, which only the first withdrawal writes.
 */
export async function startWithdrawal(
  memberId: string,
  rev: number,
  vaultKey: VaultDataKey,
  plan: WithdrawalPlan,
  signed: SignedReceipt,
  now: Date,
  reason: WithdrawalReason,
): Promise<void> {
  const vault = tableName('vault');
  const pk = vaultPk(memberId);
  const records = plan.kept.map(([classId, payload, until]) => {
    const sk = `${classId}#withdrawal`;
    return {
      Put: {
        TableName: vault,
        Item: {
          pk,
          sk,
          memberId,
          retentionClass: classId,
          payload: encryptField(vaultKey.plaintext, `vault/${memberId}/${sk}`, JSON.stringify(payload)),
          wrappedKey: vaultKey.wrapped,
          createdAt: now.toISOString(),
          ...vaultExpiry(until),
        },
      },
    };
  });
  await writeTransaction([
    profileUpdate(memberId, rev, { set: { status: 'withdrawing' } }),
    ...records,
    {
      Put: {
        TableName: vault,
        Item: {
          pk,
          sk: RECEIPT_SK,
          memberId,
          signed,
          ...vaultExpiry(plan.keepReceiptUntil),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // The end of the membership is told once, with the mark that starts it.
    reason === 'inactivity'
      ? outboxPut('MemberDestroyed', memberId, now, { reason })
      : outboxPut('MemberWithdrawn', memberId, now, { reason }),
  ]);
}

/**
 * Deletes every item of the member's partition and their lookup items, the profile last: until
 * it is gone a rerun still finds the member and finishes the job.
 */
export async function destroyMemberItems(
  memberId: string,
  lookups: Readonly<Record<string, string>>,
): Promise<void> {
  // The projection leaves each item its key alone.
  const keys = (
    await queryAll({
      TableName: tableName('members'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': memberPk(memberId) },
      ProjectionExpression: 'pk, sk',
    })
  ).filter((key) => key.sk !== PROFILE_SK);
  for (const [id, mac] of Object.entries(lookups)) keys.push({ ...membersTable.lookup(id, mac) });
  await batchWrite(
    'members',
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
  await batchWrite('members', [{ DeleteRequest: { Key: membersTable.profile(memberId) } }]);
}
