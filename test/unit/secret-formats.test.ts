import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appleKeyProblem, googleSecretProblem } from '../../scripts/secret-formats';

const ec = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).privateKey;

describe('the Apple private key check', () => {
  it('accepts the P-256 PKCS#8 PEM of a .p8 file, with or without a trailing newline', () => {
    const pem = ec('prime256v1').export({ type: 'pkcs8', format: 'pem' }) as string;

    expect(appleKeyProblem(pem)).toBeUndefined();
    expect(appleKeyProblem(pem.trimEnd())).toBeUndefined();
  });

  it.each([
    [
      'a SEC1 EC key',
      ec('prime256v1').export({ type: 'sec1', format: 'pem' }) as string,
      /SEC1 EC key.*openssl pkcs8/,
    ],
    [
      'a P-384 key',
      ec('secp384r1').export({ type: 'pkcs8', format: 'pem' }) as string,
      /ec secp384r1 key, not the P-256/,
    ],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string,
      /rsa key, not the P-256/,
    ],
    [
      'a PEM block of garbage',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      /does not parse/,
    ],
    ['the key id instead of the key', 'KEY1234567', /not a PKCS#8 PEM private key/],
    ['nothing', '', /not a PKCS#8 PEM private key/],
  ])('refuses %s, saying what it is', (_, value, problem) => {
    expect(appleKeyProblem(value)).toMatch(problem);
  });
});

describe('the Google client secret check', () => {
  it('accepts one bare string', () => {
    expect(googleSecretProblem('GOCSPX-abcdefghijklmnopqrstuvwxyz12')).toBeUndefined();
  });

  it.each([
    ['an empty value', '', /is empty/],
    ['a trailing newline', 'GOCSPX-abc\n', /line break/],
    ['a JSON document', '{"client_secret":"GOCSPX-abc"}', /holds JSON/],
  ])('refuses %s', (_, value, problem) => {
    expect(googleSecretProblem(value)).toMatch(problem);
  });
});
