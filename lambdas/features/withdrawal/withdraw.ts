/**
 * Withdrawal (L7/G7, L8/G8/G12, L9, L10): what a law requires keeping moves to the vault,
 * sealed under the vault key with the expiry of its class; everything else is destroyed, and
 * the member's data key with it, so every copy of their ciphertext — backups included — becomes
 * unreadable. The member gets a signed receipt.
 *
 * Steps, each safe to repeat after a crash: (1) in one transaction, mark the member
 * `withdrawing`, write the vault records and the receipt; (1b) move the service records still
 * under a legal period (purchases…) to the vault, with the expiry of their own class; (1c) erase
 * every version of the member's photos; (2) destroy
 * the data key; (3) delete the sign-in account; (4) delete the member's items, the profile last.
 * (3b) queue the erasure in the operator's silos (features/silos): the member has our part at
 * once; the full receipt is signed when the last silo answers, and a repeated withdrawal then
 * returns it. A rerun finds the receipt and resumes at (1b); it queues the unfinished silos again.
 * (3c) tells each recipient of the member's data of the erasure (GDPR Art. 19), once.
 */

import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../../../policy/schema';
import { deleteSignInAccount } from '../../adapters/accounts';
import { dataKeyOf, destroyDataKey } from '../../adapters/data-keys';
import { sign } from '../../adapters/receipt-signer';
import { binding, loadMemberData, type MemberData, notAMember, openItems } from '../members/store';
import { eraseMemberPhotos } from '../photos/photos';
import { propagateChange } from '../provisions/provisions';
import { recordsToRetain, retainedRecordClasses } from '../service-records/rules';
import { moveRecordsToVault } from '../service-records/service-records';
import { startSiloErasure } from '../silos/fanout';
import { vaultDataKey } from '../vault/store';
import { type SignedReceipt, type WithdrawalReason, withdrawalPlan } from './rules';
import { destroyMemberItems, startWithdrawal, storedReceipt } from './store';

/** Step 1: the vault records and the signed receipt, written with the `withdrawing` mark. */
async function retainAndReceipt(
  c: Catalogue,
  data: MemberData,
  key: Uint8Array,
  now: Date,
  reason: WithdrawalReason,
): Promise<SignedReceipt> {
  const { memberId } = data.profile;
  const values = openItems(key, (id) => binding.item(memberId, id), data.profile.items);
  const vaultKey = await vaultDataKey(memberId);
  const plan = withdrawalPlan(
    c,
    data,
    values,
    retainedRecordClasses(c, recordsToRetain(c, data.records, now)),
    randomUUID(),
    now,
  );
  const { receipt } = plan;
  const signed: SignedReceipt = {
    receipt,
    signature: await sign({ ...receipt }),
    algorithm: 'ECDSA_SHA_256',
  };
  await startWithdrawal(memberId, data.profile.rev, vaultKey, plan, signed, now, reason);
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

/**
 * Withdraws the membership of `memberId` for `reason` (the member's own by default) and returns the signed receipt; safe to
 * repeat (only the first run records the lifecycle event).
 */
export async function withdraw(
  c: Catalogue,
  memberId: string,
  now: Date,
  reason: WithdrawalReason = 'member',
): Promise<SignedReceipt> {
  const data = await loadMemberData(memberId);
  if (!data) {
    const receipt = await storedReceipt(memberId, now);
    if (!receipt) throw notAMember();
    // A rerun after our part is done: the silos not yet answered are asked again.
    if (!('silos' in receipt.receipt)) await startSiloErasure(c, receipt.receipt);
    return receipt;
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
    signed = await retainAndReceipt(c, data, key, now, reason);
  }
  await retainServiceRecords(c, data, signed);
  // Before the key and the items: a failure here leaves a withdrawal to resume, never a photo
  // without its owner.
  await eraseMemberPhotos(c, memberId);
  await destroyDataKey(memberId);
  await deleteSignInAccount(memberId);
  // Before the profile goes: a crash here leaves the member `withdrawing`, so every path that
  // resumes a withdrawal (the inactivity worker's included) queues the silos again.
  await startSiloErasure(c, signed.receipt);
  // Each recipient of the member's data hears of the erasure (GDPR Art. 19) while the provisions
  // are still held; the claims under the member make a resumed withdrawal tell nobody twice, and
  // a failed email fails the withdrawal, which resumes here.
  await propagateChange(c, data, 'erasure', signed.receipt.receiptId, now);
  await destroyMemberItems(memberId, data.profile.lookups);
  return signed;
}
