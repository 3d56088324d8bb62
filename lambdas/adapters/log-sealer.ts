/**
 * Sealing short texts of the officer's records (source IPs, reasons, verification references)
 * directly under the logs KMS key, bound to their record by the encryption context. The tables
 * are encrypted at rest as well; this keeps the values unreadable to anyone who can only read
 * items, and a sealed value copied onto another record fails to open.
 */

import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { keyId, kms } from './kms';

/** Encrypts `text` under the logs key; `context` must be given again to open it. */
export async function sealLogField(text: string, context: Readonly<Record<string, string>>): Promise<string> {
  const out = await awsCall('kms', () =>
    kms().send(
      new EncryptCommand({
        KeyId: keyId('logs'),
        Plaintext: Buffer.from(text, 'utf8'),
        EncryptionContext: { ...context },
      }),
    ),
  );
  if (!out.CiphertextBlob)
    throw new DependencyFailed('kms', { cause: new Error('KMS returned no ciphertext') });
  return Buffer.from(out.CiphertextBlob).toString('base64');
}

/** Decrypts a value sealed by {@link sealLogField} with the same context. */
export async function openLogField(
  sealed: string,
  context: Readonly<Record<string, string>>,
): Promise<string> {
  const out = await awsCall('kms', () =>
    kms().send(
      new DecryptCommand({
        KeyId: keyId('logs'),
        CiphertextBlob: Buffer.from(sealed, 'base64'),
        EncryptionContext: { ...context },
      }),
    ),
  );
  if (!out.Plaintext) throw new DependencyFailed('kms', { cause: new Error('KMS returned no plaintext') });
  return Buffer.from(out.Plaintext).toString('utf8');
}
