/**
 * The vault (L7/G7): records a law requires keeping after the purpose ends, each sealed under a
 * vault data key and carrying its expiry. DynamoDB TTL deletes "typically within two days" and
 * the sweeper runs daily, so an expired record may still be stored for a while: every read of
 * the vault goes through here and treats a record at or past its expiry as gone.
 */
import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { epochSeconds, seoulDay } from '../../../model/calendar';
import { EXPIRY_ATTRIBUTE, VAULT_EXPIRY_INDEX } from '../../../model/resources';
import { awsCall } from '../../adapters/aws-call';
import { batchWrite, deleteIf, getItem, queryIndex, tableName } from '../../adapters/dynamodb';
import { keyId, kms } from '../../adapters/kms';
import { DependencyFailed } from '../../runtime/errors';

/** The partition of a withdrawn member's vault records. */
export const vaultPk = (memberId: string) => `V#${memberId}`;

/** The sort key of a withdrawal's signed receipt; every other record's is `<retention class>#<id>`. */
export const VAULT_RECEIPT_SK = 'RECEIPT';
/** What the vault's listing and the sweeper's counts call the receipt, which belongs to no retention class. */
export const RECEIPT_CLASS = 'withdrawal-receipt';

/** The retention class a vault record's sort key names (the receipt: {@link RECEIPT_CLASS}). */
export function vaultClassOf(sk: string): string {
  if (sk === VAULT_RECEIPT_SK) return RECEIPT_CLASS;
  const hash = sk.indexOf('#');
  return hash === -1 ? sk : sk.slice(0, hash);
}

/** The key of a vault record. */
export interface VaultKey {
  readonly pk: string;
  readonly sk: string;
}

/** A vault data key: the plaintext to seal with, the wrapped form stored with each record. */
export interface VaultDataKey {
  readonly plaintext: Uint8Array;
  readonly wrapped: string;
}

/** The expiry attributes of a vault record: the TTL instant and the sweeper's day bucket. */
export function vaultExpiry(instant: Date) {
  return { [EXPIRY_ATTRIBUTE]: epochSeconds(instant), expiresOn: seoulDay(instant) };
}

/** Whether a stored vault record is past its period at `now` (TTL may not have removed it yet). */
export function isExpired(item: Record<string, unknown>, now: Date): boolean {
  const expiresAt = item[EXPIRY_ATTRIBUTE];
  return typeof expiresAt !== 'number' || expiresAt <= epochSeconds(now);
}

/** One vault record by key, or undefined when there is none or its period has ended. */
export async function liveVaultItem(key: VaultKey, now: Date): Promise<Record<string, unknown> | undefined> {
  const item = await getItem({ TableName: tableName('vault'), Key: key, ConsistentRead: true });
  return item && !isExpired(item, now) ? item : undefined;
}

/** A fresh vault data key, bound to the member it seals records of. */
export async function vaultDataKey(memberId: string): Promise<VaultDataKey> {
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateDataKeyCommand({
        KeyId: keyId('vault'),
        KeySpec: 'AES_256',
        EncryptionContext: { memberId, use: 'vault-record' },
      }),
    ),
  );
  if (!out.Plaintext || !out.CiphertextBlob) {
    throw new DependencyFailed('kms', { cause: new Error('KMS returned no data key') });
  }
  return { plaintext: out.Plaintext, wrapped: Buffer.from(out.CiphertextBlob).toString('base64') };
}

/** Writes vault records; what DynamoDB leaves unprocessed is retried, and fails closed if it stays. */
export function putVaultItems(items: readonly Record<string, unknown>[]): Promise<void> {
  return batchWrite(
    'vault',
    items.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** The keys of every vault record in the expiry bucket of a Seoul day. */
export async function keysExpiringOn(day: string): Promise<VaultKey[]> {
  const items = await queryIndex('vault', VAULT_EXPIRY_INDEX, day);
  return items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
}

/** Deletes one record if it is due at `nowSeconds`; false when it is not (yet), or already gone. */
export function deleteIfDue(key: VaultKey, nowSeconds: number): Promise<boolean> {
  return deleteIf({
    TableName: tableName('vault'),
    Key: key,
    ConditionExpression: '#exp <= :now',
    ExpressionAttributeNames: { '#exp': EXPIRY_ATTRIBUTE },
    ExpressionAttributeValues: { ':now': nowSeconds },
  });
}
