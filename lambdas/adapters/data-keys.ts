/**
 * Per-member data keys (L13/G15, L8/G8/G12). Each member's fields are encrypted under a key of
 * their own, wrapped by the members KMS key and stored in the keys table. Deleting the wrapped
 * key shreds every copy of the member's ciphertext, backups included. Unwrapped keys live in
 * memory for a short while so a warm read costs no KMS call; they are never logged or stored.
 */

import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { documentClient, tableName } from './dynamodb';
import { keyId, kms } from './kms';

/** How long an unwrapped data key stays in memory. */
export const DATA_KEY_CACHE_MS = 5 * 60_000;
const CACHE_LIMIT = 1_000;

/** A new data key: the plaintext for this request, the wrapped form for the keys table. */
export interface NewDataKey {
  readonly plaintext: Uint8Array;
  readonly wrapped: string;
}

const cache = new Map<string, { key: Uint8Array; until: number }>();

/** The KMS encryption context binding a wrapped key to its member. */
function contextOf(memberId: string): Record<string, string> {
  return { memberId, use: 'member-data-key' };
}

/** Caches an unwrapped key; call once the wrapped key is durably stored. */
export function rememberDataKey(memberId: string, key: Uint8Array): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(memberId, { key, until: Date.now() + DATA_KEY_CACHE_MS });
}

/** Generates a member's data key; the caller stores `wrapped` with {@link keyItem}, then remembers it. */
export async function newDataKey(memberId: string): Promise<NewDataKey> {
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateDataKeyCommand({
        KeyId: keyId('members'),
        KeySpec: 'AES_256',
        EncryptionContext: contextOf(memberId),
      }),
    ),
  );
  if (!out.Plaintext || !out.CiphertextBlob)
    throw new DependencyFailed('kms', { cause: new Error('KMS returned no data key') });
  return { plaintext: out.Plaintext, wrapped: Buffer.from(out.CiphertextBlob).toString('base64') };
}

/** The keys-table item holding a wrapped data key. */
export function keyItem(memberId: string, wrapped: string, createdAt: Date) {
  return { memberId, wrappedKey: wrapped, createdAt: createdAt.toISOString() };
}

/** A member's unwrapped data key, or undefined when it was destroyed (or never existed). */
export async function dataKeyOf(memberId: string): Promise<Uint8Array | undefined> {
  const hit = cache.get(memberId);
  if (hit && hit.until > Date.now()) return hit.key;
  cache.delete(memberId);
  const item = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName('keys'), Key: { memberId }, ConsistentRead: true }),
    ),
  );
  const wrapped = item.Item?.wrappedKey;
  if (typeof wrapped !== 'string') return undefined;
  const out = await awsCall('kms', () =>
    kms().send(
      new DecryptCommand({
        KeyId: keyId('members'),
        CiphertextBlob: Buffer.from(wrapped, 'base64'),
        EncryptionContext: contextOf(memberId),
      }),
    ),
  );
  if (!out.Plaintext) throw new DependencyFailed('kms', { cause: new Error('KMS returned no plaintext') });
  rememberDataKey(memberId, out.Plaintext);
  return out.Plaintext;
}

/** Destroys a member's data key: from memory, then from the keys table (crypto-shredding). */
export async function destroyDataKey(memberId: string): Promise<void> {
  cache.delete(memberId);
  await awsCall('dynamodb', () =>
    documentClient.send(new DeleteCommand({ TableName: tableName('keys'), Key: { memberId } })),
  );
}

/** Drops every cached key (tests, and a cold start in all but name). */
export function clearDataKeyCache(): void {
  cache.clear();
}
