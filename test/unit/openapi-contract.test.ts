/**
 * Issue 14, items 8 to 11: what the OpenAPI document declares of each operation (statuses,
 * problem types, response schemas, links, Retry-After) comes from the route table, and the limits
 * it declares are the ones the API enforces.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import type { recordAccess } from '../../lambdas/features/access-log/access-log';
import type { appendAccessRecord } from '../../lambdas/features/access-records/access-records';
import { httpRoute, type RouteInput } from '../../lambdas/http/route';
import { babyCorrectionSchema, babySchema, joinSchema } from '../../model/routes/item-schemas';
import { verifyReceiptRoute } from '../../model/routes/member';
import { postProvisionRoute, postRequestRoute } from '../../model/routes/officer';
import { exampleOf, openApiDocument, problemsOf } from '../../model/routes/openapi';
import { DOMAIN_PROBLEMS, PROBLEM_KINDS, type ProblemKind, problemType } from '../../model/routes/problems';
import { MAX_IDEMPOTENCY_KEY_LENGTH, type Route } from '../../model/routes/route';
import { routeById, routesOf } from '../../model/routes/table';
import { loadCatalogue, profiles } from '../../policy/catalogue';
import { apiEvent, context } from '../support/events';

type Operation = {
  operationId: string;
  responses: Record<
    string,
    {
      headers?: Record<string, unknown>;
      links?: Record<string, { operationId: string }>;
      content?: Record<
        string,
        {
          schema?: { allOf?: [unknown, { properties: { type: { enum: string[] } } }] };
          example?: unknown;
        }
      >;
    }
  >;
};

function operations(profile: string): Map<string, Operation> {
  const doc = openApiDocument(loadCatalogue(profile)) as { paths: Record<string, Record<string, Operation>> };
  return new Map(
    Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => [op.operationId, op] as const)),
  );
}

const statusesOf = (op: Operation) => Object.keys(op.responses).map(Number);

describe.each(Object.keys(profiles))('the OpenAPI document of %s (item 8)', (profile) => {
  const catalogue = loadCatalogue(profile);
  const ops = operations(profile);

  it('declares on each operation the statuses of the problems its route declares, and of its edge', () => {
    for (const route of routesOf(catalogue)) {
      const op = ops.get(route.id)!;
      for (const kind of Object.keys(route.raises) as ProblemKind[]) {
        expect(statusesOf(op), `${route.id} raises ${kind}`).toContain(PROBLEM_KINDS[kind].status);
      }
      expect(statusesOf(op), route.id).toEqual(expect.arrayContaining([400, 500, 503]));
      if (route.access !== 'public') expect(statusesOf(op), route.id).toContain(401);
      if (route.access === 'officer') expect(statusesOf(op), route.id).toContain(403);
      if (route.idempotent) expect(statusesOf(op), route.id).toEqual(expect.arrayContaining([409, 422]));
    }
  });

  it('names the problem types a status can carry, each from the one table', () => {
    for (const route of routesOf(catalogue)) {
      const op = ops.get(route.id)!;
      for (const [kind] of problemsOf(route)) {
        const response = op.responses[String(PROBLEM_KINDS[kind].status)]!;
        const types = response.content?.['application/problem+json']?.schema?.allOf?.[1].properties.type.enum;
        expect(types, `${route.id} ${kind}`).toContain(problemType(kind));
      }
    }
  });

  it('declares the statuses the issue lists for the member routes', () => {
    expect(statusesOf(ops.get('post-members')!)).toEqual(expect.arrayContaining([201, 403, 409, 422]));
    expect(statusesOf(ops.get('get-me')!)).toContain(404);
    expect(statusesOf(ops.get('put-consent')!)).toEqual(expect.arrayContaining([403, 404, 409, 422]));
    expect(statusesOf(ops.get('delete-restriction')!)).toEqual(expect.arrayContaining([404, 409]));
    expect(statusesOf(ops.get('post-request-action')!)).toEqual(expect.arrayContaining([404, 409, 422]));
  });

  it('11: declares Retry-After on every 409 that may be a concurrent change', () => {
    for (const route of routesOf(catalogue)) {
      if (!problemsOf(route).has('concurrent-change')) continue;
      expect(ops.get(route.id)!.responses['409']?.headers, route.id).toHaveProperty('Retry-After');
    }
  });

  it('9: declares a JSON schema for every 2xx JSON body, and links that chain the operations', () => {
    for (const route of routesOf(catalogue)) {
      for (const [status, response] of Object.entries(route.responses)) {
        const types = response.contentTypes ?? (status === '204' ? [] : ['application/json']);
        if (route.id === 'get-openapi' || route.id === 'get-policy' || !types.includes('application/json'))
          continue;
        expect(response.schema, `${route.id} ${status}`).toBeDefined();
        expect(ops.get(route.id)!.responses[status]?.content?.['application/json']?.schema).toBeDefined();
      }
    }
    const linked = (id: string, status: number) =>
      Object.values(ops.get(id)!.responses[String(status)]?.links ?? {}).map((l) => l.operationId);
    expect(linked('post-members', 201)).toContain('get-me');
    expect(linked('post-request', 201)).toEqual(
      expect.arrayContaining(['post-request-verification', 'post-request-action']),
    );
    expect(linked('post-request-verification', 200)).toContain('post-request-action');
    for (const route of routesOf(catalogue)) {
      for (const target of Object.values(route.responses).flatMap((r) => Object.values(r.links ?? {}))) {
        expect(ops.has(target.operationId), `${route.id} links to ${target.operationId}`).toBe(true);
      }
    }
  });
});

describe('response examples (item 9)', () => {
  it.each(
    Object.keys(profiles),
  )('9: every 2xx JSON response of %s carries an example that its own schema accepts, with a value for every field it requires', (profile) => {
    const c = loadCatalogue(profile);
    const ops = operations(profile);
    let checked = 0;
    for (const route of routesOf(c)) {
      for (const [status, response] of Object.entries(route.responses)) {
        if (!response.schema) continue;
        const example = ops.get(route.id)!.responses[status]?.content?.['application/json']?.example;
        const parsed = response.schema(c).safeParse(example);
        expect(parsed.success, `${route.id} ${status}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(25);
  });

  it('9: a handler returns through its response schema: a body that leaves out or mistypes a field does not compile', async () => {
    process.env.POLICY_PROFILE = 'lgcns';
    // @ts-expect-error `valid` is required by the route's response schema.
    httpRoute(verifyReceiptRoute, async () => ({ status: 200, body: { validity: true } }));
    // @ts-expect-error `valid` is a boolean.
    httpRoute(verifyReceiptRoute, async () => ({ status: 200, body: { valid: 'yes' } }));
    const handler = httpRoute(verifyReceiptRoute, async () => ({ status: 200, body: { valid: true } }));
    const res = await handler(apiEvent({ method: 'POST', body: { receipt: {}, signature: 'x' } }), context);
    expect(verifyReceiptRoute.responses[200].schema().parse(JSON.parse(res.body))).toEqual({ valid: true });
  });

  it('9: an example leaves out only what is optional and has no example', () => {
    expect(
      exampleOf({
        type: 'object',
        properties: {
          id: { type: 'string', examples: ['m-1'] },
          tags: { type: 'array', items: { type: 'string', examples: ['a'] } },
          state: { type: 'string', enum: ['held', 'frozen'] },
          since: { anyOf: [{ type: 'string', examples: ['2026-01-01'] }, { type: 'null' }] },
          note: { type: 'string' },
          missing: { type: 'string' },
        },
        required: ['id', 'tags', 'state', 'since', 'missing'],
      }),
    ).toEqual({ id: 'm-1', tags: ['a'], state: 'held', since: '2026-01-01', missing: undefined });
  });
});

describe('problem kinds (item 8)', () => {
  it('every kind has its own type URI, and the README lists each with its status', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const kinds = Object.keys(PROBLEM_KINDS) as ProblemKind[];
    expect(new Set(kinds.map(problemType)).size).toBe(kinds.length);
    for (const kind of kinds) {
      expect(readme).toContain(`| \`${problemType(kind)}\` | ${PROBLEM_KINDS[kind].status} |`);
    }
  });

  it('every domain problem is one a route can declare', () => {
    for (const kind of DOMAIN_PROBLEMS) expect(PROBLEM_KINDS[kind].status).toBeGreaterThanOrEqual(403);
  });
});

describe('declared limits are enforced (item 10)', () => {
  const lgcns = loadCatalogue('lgcns');
  const littleone = loadCatalogue('littleone');
  const longLocal = `${'a'.repeat(65)}@example.com`;
  const okLocal = `${'a'.repeat(64)}@example.com`;

  beforeAll(() => {
    process.env.POLICY_PROFILE = 'lgcns';
  });

  it('refuses an email whose local part exceeds 64 characters (RFC 5321) at join', () => {
    const join = joinSchema(lgcns);
    const body = (email: string) => ({
      items: { loginId: 'kim', name: 'Kim', email },
      ageAffirmation: true,
      policyVersion: '1.0',
    });
    expect(join.safeParse(body(longLocal)).success).toBe(false);
    expect(join.safeParse(body(okLocal)).success).toBe(true);
  });

  it('refuses such an email as a provision recipient, and a blank reference', () => {
    const schema = postProvisionRoute.body(lgcns);
    const body = (contact: string, reference: string) => ({
      memberId: 'm-1',
      recipient: { name: 'Courier', contact },
      items: ['name'],
      purpose: Object.keys(lgcns.purposes)[0],
      basis: { type: 'legal-obligation', reference },
    });
    expect(schema.safeParse(body(okLocal, 'Act 12')).success).toBe(true);
    expect(schema.safeParse(body(longLocal, 'Act 12')).success).toBe(false);
    expect(schema.safeParse(body(okLocal, '   ')).success).toBe(false);
    // The document says so too: a blank text breaks the declared pattern.
    const json = z.toJSONSchema(schema, { io: 'input' }) as unknown as {
      properties: { basis: { oneOf?: unknown[]; anyOf?: unknown[] } };
    };
    expect(JSON.stringify(json.properties.basis)).toContain('"pattern":"\\\\S"');
  });

  it("declares a baby's required items as required, and refuses to remove them", () => {
    const required = Object.entries(littleone.items)
      .filter(
        ([, item]) => item.subject === 'baby' && littleone.signIn.every((m) => item.requiredFor.includes(m)),
      )
      .map(([id]) => id);
    expect(required.length).toBeGreaterThan(0);
    const json = z.toJSONSchema(babySchema(littleone), { io: 'input' }) as unknown as {
      properties: { items: { required?: string[] } };
    };
    expect(json.properties.items.required).toEqual(expect.arrayContaining(required));
    expect(babySchema(littleone).safeParse({ items: {} }).success).toBe(false);
    expect(babyCorrectionSchema(littleone).safeParse({ items: { [required[0]!]: null } }).success).toBe(
      false,
    );
  });

  it(`answers an Idempotency-Key longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters with 400, before anything runs`, async () => {
    const route: Route = { ...routeById(postRequestRoute.id), body: () => z.strictObject({}) };
    const impl = vi.fn(async ({ recordAccess }: RouteInput) => {
      await recordAccess({});
      return { status: 201, body: {} };
    });
    // Stands for the idempotency store: the key must be refused before it is looked up.
    const lookup = vi.fn(async () => undefined);
    const idempotency = () => ({ before: lookup });
    const handler = httpRoute(route, impl, {
      recordAccess: vi.fn(async () => undefined) as unknown as typeof recordAccess,
      appendAccessRecord: vi.fn(async () => ({})) as unknown as typeof appendAccessRecord,
      idempotency,
    });
    const call = (key: string) =>
      handler(
        apiEvent({
          method: 'POST',
          body: {},
          headers: { 'Idempotency-Key': key },
          claims: { sub: 'officer-1', 'cognito:groups': 'privacy-officer' },
        }),
        context,
      );
    const refused = await call('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1));
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({
      type: problemType('invalid-input'),
      errors: [
        { field: 'Idempotency-Key', problem: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ],
    });
    expect(impl).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
    expect((await call('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).statusCode).toBe(201);
  });
});
