/**
 * Bad input (OWASP API3, API4), property-based: for every operation that takes a body or a
 * query, fast-check generates hostile requests from the same schemas the handler validates with
 * (extra fields for mass assignment, missing fields, wrong types, huge strings and arrays, deep
 * nesting, invalid JSON, wrong content types). Each must get a 4xx, none a 5xx, and the
 * emulator's tables must be exactly as before. Generated valid bodies must pass validation.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { draft4Of } from '../../lib/json-schema';
import { OFFICER_GROUP, type Route } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import { loadCatalogue } from '../../policy/catalogue';
import { hostileBody, type RawBody, type Schema, validValue } from '../support/arbitraries';
import type { MatrixFixture } from './authorization.suite';
import { startTestStack, type TestStack } from './harness';
import { call, scanTables } from './member-api';

/** Every table but the access log, which records refused calls too (G3). */
function dataTables(stack: TestStack) {
  return scanTables(stack, ['accessLog']);
}

/** Cases per operation; `npm run test:deep` raises it. */
export const RUNS = Number(process.env.PBT_RUNS ?? 100);
const VALID_RUNS = Math.max(25, Math.floor(RUNS / 4));

/** Problems the request validation reports (the domain's own 400s read differently). */
const SCHEMA_PROBLEM = /^(unknown field|required|must be .*|invalid)$/;

function isValid(schema: z.ZodMiniType, body: RawBody): boolean {
  if (body.contentType !== 'application/json') return false;
  try {
    return schema.safeParse(JSON.parse(body.text)).success;
  } catch {
    return false;
  }
}

/** Declares the property-based bad-input tests for `profile`. */
export function describeBadInput(profile: string, fixture: MatrixFixture): void {
  const catalogue = loadCatalogue(profile);
  const served = routesOf(catalogue);
  let stack: TestStack;
  const member = `pbt-${profile}`;
  /** Requests sent, by operation, for the figures printed at the end. */
  const figures = { hostile: new Map<string, number>(), valid: new Map<string, number>(), queries: 0 };
  const count = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
  const params: Record<string, string> = {
    purpose: 'statistics',
    requestId: 'no-such-request',
    silo: 'no-such-silo',
    breachId: 'no-such-breach',
  };

  beforeAll(async () => {
    stack = await startTestStack(profile);
    const as = (method: string, path: string, body?: unknown) =>
      call(stack, method, path, {
        sub: member,
        token: fixture.token,
        ...(body === undefined ? {} : { body }),
      });
    expect((await as('POST', '/v1/members', fixture.join('PbtMember'))).status).toBe(201);
    params.memberId = member;
    params.correctionId = (
      await as('PATCH', '/v1/me', fixture.correction('pbt-new'))
    ).json.pending[0].correctionId;
    if (served.some((r) => r.id === 'post-baby')) {
      params.babyId = (
        await as('POST', '/v1/me/babies', { items: { babyNickname: 'Pbt', babyGender: 'male' } })
      ).json.babyId;
    }
  });
  afterAll(async () => {
    await stack?.stop();
    const per = (map: Map<string, number>) => [...map.values()];
    const hostile = per(figures.hostile);
    process.stdout.write(
      `bad input (${profile}): ${hostile.length} operations, ${Math.min(...hostile)}–${Math.max(...hostile)} hostile bodies each (${hostile.reduce((a, n) => a + n, 0)} in all), ${per(figures.valid).reduce((a, n) => a + n, 0)} valid bodies, ${figures.queries} hostile queries; 0 answered 5xx, nothing written\n`,
    );
  });

  /** An officer's token for officer routes, the member's for the others. */
  const tokenFor = (route: Route, sub: string) =>
    route.access === 'officer'
      ? stack.token('pbt-officer', { groups: [OFFICER_GROUP] })
      : stack.token(sub, fixture.token);

  /** A request to `route` as the member (or, for join, as someone not yet a member). */
  async function send(route: Route, body: RawBody | undefined, query = '') {
    const sub = route.id === 'post-members' ? `pbt-joiner-${profile}` : member;
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => params[name]!);
    const response = await fetch(`${stack.baseUrl}${path}${query}`, {
      method: route.method,
      headers: {
        ...(route.access === 'public' ? {} : { authorization: `Bearer ${await tokenFor(route, sub)}` }),
        ...(body?.contentType ? { 'content-type': body.contentType } : {}),
      },
      ...(body ? { body: body.text } : {}),
    });
    return { status: response.status, text: await response.text() };
  }

  describe.each(served.filter((r) => r.body).map((r) => [r.id, r] as const))('%s', (_, route) => {
    const zodSchema = route.body!(catalogue);
    const schema = draft4Of(zodSchema) as Schema;

    it(`API3 API4: refuses ${RUNS} generated hostile bodies with a 4xx, never a 5xx, and writes nothing`, async () => {
      const before = await dataTables(stack);
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          hostileBody(schema).filter((b) => !isValid(zodSchema, b)),
          async (body) => {
            sent++;
            count(figures.hostile, route.id);
            const res = await send(route, body);
            expect(res.status, `${body.kind}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
            expect(res.status, body.kind).toBeLessThan(500);
            expect(res.text, body.kind).not.toMatch(/xxxxxxxxxx|\bat [\w.<>]+ \(/);
          },
        ),
        { numRuns: RUNS },
      );
      expect(sent).toBe(RUNS);
      expect(await dataTables(stack)).toEqual(before);
    });

    it(`API3: passes ${VALID_RUNS} generated valid bodies through validation, with no 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(
          validValue(schema).filter((v) => zodSchema.safeParse(v).success),
          async (value) => {
            count(figures.valid, route.id);
            const res = await send(route, {
              text: JSON.stringify(value),
              contentType: 'application/json',
              kind: 'valid',
            });
            expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
            if (res.status === 400) {
              const problems = (JSON.parse(res.text).errors ?? []) as { problem: string }[];
              expect(
                problems.filter((p) => SCHEMA_PROBLEM.test(p.problem)),
                res.text,
              ).toEqual([]);
            }
          },
        ),
        { numRuns: VALID_RUNS },
      );
    });
  });

  it('API3 API4: refuses generated unknown or malformed query parameters on every operation', async () => {
    const before = await dataTables(stack);
    const reads = served.filter((r) => r.method === 'GET');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 2_000 }), {
          minKeys: 1,
          maxKeys: 4,
        }),
        async (route, query) => {
          const schema = route.query?.(catalogue);
          if (schema?.safeParse(query).success) return;
          figures.queries++;
          const res = await send(route, undefined, `?${new URLSearchParams(query)}`);
          expect(res.status, route.id).toBe(400);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await dataTables(stack)).toEqual(before);
  });
}
