/**
 * The access log (G3; littleone's service-visit records, L10): one record per API call that
 * names a member, holding exactly the catalogue's access-log items (IP address, time, route).
 * Items the catalogue marks encrypted — the IP address above all — are sealed field by field
 * under a logs data key, so the table's readers see ciphertext. Each record expires when the
 * catalogue's access-log class says (DynamoDB TTL); reads skip records past it, because TTL may
 * lag by two days.
 */
import type { Catalogue } from '../../../policy/schema';
import { logSealingKey, openLogKey } from '../../adapters/log-keys';
import { decryptField, encryptField } from '../members/cipher';
import {
  type AccessEvent,
  type AccessHistory,
  accessHistory,
  accessLogBinding,
  accessRecordOf,
} from './rules';
import { liveAccessRecords, putAccessRecord } from './store';

/**
 * Records one call. Throws (a DependencyFailed) when KMS or DynamoDB fails, so the caller can
 * refuse the request: a call that cannot be recorded does not happen.
 */
export async function recordAccess(c: Catalogue, event: AccessEvent): Promise<void> {
  const record = accessRecordOf(c, event);
  const { items } = record;
  for (const itemId in items) {
    if (c.items[itemId]!.encrypted) {
      const key = await logSealingKey();
      record.wrappedKey = key.wrapped;
      items[itemId] = encryptField(
        key.plaintext,
        accessLogBinding(event.memberId, record.at, itemId),
        items[itemId]!,
      );
    }
  }
  await putAccessRecord(record);
}

/** The member's own access history, newest first, without records past their period. */
export async function accessHistoryOf(
  c: Catalogue,
  memberId: string,
  now: Date,
  limit = Infinity,
): Promise<AccessHistory> {
  const found = await liveAccessRecords(memberId, now, limit);
  const records = found.slice(0, limit);
  // Many records share a data key: unwrap each distinct one once, not once per record.
  const keys = new Map<string, Uint8Array>();
  for (const wrapped of new Set(records.flatMap((r) => (r.wrappedKey ? [r.wrappedKey] : [])))) {
    keys.set(wrapped, await openLogKey(wrapped));
  }
  return accessHistory(c, records, found.length > limit, (record, itemId, sealed) => {
    const key = record.wrappedKey && keys.get(record.wrappedKey);
    return key ? decryptField(key, accessLogBinding(memberId, record.at, itemId), sealed) : sealed;
  });
}
