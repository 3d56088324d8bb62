/**
 * The token a custom system answers a silo request with: an HMAC by KMS of the request and the
 * silo, under a key that never leaves KMS. Nothing is stored: the callback route recomputes it
 * and compares, so the token in a redelivered event is the same one, and no other request's or
 * silo's answer can be forged with it.
 */
import { timingSafeEqual } from 'node:crypto';
import { GenerateMacCommand } from '@aws-sdk/client-kms';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { keyId, kms } from './kms';

/** The callback token of one silo of one request, base64url. */
export async function callbackToken(requestId: string, silo: string): Promise<string> {
  const out = await awsCall('kms', () =>
    kms().send(
      new GenerateMacCommand({
        KeyId: keyId('callbacks'),
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(`silo-answer\u0000${requestId}\u0000${silo}`, 'utf8'),
      }),
    ),
  );
  if (!out.Mac) throw new DependencyFailed('kms', { cause: new Error('KMS returned no MAC') });
  return Buffer.from(out.Mac).toString('base64url');
}

/** Whether `token` is the callback token of `silo` of `requestId` (compared in constant time). */
export async function isCallbackToken(requestId: string, silo: string, token: string): Promise<boolean> {
  const expected = Buffer.from(await callbackToken(requestId, silo));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
