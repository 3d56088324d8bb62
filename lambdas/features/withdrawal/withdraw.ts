/**
 * Withdrawal (L7/G7, L8/G8/G12, L9, L10): what a law requires keeping moves to the vault,
 * sealed under the vault key with the expiry of its class; everything else is destroyed, and
 * the member's data key with it, so every copy of their ciphertext — backups included — becomes
 * unreadable. The member gets a signed receipt.
 *
 * Steps, each safe to repeat after a crash: (1) in one transaction, mark the member
 * `withdrawing`, write the vault records and the receipt; (1b) move the service records still
 * under a legal period (purchases…) to the vault, with the expiry of their own class; (2) destroy
 * the data key; (3) delete the sign-in account; (4) delete the member's items, the profile last.
 * A rerun finds the receipt and resumes at (1b).
 */

import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { shiftInSeoul } from '../../../model/calendar';
import { memberPk, membersTable } from '../../../model/members-table';
import { KEY_BACKUP_DAYS } from '../../../model/resources';

import type { Catalogue } from '../../../policy/schema';
import { deleteSignInAccount } from '../../adapters/accounts';
import { awsCall } from '../../adapters/aws-call';
import { dataKeyOf, destroyDataKey } from '../../adapters/data-keys';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { sign } from '../../adapters/receipt-signer';
import { encryptField } from '../members/cipher';
import {
  binding,
  loadMemberData,
  type MemberData,
  notAMember,
  openItems,
  profileUpdate,
  type TransactItem,
  writeTransaction,
} from '../members/store';
import {
  moveRecordsToVault,
  recordsToRetain,
  retainedRecordClasses,
} from '../service-records/service-records';
import { liveVaultItem, vaultDataKey, vaultExpiry, vaultPk } from '../vault/store';

export { vaultPk } from '../vault/store';

/** What was retained, under which law, until when. */
export interface RetainedEntry {
  readonly class: string;
  readonly label: string;
  readonly law?: string;
  readonly use: string;
  readonly until: string;
  /** For records the service created while the member was active: how many were kept. */
  readonly records?: number;
}

/** The deletion receipt: no personal data, only what happened to it. */
export interface Receipt {
  readonly receiptId: string;
  readonly profile: string;
  readonly operator: string;
  readonly memberId: string;
  readonly withdrawnAt: string;
  readonly destroyed: { readonly items: string[]; readonly babies: number; readonly consentRecords: number };
  readonly retained: RetainedEntry[];
  readonly dataKeyDestroyed: boolean;
  /** The member's sign-in account (login ID, federated identity) is deleted from the user pool. */
  readonly signInAccountDeleted: boolean;
  /** When the last backup that still holds the member's data key expires (PITR of the keys table). */
  readonly residualCopiesUnreadableBy: string;
}

/** A receipt with its signature, as returned to the member. */
export interface SignedReceipt {
  readonly receipt: Receipt;
  readonly signature: string;
  readonly algorithm: 'ECDSA_SHA_256';
}

const RECEIPT_SK = 'RECEIPT';

/** The receipt of an earlier withdrawal, unless its period has ended (TTL may lag). */
async function storedReceipt(memberId: string, now: Date): Promise<SignedReceipt | undefined> {
  const item = await liveVaultItem({ pk: vaultPk(memberId), sk: RECEIPT_SK }, now);
  return item?.signed as SignedReceipt | undefined;
}

