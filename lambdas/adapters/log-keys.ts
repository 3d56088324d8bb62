/**
 * Data keys of the logs key domain, for sealing personal fields of log records (G3: the IP
 * address). Writing: one data key serves a warm function for a few minutes and a bounded number
 * of records, so recording a call costs a KMS round trip only now and then, not on every call;
 * each record stores the wrapped key it was sealed under. Reading: each distinct wrapped key is
 * unwrapped once and kept briefly. Plaintext keys live in memory only and are never logged.
 */

import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { keyId, kms } from './kms';

/** How long one data key seals new log records. */
export const LOG_KEY_REUSE_MS = 5 * 60_000;
/** How many records one data key seals at most: far below AES-GCM's random-IV limit. */
export const LOG_KEY_REUSE_RECORDS = 10_000;
const UNWRAPPED_LIMIT = 100;

/** The encryption context of every logs data key: names its use, so no other use can unwrap it. */
const CONTEXT = { use: 'log-record' } as const;

/** A data key for sealing: the plaintext for this process, the wrapped form for each record. */
export interface LogDataKey {
  readonly plaintext: Uint8Array;
  readonly wrapped: string;
}

let current: { key: LogDataKey; until: number; uses: number } | undefined;
const unwrapped = new Map<string, { key: Uint8Array; until: number }>();

/** The data key to seal the next log record with; a new one when the current is spent. */
export async function logSealingKey(now = Date.now()): Promise<LogDataKey> {
  if (current && current.until > now && current.uses < LOG_KEY_REUSE_RECORDS) {
    current.uses += 1;
    return current.key;
  }
  current = undefined;
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateDataKeyCommand({ KeyId: keyId('logs'), KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    ),
  );
  if (!out.Plaintext || !out.CiphertextBlob)
    throw new DependencyFailed('kms', { cause: new Error('KMS returned no data key') });
  const key = { plaintext: out.Plaintext, wrapped: Buffer.from(out.CiphertextBlob).toString('base64') };
  current = { key, until: now + LOG_KEY_REUSE_MS, uses: 1 };
  return key;
}

/** The plaintext of a wrapped logs data key, for opening the records sealed under it. */
export async function openLogKey(wrapped: string, now = Date.now()): Promise<Uint8Array> {
  const hit = unwrapped.get(wrapped);
  if (hit && hit.until > now) return hit.key;
  const out = await awsCall('kms', () =>
    kms().send(
      new DecryptCommand({
        KeyId: keyId('logs'),
        CiphertextBlob: Buffer.from(wrapped, 'base64'),
        EncryptionContext: CONTEXT,
      }),
    ),
  );
  if (!out.Plaintext) throw new DependencyFailed('kms', { cause: new Error('KMS returned no plaintext') });
  if (unwrapped.size >= UNWRAPPED_LIMIT) unwrapped.delete(unwrapped.keys().next().value as string);
  unwrapped.set(wrapped, { key: out.Plaintext, until: now + LOG_KEY_REUSE_MS });
  return out.Plaintext;
}

/** Forgets every logs data key held in memory (tests, and a cold start in all but name). */
export function clearLogKeys(): void {
  current = undefined;
  unwrapped.clear();
}
