/**
 * Keyed blind index: members are found by email, ID or Apple member number through an HMAC
 * computed by KMS under a key that never leaves it, so no lookup value is stored in plaintext
 * and the index cannot be reversed or brute-forced offline.
 */

import { GenerateMacCommand } from '@aws-sdk/client-kms';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { keyId, kms } from './kms';

/** Values are normalized first so "A@x.com " and "a@x.com" find the same member. */
export function normalizeLookup(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}

/** The blind index of one item's value, as base64url. */
export async function blindIndex(profile: string, itemId: string, value: string): Promise<string> {
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateMacCommand({
        KeyId: keyId('blindIndex'),
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(`${profile}\u0000${itemId}\u0000${normalizeLookup(value)}`, 'utf8'),
      }),
    ),
  );
  if (!out.Mac) throw new DependencyFailed('kms', { cause: new Error('KMS returned no MAC') });
  return Buffer.from(out.Mac).toString('base64url');
}