/** Step 1: the vault records and the signed receipt, written with the `withdrawing` mark. */
async function retainAndReceipt(
  c: Catalogue,
  data: MemberData,
  key: Uint8Array,
  now: Date,
): Promise<SignedReceipt> {
  const { memberId } = data.profile;
  const values = openItems(key, (id) => binding.item(memberId, id), data.profile.items);
  const vault = tableName('vault');
  const vaultKey = await vaultDataKey(memberId);
  const retained: RetainedEntry[] = [];
  const puts: TransactItem[] = [];

  for (const classId of c.recordClasses.onWithdrawal) {
    const rc = c.retention[classId]!;
    if (rc.period === 'until-withdrawal' || !rc.keeps) continue;
    const payload: Record<string, unknown> = {};
    for (const item of rc.keeps.items) if (values[item] !== undefined) payload[item] = values[item];
    if (rc.keeps.membership) {
      Object.assign(payload, {
        joinedAt: data.profile.joinedAt,
        withdrawnAt: now.toISOString(),
        policyVersion: data.profile.policyVersion,
        signInMethod: data.profile.signInMethod,
        consents: data.profile.consents,
        ageAffirmation: data.profile.ageAffirmation,
      });
    }
    if (Object.keys(payload).length === 0) continue;
    const until = shiftInSeoul(now, rc.period);
    const sk = `${classId}#withdrawal`;
    puts.push({
      Put: {
        TableName: vault,
        Item: {
          pk: vaultPk(memberId),
          sk,
          memberId,
          retentionClass: classId,
          payload: encryptField(vaultKey.plaintext, `vault/${memberId}/${sk}`, JSON.stringify(payload)),
          wrappedKey: vaultKey.wrapped,
          createdAt: now.toISOString(),
          ...vaultExpiry(until),
        },
      },
    });
    retained.push({
      class: classId,
      label: rc.label,
      ...(rc.law ? { law: rc.law } : {}),
      use: rc.use,
      until: until.toISOString(),
    });
  }

  retained.push(...retainedRecordClasses(c, recordsToRetain(c, data.records, now)));

  const residual = shiftInSeoul(now, { days: KEY_BACKUP_DAYS });
  const receipt: Receipt = {
    receiptId: randomUUID(),
    profile: c.profile,
    operator: c.operator.name,
    memberId,
    withdrawnAt: now.toISOString(),
    destroyed: {
      items: Object.keys(data.profile.items).filter(
        (id) => !retained.some((r) => c.retention[r.class]?.keeps?.items.includes(id)),
      ),
      babies: data.babies.length,
      consentRecords: data.consentHistory.length,
    },
    retained,
    dataKeyDestroyed: true,
    signInAccountDeleted: true,
    residualCopiesUnreadableBy: residual.toISOString(),
  };
  const signed: SignedReceipt = {
    receipt,
    signature: await sign({ ...receipt }),
    algorithm: 'ECDSA_SHA_256',
  };
  const keepReceiptUntil = new Date(
    Math.max(residual.getTime(), ...retained.map((r) => Date.parse(r.until))),
  );
  puts.push({
    Put: {
      TableName: vault,
      Item: { pk: vaultPk(memberId), sk: RECEIPT_SK, memberId, signed, ...vaultExpiry(keepReceiptUntil) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  await writeTransaction([
    profileUpdate(memberId, data.profile.rev, { set: { status: 'withdrawing' } }),
    ...puts,
  ]);
  return signed;
}

/** Step 1b: the service records still under a legal period, to the vault; repeatable until (2). */
async function retainServiceRecords(c: Catalogue, data: MemberData, signed: SignedReceipt): Promise<void> {
  const key = await dataKeyOf(data.profile.memberId);
  // No key: step 2 ran, and it runs only after this step completed.
  if (!key) return;
  const withdrawnAt = new Date(signed.receipt.withdrawnAt);
  await moveRecordsToVault(
    data.profile.memberId,
    key,
    recordsToRetain(c, data.records, withdrawnAt),
    withdrawnAt,
  );
}

/** Step 3: every item of the member's partition and their lookup items, the profile last. */
async function destroyPartition(data: MemberData): Promise<void> {
  const members = tableName('members');
  const keys: Record<string, string>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        new QueryCommand({
          TableName: members,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': memberPk(data.profile.memberId) },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    for (const item of page.Items ?? []) if (item.sk !== 'PROFILE') keys.push({ pk: item.pk, sk: item.sk });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  for (const [id, mac] of Object.entries(data.profile.lookups))
    keys.push({ ...membersTable.lookup(id, mac) });
  await batchDelete(members, keys);
  await batchDelete(members, [{ pk: data.profile.pk, sk: data.profile.sk }]);
}

/** Deletes keys in batches of 25, retrying what DynamoDB leaves unprocessed. */
async function batchDelete(table: string, keys: Record<string, string>[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === 5) throw new Error('Deletes left unprocessed after retries');
      const out = await awsCall('dynamodb', () =>
        documentClient.send(new BatchWriteCommand({ RequestItems: { [table]: requests } })),
      );
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}

/** Withdraws the membership of `memberId` and returns the signed receipt; safe to repeat. */
export async function withdraw(c: Catalogue, memberId: string, now: Date): Promise<SignedReceipt> {
  const data = await loadMemberData(memberId);
  if (!data) {
    const receipt = await storedReceipt(memberId, now);
    if (receipt) return receipt;
    throw notAMember();
  }
  let signed = data.profile.status === 'withdrawing' ? await storedReceipt(memberId, now) : undefined;
  if (!signed) {
    const key = await dataKeyOf(memberId);
    // Gone since it was read: a withdrawal running alongside finished first.
    if (!key) {
      const done = await storedReceipt(memberId, now);
      if (done) return done;
      throw notAMember();
    }
    signed = await retainAndReceipt(c, data, key, now);
  }
  await retainServiceRecords(c, data, signed);
  await destroyDataKey(memberId);
  await deleteSignInAccount(memberId);
  await destroyPartition(data);
  return signed;
}
