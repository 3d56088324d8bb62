/** The local issuer: Cognito-shaped ID tokens and the checks the Cognito authorizer makes. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiGatewayClaims,
  generateIssuerKey,
  type IssuerKey,
  idTokenClaims,
  LOCAL_AUDIENCE,
  loadOrCreateIssuerKey,
  parseDuration,
  signIdToken,
  TokenRejected,
  verifyIdToken,
} from '../../local/issuer';

const ISSUER = 'http://localhost:3000/local-issuer';
const NOW = new Date('2026-03-01T00:00:00Z');

describe('local issuer', () => {
  let key: IssuerKey;
  let otherKey: IssuerKey;

  beforeAll(async () => {
    key = await generateIssuerKey();
    otherKey = await generateIssuerKey();
  });

  describe('idTokenClaims', () => {
    it('shapes a Cognito ID token: subject, issuer, audience, token_use, times', () => {
      const claims = idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE, { now: NOW, expiresInSeconds: 600 });

      expect(claims).toMatchObject({
        sub: 'alice',
        iss: ISSUER,
        aud: LOCAL_AUDIENCE,
        token_use: 'id',
        auth_time: NOW.getTime() / 1000,
        iat: NOW.getTime() / 1000,
        exp: NOW.getTime() / 1000 + 600,
      });
      expect(claims).not.toHaveProperty('identities');
      expect(claims).not.toHaveProperty('cognito:groups');
    });

    it.each([
      ['google', 'Google'],
      ['apple', 'SignInWithApple'],
    ] as const)('names the %s identity provider as Cognito does', (method, providerName) => {
      const claims = idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE, { method });

      expect(claims.identities).toEqual([expect.objectContaining({ providerName, userId: 'alice' })]);
    });

    it('L2: gives a federated identity the user id its Cognito username names, as the Apple member number', () => {
      const claims = idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE, {
        method: 'apple',
        username: 'signinwithapple_000123.abc',
      });

      expect(claims['cognito:username']).toBe('signinwithapple_000123.abc');
      expect(claims.identities).toEqual([expect.objectContaining({ userId: '000123.abc' })]);
    });

    it('lists groups when given', () => {
      const claims = idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE, { groups: ['privacy-officer'] });

      expect(claims['cognito:groups']).toEqual(['privacy-officer']);
    });
  });

  describe('verifyIdToken', () => {
    it('returns the claims of a token it signed', async () => {
      const token = await signIdToken(key, ISSUER, 'alice', { groups: ['privacy-officer'] });

      const payload = await verifyIdToken(token, { key, issuer: ISSUER });

      expect(payload).toMatchObject({ sub: 'alice', 'cognito:groups': ['privacy-officer'] });
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: key.kid });
    });

    it.each([
      ['a bad signature', async () => signIdToken(otherKey, ISSUER, 'alice')],
      ['an expired token', async () => signIdToken(key, ISSUER, 'alice', { expiresInSeconds: -1 })],
      ['another issuer', async () => signIdToken(key, 'https://cognito-idp.example/pool', 'alice')],
      ['another audience', async () => signIdToken(key, ISSUER, 'alice', { audience: 'other-client' })],
      [
        'an access token',
        async () =>
          new SignJWT({ ...idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE), token_use: 'access' })
            .setProtectedHeader({ alg: 'RS256', kid: key.kid })
            .sign(key.privateKey),
      ],
      [
        'an unsigned token',
        async () => {
          const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
          return `${encode({ alg: 'none' })}.${encode(idTokenClaims('alice', ISSUER, LOCAL_AUDIENCE))}.`;
        },
      ],
      ['garbage', async () => 'not-a-jwt'],
    ])('refuses %s', async (_, makeToken) => {
      const token = await makeToken();

      await expect(verifyIdToken(token, { key, issuer: ISSUER })).rejects.toBeInstanceOf(TokenRejected);
    });

    it('says a token is expired by its clock, not the wall clock', async () => {
      const token = await signIdToken(key, ISSUER, 'alice', { now: NOW, expiresInSeconds: 60 });

      await expect(
        verifyIdToken(token, { key, issuer: ISSUER, now: new Date(NOW.getTime() + 30_000) }),
      ).resolves.toMatchObject({ sub: 'alice' });
      await expect(
        verifyIdToken(token, { key, issuer: ISSUER, now: new Date(NOW.getTime() + 61_000) }),
      ).rejects.toThrow('expired');
    });
  });

  describe('apiGatewayClaims', () => {
    it('turns every claim into a string, as a REST API Cognito authorizer does', async () => {
      const token = await signIdToken(key, ISSUER, 'alice', {
        now: NOW,
        method: 'google',
        groups: ['privacy-officer', 'auditor'],
      });

      const claims = apiGatewayClaims(decodeJwt(token));

      expect(claims).toMatchObject({
        sub: 'alice',
        token_use: 'id',
        auth_time: String(NOW.getTime() / 1000),
        iat: 'Sun Mar 01 00:00:00 UTC 2026',
        exp: 'Sun Mar 01 01:00:00 UTC 2026',
        'cognito:groups': 'privacy-officer,auditor',
      });
      expect(JSON.parse(claims.identities!)).toMatchObject({ providerName: 'Google', userId: 'alice' });
      for (const value of Object.values(claims)) expect(typeof value).toBe('string');
    });
  });

  describe('loadOrCreateIssuerKey', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'issuer-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('creates a key readable by its owner only, and reads the same key back', async () => {
      const path = join(dir, 'key.json');

      const created = await loadOrCreateIssuerKey(path);
      const read = await loadOrCreateIssuerKey(path);
      const token = await signIdToken(created, ISSUER, 'alice');

      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(read.kid).toBe(created.kid);
      expect(read.publicJwk).not.toHaveProperty('d');
      await expect(verifyIdToken(token, { key: read, issuer: ISSUER })).resolves.toMatchObject({
        sub: 'alice',
      });
    });
  });

  describe('parseDuration', () => {
    it.each([
      ['45s', 45],
      ['15m', 900],
      ['1h', 3600],
      ['2d', 172_800],
      ['-1h', -3600],
    ])('reads %s as %i seconds', (text, seconds) => {
      expect(parseDuration(text)).toBe(seconds);
    });

    it.each(['', '1', 'h', '1w', '1.5h'])('refuses %j', (text) => {
      expect(parseDuration(text)).toBeUndefined();
    });
  });
});
