/**
 * The authorization matrix (OWASP API1, API2, API5), enumerated from the route table itself: a
 * route without an entry below fails the suite. For every route, forged and broken tokens are
 * refused before any handler runs, a member's token never opens an officer route, and member A's
 * token never reaches anything of member B — checked against every response body and header and
 * against the calls the handlers made to the emulator.
 */
import { randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idTokenClaims, signIdToken } from '../../local/issuer';
import type { Access, Route } from '../../model/routes/route';
import { routes, routesOf } from '../../model/routes/table';
import { loadCatalogue } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';
import { type ApiResponse, call } from './member-api';

/** What a profile's members send, so the suite can make members A and B. */
export interface MatrixFixture {
  readonly token: { method: 'google' | 'apple' | 'password' };
  /** A join body whose every personal value contains `marker`. */
  join(marker: string): Record<string, unknown>;
  /** A PATCH /v1/me body that starts a pending correction, its values containing `marker`. */
  correction(marker: string): Record<string, unknown>;
}

/** A route's row of the matrix: who may call it, and what a call needs. */
interface MatrixEntry {
  readonly access: Access;
  /** A body that is valid for the caller, so a refusal is about who calls, not what is sent. */
  readonly body?: (f: MatrixFixture, b: Victim) => unknown;
  /**
   * What member A gets when aiming the route at B's resources (B's ids in the path). Routes
   * without path parameters act on A's own data, whatever A sends. Officer routes admit no
   * member at all.
   */
  readonly cross: readonly number[];
}

/** Member B, whose data the attacks aim at. */
interface Victim {
  readonly sub: string;
  readonly marker: string;
  readonly babyId?: string;
  readonly correctionId: string;
}

const MATRIX: Readonly<Record<string, MatrixEntry>> = {
  'get-policy': { access: 'public', cross: [200] },
  'get-openapi': { access: 'public', cross: [200] },
  'post-members': { access: 'member', body: (f) => f.join(`A${randomUUID()}`), cross: [201, 409] },
  'get-me': { access: 'member', cross: [200] },
  'patch-me': { access: 'member', body: (f) => f.correction('a-side'), cross: [200] },
  'confirm-correction': { access: 'member', body: () => ({ code: '123456' }), cross: [404] },
  'post-baby': {
    access: 'member',
    body: () => ({ items: { babyNickname: 'A-baby', babyGender: 'female' } }),
    cross: [201],
  },
  'patch-baby': { access: 'member', body: () => ({ items: { babyNickname: 'renamed' } }), cross: [404] },
  'delete-baby': { access: 'member', cross: [404] },
  'post-purchase': {
    access: 'member',
    body: () => ({ product: 'Diapers', amount: 12_000, currency: 'KRW' }),
    cross: [201],
  },
  'get-export': { access: 'member', cross: [200] },
  'get-consents': { access: 'member', cross: [200] },
  'put-consent': { access: 'member', body: () => ({ granted: false }), cross: [200] },
  'put-provision-consent': { access: 'member', body: () => ({ granted: false }), cross: [200, 404] },
  'put-restriction': { access: 'member', body: () => ({ scope: 'all', reason: 'A objects' }), cross: [200] },
  'delete-restriction': { access: 'member', cross: [200, 404, 409] },
  'delete-me': { access: 'member', cross: [200] },
  // Photo keys derive from the caller's own id: A signs A's upload (or lacks the consent), and
  // finds no photo of B's baby, nor any of its own.
  'post-photo': {
    access: 'member',
    body: () => ({ mediaType: 'image/png', bytes: 1024 }),
    cross: [200, 422],
  },
  'get-photo': { access: 'member', cross: [404] },
  'post-baby-photo': {
    access: 'member',
    body: () => ({ mediaType: 'image/png', bytes: 1024 }),
    cross: [404],
  },
  'get-baby-photo': { access: 'member', cross: [404] },
  'post-request': { access: 'officer', cross: [] },
  'get-requests': { access: 'officer', cross: [] },
  'post-request-verification': { access: 'officer', cross: [] },
  'post-request-extension': { access: 'officer', cross: [] },
  'post-request-action': { access: 'officer', cross: [] },
  'get-admin-member': { access: 'officer', cross: [] },
  'post-member-terminate': { access: 'officer', cross: [] },
  'post-member-suspend': { access: 'officer', cross: [] },
  'post-member-reinstate': { access: 'officer', cross: [] },
  'post-provision': { access: 'officer', cross: [] },
  'get-provisions': { access: 'officer', cross: [] },
  'get-access-records': { access: 'officer', cross: [] },
  'get-access-reviews': { access: 'officer', cross: [] },
  'get-access-review': { access: 'officer', cross: [] },
  'post-access-review-sign-off': {
    access: 'officer',
    body: () => ({ note: 'reviewed', reason: 'monthly review' }),
    cross: [],
  },
  'post-policy-version': {
    access: 'officer',
    body: () => ({ catalogue: { profile: 'p' }, effectiveDate: '2030-01-01', summary: 'A change.' }),
    cross: [],
  },
  'get-policy-versions': { access: 'officer', cross: [] },
  'get-records-of-processing': { access: 'officer', cross: [] },
  'post-breach': {
    access: 'officer',
    body: () => ({
      reason: 'A breach.',
      discoveredAt: '2026-01-01T00:00:00Z',
      items: ['email'],
      cause: { outsideAttack: false, description: { ko: '유출', en: 'A leak' } },
      measures: { ko: '조치', en: 'Measures' },
      affected: { kind: 'all' },
    }),
    cross: [],
  },
  'get-breaches': { access: 'officer', cross: [] },
  'get-breach': { access: 'officer', cross: [] },
  'post-breach-action': {
    access: 'officer',
    body: () => ({ action: 'close', reason: 'Closed.' }),
    cross: [],
  },
  'verify-receipt': {
    access: 'public',
    body: () => ({ receipt: { receiptId: 'none' }, signature: 'AAAA', algorithm: 'ECDSA_SHA_256' }),
    cross: [200],
  },
  // Authenticated by the event's token, not a sign-in: a caller without it is refused.
  'post-silo-answer': {
    access: 'public',
    body: () => ({ token: 'A'.repeat(43), outcome: 'erased' }),
    cross: [403],
  },
};

