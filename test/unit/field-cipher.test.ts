import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CiphertextRejected, decryptField, encryptField } from '../../lambdas/features/members/cipher';
import { binding } from '../../lambdas/features/members/store';

const key = randomBytes(32);

describe('field cipher', () => {
  it('L13/G15: round-trips a value and never contains the plaintext', () => {
    const sealed = encryptField(key, binding.item('m1', 'email'), 'marker@example.com');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('marker');
    expect(decryptField(key, binding.item('m1', 'email'), sealed)).toBe('marker@example.com');
  });

  it('L13/G15: refuses a ciphertext copied onto another member', () => {
    const sealed = encryptField(key, binding.item('m1', 'email'), 'a@example.com');
    expect(() => decryptField(key, binding.item('m2', 'email'), sealed)).toThrow(CiphertextRejected);
  });

  it('refuses a ciphertext moved to another item or baby', () => {
    const sealed = encryptField(key, binding.baby('m1', 'b1', 'babyNickname'), 'Dubu');
    expect(() => decryptField(key, binding.baby('m1', 'b2', 'babyNickname'), sealed)).toThrow(
      CiphertextRejected,
    );
    expect(() => decryptField(key, binding.item('m1', 'babyNickname'), sealed)).toThrow(CiphertextRejected);
  });

  it('L8/G8/G12: cannot be read under any other key once the data key is gone', () => {
    const sealed = encryptField(key, binding.item('m1', 'userName'), 'Kim');
    expect(() => decryptField(randomBytes(32), binding.item('m1', 'userName'), sealed)).toThrow(
      CiphertextRejected,
    );
  });

  it('detects tampering with the ciphertext', () => {
    const sealed = encryptField(key, binding.item('m1', 'userName'), 'Kim');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptField(key, binding.item('m1', 'userName'), `v1.${raw.toString('base64')}`)).toThrow(
      CiphertextRejected,
    );
  });

  it('uses a fresh IV each time, so equal values do not look equal', () => {
    const b = binding.item('m1', 'userName');
    expect(encryptField(key, b, 'Kim')).not.toBe(encryptField(key, b, 'Kim'));
  });
});
