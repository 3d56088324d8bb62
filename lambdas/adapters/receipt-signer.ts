/**
 * Signing deletion receipts with an asymmetric KMS key, so a member can prove the receipt later
 * and anyone can check it (POST /v1/receipts/verify). The signed bytes are the receipt's
 * canonical JSON (RFC 8785), so field order never matters.
 */

import { SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import canonicalize from 'canonicalize';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { keyId, kms } from './kms';

const ALGORITHM = 'ECDSA_SHA_256';

function bytesOf(document: Record<string, unknown>): Buffer {
  return Buffer.from(canonicalize(document) ?? '', 'utf8');
}

/** The base64 signature of a document. */
export async function sign(document: Record<string, unknown>): Promise<string> {
  const out = await awsCall('kms', () =>
    kms().send(
      new SignCommand({
        KeyId: keyId('receipts'),
        Message: bytesOf(document),
        MessageType: 'RAW',
        SigningAlgorithm: ALGORITHM,
      }),
    ),
  );
  if (!out.Signature) throw new DependencyFailed('kms', { cause: new Error('KMS returned no signature') });
  return Buffer.from(out.Signature).toString('base64');
}

/** Whether `signature` is this service's signature of exactly `document`. */
export async function verify(document: Record<string, unknown>, signature: string): Promise<boolean> {
  const raw = Buffer.from(signature, 'base64');
  if (raw.length === 0) return false;
  try {
    const out = await awsCall(
      'kms',
      () =>
        kms().send(
          new VerifyCommand({
            KeyId: keyId('receipts'),
            Message: bytesOf(document),
            MessageType: 'RAW',
            Signature: raw,
            SigningAlgorithm: ALGORITHM,
          }),
        ),
      ['KMSInvalidSignatureException'],
    );
    return out.SignatureValid === true;
  } catch (error) {
    if ((error as Error).name === 'KMSInvalidSignatureException') return false;
    throw error;
  }
}