/** The route's path with B's ids in it. */
function pathFor(route: Route, b: Victim): string {
  const values: Record<string, string | undefined> = {
    babyId: b.babyId ?? randomUUID(),
    correctionId: b.correctionId,
    purpose: 'statistics',
    memberId: b.sub,
    requestId: randomUUID(),
    silo: 'billing',
    month: '2026-10',
    breachId: randomUUID(),
  };
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`the matrix has no value for path parameter ${name} of ${route.id}`);
    return encodeURIComponent(value);
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens API Gateway's Cognito authorizer refuses, each named by its attack. */
async function forgedTokens(stack: TestStack, sub: string): Promise<Record<string, string | undefined>> {
  const issuer = stack.stack.front.issuer;
  const claims = idTokenClaims(sub, issuer, 'local-app-client');
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const publicPem = await exportSPKI(stack.issuerKey.publicKey);
  return {
    'no token': undefined,
    expired: await stack.token(sub, { expiresInSeconds: -60 }),
    'wrong issuer': await signIdToken(stack.issuerKey, 'https://issuer.example.com/pool', sub),
    'wrong audience': await signIdToken(stack.issuerKey, issuer, sub, { audience: 'another-app-client' }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    'HS256 keyed with the public key': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: stack.issuerKey.kid, typ: 'JWT' })
      .sign(new TextEncoder().encode(publicPem)),
    'unknown kid': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: randomUUID(), typ: 'JWT' })
      .sign(stack.issuerKey.privateKey),
    'foreign key, known kid': await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: stack.issuerKey.kid, typ: 'JWT' })
      .sign(foreign.privateKey),
    'access token': await new SignJWT({ ...claims, token_use: 'access' })
      .setProtectedHeader({ alg: 'RS256', kid: stack.issuerKey.kid, typ: 'JWT' })
      .sign(stack.issuerKey.privateKey),
    garbage: 'not.a.token',
  };
}

