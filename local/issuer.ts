/**
 * The local stand-in for the Cognito user pool: an RS256 key that signs ID tokens shaped like
 * Cognito's, and the verification API Gateway's Cognito authorizer performs before a handler
 * runs (signature, issuer, audience, expiry, token_use), ending in the claims as API Gateway
 * hands them to Lambda: every value a string.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type CryptoKey,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { SignInMethod } from '../policy/schema';

const ALG = 'RS256';
/** The app client id the local tokens are issued to, as Cognito sets `aud` on ID tokens. */
export const LOCAL_AUDIENCE = 'local-app-client';

/** The issuer URL of the local stack served at `baseUrl`. */
export function issuerUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/$/, '')}/local-issuer`;
}

/** A signing key and its public half, with the key id tokens carry in their header. */
export interface IssuerKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A fresh RS256 key pair. */
export async function generateIssuerKey(): Promise<IssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
  };
}

/** Reads the private JWK at `path`. */
export async function readIssuerKey(path: string): Promise<IssuerKey> {
  const jwk = JSON.parse(await readFile(path, 'utf8')) as JWK & { kid: string };
  const privateKey = (await importJWK(jwk, ALG)) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
  const publicJwk: JWK = { ...publicPart, alg: ALG, use: 'sig' };
  const publicKey = (await importJWK(publicJwk, ALG)) as CryptoKey;
  return { kid: jwk.kid, privateKey, publicKey, publicJwk };
}

/** The key at `path`, created (readable by the owner only) when there is none. */
export async function loadOrCreateIssuerKey(path: string): Promise<IssuerKey> {
  try {
    return await readIssuerKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await generateIssuerKey();
  await mkdir(dirname(path), { recursive: true });
  const privateJwk = { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: ALG };
  await writeFile(path, JSON.stringify(privateJwk), { mode: 0o600 });
  await chmod(path, 0o600);
  return key;
}

/** How a member signed in, as the token tells it. */
export interface TokenOptions {
  readonly groups?: readonly string[];
  readonly method?: SignInMethod;
  /** Seconds until expiry; negative for an already expired token. Default one hour. */
  readonly expiresInSeconds?: number;
  /** The clock, for tests. */
  readonly now?: Date;
  /** The account's username in the user pool; by default derived from the method and `sub`. */
  readonly username?: string;
  /**
   * When the member signed in (`auth_time`), if not when the token is issued: a token of a session
   * that began earlier, as Cognito's refreshed tokens are, or at a time a tester chose.
   */
  readonly authTime?: Date;
}

const PROVIDERS: Record<Exclude<SignInMethod, 'password'>, string> = {
  google: 'Google',
  apple: 'SignInWithApple',
};

/** The payload of a Cognito ID token for `sub`. */
export function idTokenClaims(sub: string, issuer: string, audience: string, options: TokenOptions = {}) {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const method = options.method ?? 'password';
  const provider = method === 'password' ? undefined : PROVIDERS[method];
  const username = options.username ?? (provider ? `${provider.toLowerCase()}_${sub}` : sub);
  // Cognito names a federated account <provider>_<the provider's user id>, which the identity
  // carries as its userId (for Apple, the Apple member number).
  const prefix = provider ? `${provider.toLowerCase()}_` : '';
  const providerUserId =
    provider && username.toLowerCase().startsWith(prefix) ? username.slice(prefix.length) : sub;
  const claims: JWTPayload & Record<string, unknown> = {
    sub,
    iss: issuer,
    aud: audience,
    token_use: 'id',
    auth_time: options.authTime ? Math.floor(options.authTime.getTime() / 1000) : now,
    iat: now,
    exp: now + (options.expiresInSeconds ?? 3600),
    jti: randomUUID(),
    'cognito:username': username,
  };
  if (options.groups && options.groups.length > 0) claims['cognito:groups'] = [...options.groups];
  if (provider) {
    claims.identities = [
      {
        userId: providerUserId,
        providerName: provider,
        providerType: provider,
        issuer: null,
        primary: 'true',
        dateCreated: String(now * 1000),
      },
    ];
  }
  return claims;
}

/** Signs an ID token for `sub` with the local issuer's key. */
export function signIdToken(
  key: IssuerKey,
  issuer: string,
  sub: string,
  options: TokenOptions & { audience?: string } = {},
): Promise<string> {
  const claims = idTokenClaims(sub, issuer, options.audience ?? LOCAL_AUDIENCE, options);
  return new SignJWT(claims).setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
}

/** Why a token was refused; only for the local log, never for the client. */
export class TokenRejected extends Error {
  override name = 'TokenRejected';
}

/** The verified payload of a Cognito-style ID token, or {@link TokenRejected}. */
export async function verifyIdToken(
  token: string,
  expected: { key: IssuerKey; issuer: string; audience?: string; now?: Date },
): Promise<JWTPayload> {
  try {
    // Cognito picks the verifying key from its JWKS by `kid`: a token naming another key fails.
    const keyFor = (header: { kid?: string }) => {
      if (header.kid !== expected.key.kid) throw new TokenRejected('unknown kid');
      return expected.key.publicKey;
    };
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [ALG],
      issuer: expected.issuer,
      audience: expected.audience ?? LOCAL_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
      ...(expected.now ? { currentDate: expected.now } : {}),
    });
    // The authorizer takes ID tokens; access tokens only with OAuth scopes, which no route sets.
    if (payload.token_use !== 'id') throw new TokenRejected('not an ID token');
    return payload;
  } catch (error) {
    if (error instanceof TokenRejected) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenRejected('expired');
    if (error instanceof errors.JOSEError) throw new TokenRejected(error.code);
    throw new TokenRejected('unreadable');
  }
}

/** Built once, not for each request the local API serves: a formatter is slow to build. */
const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });

/** A JWT NumericDate as API Gateway renders `exp` and `iat`: "Fri Nov 21 12:00:00 UTC 2026". */
function javaDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const day = WEEKDAY.format(d);
  const month = MONTH.format(d);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day} ${month} ${pad(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * The claims as a REST API's Cognito authorizer passes them in
 * `requestContext.authorizer.claims`: all strings; `exp`/`iat` as dates, `auth_time` as digits,
 * `cognito:groups` comma-joined, `identities` as a JSON string.
 */
export function apiGatewayClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else if (name === 'cognito:groups' && Array.isArray(value)) claims[name] = value.map(String).join(',');
    else if (name === 'identities' && Array.isArray(value)) claims[name] = JSON.stringify(value[0] ?? {});
    else if (typeof value === 'string') claims[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') claims[name] = String(value);
    else claims[name] = JSON.stringify(value);
  }
  return claims;
}

/** Parses "1h", "30m", "45s", "2d" or "-1h" into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(-?\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
