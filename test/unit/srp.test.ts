/**
 * The SRP client against the server's side of the protocol, computed here from the verifier
 * (S = (A·v^u)^b, not the client's (B − k·g^x)^(a+u·x)): the two agree only when the client's
 * arithmetic is right. A vector from pycognito, an implementation used against Cognito, pins the
 * encodings (padding, hashing, timestamp, message layout).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  claimSignature,
  derivedKey,
  GROUP,
  hashHex,
  K_MULTIPLIER,
  modPow,
  padHex,
  passwordExponent,
  srpClient,
  srpTimestamp,
} from '../../scripts/srp';

const { N, g } = GROUP;
const POOL = 'ap-northeast-2_AbCdEf123';
const POOL_NAME = 'AbCdEf123';
const USER = '7932e4fb-8f90-4d99-82fc-e3b62f19569a';
const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

/** The server's side: a verifier for `password`, a challenge, and the signature it expects. */
function server(password: string) {
  const salt = random(16);
  const v = modPow(g, passwordExponent(POOL_NAME, USER, password, salt), N);
  const b = random(32);
  const B = (K_MULTIPLIER * v + modPow(g, b, N)) % N;
  const secretBlock = randomBytes(64).toString('base64');
  return {
    challenge: {
      SALT: salt.toString(16),
      SRP_B: B.toString(16),
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: USER,
    },
    expected(srpA: string, timestamp: string) {
      const A = BigInt(`0x${srpA}`);
      const u = hashHex(`${padHex(A)}${padHex(B)}`);
      const S = modPow(A * modPow(v, u, N), b, N);
      return claimSignature(derivedKey(S, u), POOL_NAME, USER, secretBlock, timestamp);
    },
  };
}

describe('the SRP client', () => {
  it('proves the password: its signature is the one the server computes from the verifier', () => {
    const side = server('correct horse battery staple');
    const client = srpClient(POOL);
    const answer = client.answer(side.challenge, 'correct horse battery staple');

    expect(answer.USERNAME).toBe(USER);
    expect(answer.PASSWORD_CLAIM_SECRET_BLOCK).toBe(side.challenge.SECRET_BLOCK);
    expect(answer.PASSWORD_CLAIM_SIGNATURE).toBe(side.expected(client.srpA, answer.TIMESTAMP));
  });

  it('cannot prove a wrong password', () => {
    const side = server('correct horse battery staple');
    const client = srpClient(POOL);
    const answer = client.answer(side.challenge, 'Correct horse battery staple');

    expect(answer.PASSWORD_CLAIM_SIGNATURE).not.toBe(side.expected(client.srpA, answer.TIMESTAMP));
  });

  it('refuses a B that is a multiple of N', () => {
    const client = srpClient(POOL);
    expect(() =>
      client.answer({ SALT: 'ab', SRP_B: N.toString(16), SECRET_BLOCK: '', USER_ID_FOR_SRP: USER }, 'x'),
    ).toThrow(/invalid SRP_B/);
  });

  it('gives the signature another implementation gives for the same inputs', () => {
    // Computed with pycognito 2024.5.1 (AWSSRP.process_challenge), a = 0x1f1f…1f (128 bytes),
    // B = 2^(0xabab…ab, 32 bytes) mod N, at Tue Nov 3 09:05:07 UTC 2026.
    const client = srpClient(POOL, BigInt(`0x${'1f'.repeat(128)}`));
    const answer = client.answer(
      {
        SALT: 'c0ffee'.repeat(5),
        SRP_B: modPow(g, BigInt(`0x${'ab'.repeat(32)}`), N).toString(16),
        SECRET_BLOCK: Buffer.from(Array.from({ length: 64 }, (_, i) => i)).toString('base64'),
        USER_ID_FOR_SRP: 'smoke-1',
        USERNAME: 'smoke-1',
      },
      'Smoke-test-passw0rd!',
      new Date('2026-11-03T09:05:07Z'),
    );

    expect(client.srpA.slice(0, 32)).toBe('3714ef8f70efe61f13883ff4e72a7880');
    expect(answer).toEqual({
      USERNAME: 'smoke-1',
      PASSWORD_CLAIM_SECRET_BLOCK:
        'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==',
      TIMESTAMP: 'Tue Nov 3 09:05:07 UTC 2026',
      PASSWORD_CLAIM_SIGNATURE: 'IWC8mDOLLzM7n4TSYwLque1e99ZIT5ZojeCD+oKMtQU=',
    });
  });

  it('answers with the username named and proves over the SRP user id', () => {
    const side = server('pw');
    const client = srpClient(POOL);
    const answer = client.answer({ ...side.challenge, USERNAME: 'dpo@example.org' }, 'pw');

    expect(answer.USERNAME).toBe('dpo@example.org');
    expect(answer.PASSWORD_CLAIM_SIGNATURE).toBe(side.expected(client.srpA, answer.TIMESTAMP));
  });

  it('writes the timestamp as Cognito reads it: day unpadded, time padded, UTC', () => {
    expect(srpTimestamp(new Date('2026-11-03T09:05:07Z'))).toBe('Tue Nov 3 09:05:07 UTC 2026');
    expect(srpTimestamp(new Date('2026-12-25T23:59:00Z'))).toBe('Fri Dec 25 23:59:00 UTC 2026');
  });

  it('pads hex to whole bytes, with a zero byte before a high bit', () => {
    expect(padHex(0xabcn)).toBe('0abc');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x80n)).toBe('0080');
  });
});
