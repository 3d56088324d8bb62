/**
 * The vault (L7/G7): records a law requires keeping after the purpose ends, each sealed under a
 * vault data key and carrying its expiry. DynamoDB TTL deletes "typically within two days" and
 * the sweeper runs daily, so an expired record may still be stored for a while: every read of
 * the vault goes through here and treats a record at or past its expiry as gone.
 */
import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, seoulDay } from '../../../model/calendar';
import { tables } from '../../../model/resources';
import { awsCall } from '../../adapters/aws-call';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { keyId, kms } from '../../adapters/kms';

/** The partition of a withdrawn member's vault records. */
export const vaultPk = (memberId: string) => `V#${memberId}`;

/** The expiry attributes of a vault record: the TTL instant and the sweeper's day bucket. */
export function vaultExpiry(instant: Date) {
  return { [tables.vault.ttlAttribute]: epochSeconds(instant), expiresOn: seoulDay(instant) };
}

/** Whether a stored vault record is past its period at `now` (TTL may not have removed it yet). */
export function isExpired(item: Record<string, unknown>, now: Date): boolean {
  const expiresAt = item[tables.vault.ttlAttribute];
  return typeof expiresAt !== 'number' || expiresAt <= epochSeconds(now);
}

/** One vault record by key, or undefined when there is none or its period has ended. */
export async function liveVaultItem(
  key: { pk: string; sk: string },
  now: Date,
): Promise<Record<string, unknown> | undefined> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(new GetCommand({ TableName: tableName('vault'), Key: key, ConsistentRead: true })),
  );
  return out.Item && !isExpired(out.Item, now) ? out.Item : undefined;
}

/** A fresh vault data key, bound to the member it seals records of. */
export async function vaultDataKey(memberId: string) {
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateDataKeyCommand({
        KeyId: keyId('vault'),
        KeySpec: 'AES_256',
        EncryptionContext: { memberId, use: 'vault-record' },
      }),
    ),
  );
  if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS returned no data key');
  return { plaintext: out.Plaintext, wrapped: Buffer.from(out.CiphertextBlob).toString('base64') };
}

/** Writes vault records in batches of 25, retrying what DynamoDB leaves unprocessed. */
export async function putVaultItems(items: readonly Record<string, unknown>[]): Promise<void> {
  const table = tableName('vault');
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === 5) throw new Error('Vault writes left unprocessed after retries');
      const out = await awsCall('dynamodb', () =>
        documentClient.send(new BatchWriteCommand({ RequestItems: { [table]: requests } })),
      );
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