/** Sends `route` with a raw authorization value (or none). */
async function send(stack: TestStack, route: Route, b: Victim, f: MatrixFixture, token: string | undefined) {
  const body = MATRIX[route.id]?.body?.(f, b);
  const response = await fetch(`${stack.baseUrl}${pathFor(route, b)}`, {
    method: route.method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: [...response.headers].join('\n'), text: await response.text() };
}

/** Declares the authorization matrix for `profile`. */
export function describeAuthorizationMatrix(profile: string, fixture: MatrixFixture): void {
  const catalogue = loadCatalogue(profile);
  const served = routesOf(catalogue);
  let stack: TestStack;
  let b: Victim;
  let viewOfB: string;
  /** Attacks sent, by kind, for the figures printed at the end (every one was refused). */
  const figures = new Map<string, number>();
  const tried = (kind: string, n = 1) => figures.set(kind, (figures.get(kind) ?? 0) + n);

  const asB = (method: string, path: string, body?: unknown): Promise<ApiResponse> =>
    call(stack, method, path, { sub: b.sub, token: fixture.token, ...(body === undefined ? {} : { body }) });

  /** B's view, less the access history that B's own calls extend. */
  const viewWithoutHistory = async () => {
    const { accessHistory: _, ...rest } = (await asB('GET', '/v1/me')).json;
    return JSON.stringify(rest);
  };

  beforeAll(async () => {
    stack = await startTestStack(profile, { faults: true });
    const marker = `VictimMarker${profile}`;
    const sub = `victim-${profile}`;
    b = { sub, marker, correctionId: '' };
    expect((await asB('POST', '/v1/members', fixture.join(marker))).status).toBe(201);
    const pending = await asB('PATCH', '/v1/me', fixture.correction(`${marker}-new`));
    const correctionId = pending.json.pending[0].correctionId as string;
    let babyId: string | undefined;
    if (served.some((r) => r.id === 'post-baby')) {
      const baby = await asB('POST', '/v1/me/babies', {
        items: { babyNickname: `${marker}Baby`, babyGender: 'male' },
      });
      babyId = baby.json.babyId;
    }
    b = { ...b, correctionId, ...(babyId ? { babyId } : {}) };
    viewOfB = await viewWithoutHistory();
  });
  afterAll(async () => {
    await stack?.stop();
    const total = [...figures.values()].reduce((a, n) => a + n, 0);
    const kinds = [...figures].map(([kind, n]) => `${kind}=${n}`).join(' ');
    process.stdout.write(
      `authorization (${profile}): ${served.length} routes, ${total} attacks (${kinds}); every one refused, no data-layer call, no marker in any answer\n`,
    );
  });

  it('has a matrix entry, with the same access level, for every route of the table', () => {
    const missing = (routes as readonly Route[]).filter((r) => !MATRIX[r.id]).map((r) => r.id);
    expect(missing, 'routes without a matrix entry').toEqual([]);
    for (const route of routes as readonly Route[])
      expect(MATRIX[route.id]?.access, route.id).toBe(route.access);
  });

  describe.each(
    served.filter((r) => r.access !== 'public').map((r) => [r.id, r] as const),
  )('%s', (_, route) => {
    it('API2: refuses every forged, broken or missing token with 401 before any handler runs', async () => {
      const attacks = await forgedTokens(stack, b.sub);
      for (const [attack, token] of Object.entries(attacks)) {
        stack.faults!.reset();
        const res = await send(stack, route, b, fixture, token);
        tried(attack);
        expect(res.status, attack).toBe(401);
        expect(stack.faults!.calls, attack).toEqual([]);
        expect(res.text + res.headers, attack).not.toContain(b.marker);
      }
    });

    if (route.access === 'officer') {
      it('API5: refuses a member token with 403 and touches no data', async () => {
        const token = await stack.token(b.sub, fixture.token);
        await send(stack, route, b, fixture, token); // the first use of a token records the sign-in
        stack.faults!.reset();
        const res = await send(stack, route, b, fixture, token);
        tried('member token on officer route');
        expect(res.status).toBe(403);
        expect(stack.faults!.calls).toEqual([]);
        expect(res.text).not.toContain(b.marker);
      });
    }

    if (route.access === 'member') {
      it("API1: member A's token, aimed at B's resources, reaches nothing of B's", async () => {
        const a = `attacker-${randomUUID()}`;
        const joined = await call(stack, 'POST', '/v1/members', {
          sub: a,
          token: fixture.token,
          body: fixture.join(`A${randomUUID()}`),
        });
        expect(joined.status).toBe(201);
        const res = await send(stack, route, b, fixture, await stack.token(a, fixture.token));
        tried("A's token on B's resources");
        expect(MATRIX[route.id]!.cross, `${route.id} answered ${res.status}`).toContain(res.status);
        expect(res.text + res.headers).not.toContain(b.marker);
        expect(res.text).not.toContain(b.sub);
        expect(await viewWithoutHistory()).toBe(viewOfB);
      });
    }
  });

  describe.each(
    served.filter((r) => r.access === 'public').map((r) => [r.id, r] as const),
  )('%s', (_, route) => {
    it('API2: answers the same with any token or none, and shows nothing of a member', async () => {
      const attacks = await forgedTokens(stack, b.sub);
      const plain = await send(stack, route, b, fixture, undefined);
      expect(MATRIX[route.id]!.cross).toContain(plain.status);
      for (const [attack, token] of Object.entries(attacks)) {
        const res = await send(stack, route, b, fixture, token);
        tried(`${attack} (public route)`);
        expect(res.status, attack).toBe(plain.status);
        expect(res.text + res.headers, attack).not.toContain(b.marker);
      }
    });
  });
}
