/**
 * Field-level AES-256-GCM under a data key (L13/G15). The additional authenticated data binds
 * each ciphertext to its owner and field, so a ciphertext copied onto another member, baby or
 * item fails to decrypt instead of leaking. Node's crypto does the AES; keys come from KMS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a ciphertext is bound to: e.g. `member/<id>/email` or `member/<id>/baby/<babyId>/babyNickname`. */
export type FieldBinding = string;

/** A ciphertext that does not decrypt under its key and binding: tampered, moved or shredded. */
export class CiphertextRejected extends Error {
  override name = 'CiphertextRejected';
}

/** Encrypts a UTF-8 value; the result is `v1.<base64 of iv | tag | ciphertext>`. */
export function encryptField(key: Uint8Array, binding: FieldBinding, plaintext: string): string {
  if (key.length !== 32) throw new Error('Data keys are 256-bit');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** Decrypts what {@link encryptField} produced with the same key and binding. */
export function decryptField(key: Uint8Array, binding: FieldBinding, sealed: string): string {
  const [version, payload] = sealed.split('.', 2);
  if (version !== VERSION || !payload) throw new CiphertextRejected('Unknown ciphertext format');
  const raw = Buffer.from(payload, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new CiphertextRejected('Truncated ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(binding, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch (cause) {
    throw new CiphertextRejected('Ciphertext does not match its key and binding', { cause });
  }
}
