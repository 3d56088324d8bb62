/**
 * Records the service creates while a member is active (L10): purchases, and whatever other
 * kinds the catalogue's `serviceRecords` names. Each record is an item of the member's
 * partition, sealed under the member's data key, and carries its retention class from the
 * moment it is created. At withdrawal each record whose legal period is still running moves to
 * the vault with the expiry of its own class — counted from its creation or from the
 * withdrawal, as the class's `startsAt` says — and the rest is destroyed with the member.
 */

import type { Text } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { requestScopedId } from '../../runtime/request-ids';
import { decryptField, encryptField } from '../members/cipher';
import { requireDataKey, requireMemberData, type ServiceRecord } from '../members/store';
import { putVaultItems, vaultDataKey, vaultExpiry, vaultPk } from '../vault/store';
import { checkRecordValue, type RecordRetention, type RecordToRetain, retentionOf } from './rules';
import { putServiceRecord } from './store';

// Withdrawal reads which records outlive the membership from here, with the move to the vault.

/** A purchase as the member's app reports it. */
export interface Purchase {
  readonly product: string;
  /** In the currency's minor unit (won have none). */
  readonly amount: number;
  readonly currency: string;
}

/** A service record as the member sees it. */
export interface ServiceRecordView {
  readonly recordId: string;
  readonly item: string;
  readonly label: Text;
  readonly createdAt: string;
  readonly content: unknown;
  readonly retention: RecordRetention;
}

/** What a service record's value is sealed against. */
export const recordBinding = (memberId: string, recordId: string, itemId: string) =>
  `member/${memberId}/record/${recordId}/item/${itemId}`;

/**
 * Records a purchase of `memberId`. The write also moves the member's revision on, so a
 * withdrawal that read the member before this purchase fails and is retried, and never leaves
 * the purchase behind unretained.
 */
export async function recordPurchase(
  c: Catalogue,
  memberId: string,
  purchase: Purchase,
  now: Date,
  idempotencyKey?: string,
): Promise<{ recordId: string; createdAt: string; retention: RecordRetention }> {
  const itemId = c.serviceRecords?.purchases;
  // The route exists only where the catalogue names a purchase item.
  if (!itemId) throw new Error('The catalogue records no purchases');
  const item = c.items[itemId]!;
  const value = JSON.stringify(purchase);
  checkRecordValue(item, value);
  const data = await requireMemberData(memberId);
  const recordId = requestScopedId('purchase', memberId, idempotencyKey);
  const made = data.records.find((r) => r.recordId === recordId);
  if (made)
    return {
      recordId,
      createdAt: made.createdAt,
      retention: retentionOf(c, item.retention, new Date(made.createdAt)),
    };
  const key = await requireDataKey(memberId);
  const createdAt = now.toISOString();
  await putServiceRecord(data.profile, {
    recordId,
    itemId,
    retentionClass: item.retention,
    createdAt,
    value: encryptField(key, recordBinding(memberId, recordId, itemId), value),
  });
  return { recordId, createdAt, retention: retentionOf(c, item.retention, now) };
}

/** The member's service records, opened, newest first. */
export function serviceRecordViews(
  c: Catalogue,
  memberId: string,
  key: Uint8Array,
  records: readonly ServiceRecord[],
): ServiceRecordView[] {
  return [...records]
    .sort((a, b) => b.sk.localeCompare(a.sk))
    .map((r) => {
      const text = decryptField(key, recordBinding(memberId, r.recordId, r.itemId), r.value);
      let content: unknown = text;
      try {
        content = JSON.parse(text);
      } catch {
        // A record kind stored as plain text is shown as it is.
      }
      return {
        recordId: r.recordId,
        item: r.itemId,
        label: c.items[r.itemId]?.label ?? { ko: r.itemId, en: r.itemId },
        createdAt: r.createdAt,
        content,
        retention: retentionOf(c, r.retentionClass, new Date(r.createdAt)),
      };
    });
}

/**
 * Copies the retained records into the vault, re-sealed under a vault data key. Keys are
 * deterministic (`<class>#<recordId>`), so a rerun after a crash overwrites rather than
 * duplicates; it must run before the member's data key is destroyed.
 */
export async function moveRecordsToVault(
  memberId: string,
  memberKey: Uint8Array,
  retained: readonly RecordToRetain<ServiceRecord>[],
  movedAt: Date,
): Promise<void> {
  if (retained.length === 0) return;
  const vaultKey = await vaultDataKey(memberId);
  const items = retained.map(({ record, until }) => {
    const sk = `${record.retentionClass}#${record.recordId}`;
    const value = decryptField(
      memberKey,
      recordBinding(memberId, record.recordId, record.itemId),
      record.value,
    );
    const payload = JSON.stringify({ item: record.itemId, createdAt: record.createdAt, value });
    return {
      pk: vaultPk(memberId),
      sk,
      memberId,
      retentionClass: record.retentionClass,
      payload: encryptField(vaultKey.plaintext, `vault/${memberId}/${sk}`, payload),
      wrappedKey: vaultKey.wrapped,
      createdAt: record.createdAt,
      movedAt: movedAt.toISOString(),
      ...vaultExpiry(until),
    };
  });
  await putVaultItems(items);
}
