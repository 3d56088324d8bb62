import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { recordAccess } from '../../lambdas/features/access-log/access-log';
import type { AccessRecord } from '../../lambdas/features/access-records/rules';
import { MAX_BODY_BYTES } from '../../lambdas/http/constants';
import {
  checkEdge,
  httpRoute,
  type RouteInput,
  type RouteResult,
  validationErrors,
} from '../../lambdas/http/route';
import { Conflict, DependencyFailed } from '../../lambdas/runtime/errors';
import { logger } from '../../lambdas/runtime/logger';
import { type TableName, tableEnv, tables } from '../../model/resources';
import { requestActionSchema } from '../../model/routes/officer';
import { blockableUse, type Route } from '../../model/routes/route';
import { routes } from '../../model/routes/table';
import { loadCatalogue } from '../../policy/catalogue';
import { privacyRights } from '../../policy/schema';
import { apiEvent, context } from '../support/events';

// The access log's own reads and writes are proven against moto (integration tests); here only
// what the edge does with it: when it records, with what, and what a failure does.
vi.mock('../../lambdas/features/access-log/access-log', () => ({
  recordAccess: vi.fn(async () => undefined),
}));
const recorded = vi.mocked(recordAccess);
const appendAccessRecord = vi.hoisted(() => vi.fn(async (..._: unknown[]) => ({}) as AccessRecord));
vi.mock('../../lambdas/features/access-records/access-records', () => ({ appendAccessRecord }));

const route: Route = {
  id: 'test-route',
  method: 'POST',
  path: '/v1/test',
  access: 'officer',
  summary: 'test',
  tags: [],
  body: () => z.strictObject({ name: z.string().check(z.maxLength(5)), age: z.optional(z.int()) }),
  responses: { 200: { description: 'ok' } },
  raises: {},
  grants: {},
};
const officer = { sub: 'officer-1', 'cognito:groups': 'privacy-officer' };
/** The handler of `route` around `impl`, its edge holding the access log and records mocked above. */
const officerRoute = (impl: (input: RouteInput) => Promise<RouteResult>) =>
  httpRoute(route, impl, { recordAccess, appendAccessRecord });
const body = (r: { body: string }) => JSON.parse(r.body);

describe('httpRoute', () => {
  beforeAll(() => {
    process.env.POLICY_PROFILE = 'lgcns';
  });
  beforeEach(() => {
    recorded.mockClear();
  });

  it('passes the validated body and the caller to the implementation', async () => {
    const impl = vi.fn(async ({ recordAccess }: RouteInput) => {
      await recordAccess({});
      return { status: 200, body: { ok: true } };
    });
    const handler = officerRoute(impl);
    const res = await handler(apiEvent({ method: 'POST', body: { name: 'Kim' }, claims: officer }), context);
    expect(res.statusCode).toBe(200);
    expect(impl).toHaveBeenCalledWith(
      expect.objectContaining({
        body: { name: 'Kim' },
        principal: expect.objectContaining({ memberId: 'officer-1' }),
      }),
    );
  });

  it('answers 401 without claims and never calls the implementation', async () => {
    const impl = vi.fn();
    const res = await officerRoute(impl)(apiEvent({ method: 'POST', body: { name: 'a' } }), context);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(impl).not.toHaveBeenCalled();
  });

  it('answers 403 to a member outside the officer group', async () => {
    const impl = vi.fn();
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: { sub: 'm1' } }),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(impl).not.toHaveBeenCalled();
  });

  it('reads groups flattened to a bracketed string by API Gateway', async () => {
    const impl = vi.fn(async ({ recordAccess }: RouteInput) => {
      await recordAccess({});
      return { status: 204 };
    });
    const claims = { sub: 'o', 'cognito:groups': '[staff privacy-officer]' };
    const res = await officerRoute(impl)(apiEvent({ method: 'POST', body: { name: 'a' }, claims }), context);
    expect(res.statusCode).toBe(204);
  });

  it('L2/G1: rejects unknown fields, naming each, without echoing values', async () => {
    const impl = vi.fn();
    const event = apiEvent({ method: 'POST', body: { name: 'a', status: 'SECRET-VALUE' }, claims: officer });
    const res = await officerRoute(impl)(event, context);
    expect(res.statusCode).toBe(400);
    expect(body(res).errors).toEqual([{ field: 'status', problem: 'unknown field' }]);
    expect(res.body).not.toContain('SECRET-VALUE');
    expect(impl).not.toHaveBeenCalled();
  });

  it('G10: an action the profile does not offer is refused naming the actions it does', () => {
    const parsed = requestActionSchema(loadCatalogue('lgcns')).safeParse({
      action: 'withdraw-provision-consent',
      recipient: 'courier',
    });
    expect(parsed.success).toBe(false);
    expect(validationErrors(parsed.error!)).toEqual([
      {
        field: 'action',
        problem: 'must be one of view, export, correct, delete, restrict, withdraw-consent, refuse',
      },
    ]);
  });

  it('names a missing field and a too-long one', async () => {
    const res1 = await officerRoute(vi.fn())(
      apiEvent({ method: 'POST', body: {}, claims: officer }),
      context,
    );
    expect(body(res1).errors).toEqual([{ field: 'name', problem: 'required' }]);
    const res2 = await officerRoute(vi.fn())(
      apiEvent({ method: 'POST', body: { name: 'toolong' }, claims: officer }),
      context,
    );
    expect(body(res2).errors).toEqual([{ field: 'name', problem: 'must be at most 5' }]);
  });

  it('answers 400 to malformed JSON and 415 to another content type', async () => {
    const bad = await officerRoute(vi.fn())(
      apiEvent({ method: 'POST', body: '{"name":', claims: officer }),
      context,
    );
    expect(bad.statusCode).toBe(400);
    const form = apiEvent({
      method: 'POST',
      body: 'name=a',
      claims: officer,
      headers: { 'Content-Type': 'text/plain' },
    });
    expect((await officerRoute(vi.fn())(form, context)).statusCode).toBe(415);
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await officerRoute(vi.fn())(
      apiEvent({ method: 'POST', body: huge, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(413);
  });

  it('refuses unknown query parameters on a route without a query schema', async () => {
    const event = apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer, query: { debug: '1' } });
    const res = await officerRoute(vi.fn())(event, context);
    expect(res.statusCode).toBe(400);
    expect(body(res).errors).toEqual([{ field: 'debug', problem: 'unknown field' }]);
  });

  it('exposes the detail of a 4xx problem thrown by the implementation', async () => {
    const impl = async () => {
      throw new Conflict('Conflict', 'Already a member.');
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(409);
    expect(body(res)).toMatchObject({ title: 'Conflict', detail: 'Already a member.', status: 409 });
  });

  it('fails closed with a generic 503 body when a dependency fails', async () => {
    const impl = async () => {
      throw new DependencyFailed('kms', { cause: new Error('arn:aws:kms:secret-key-id user@example.com') });
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toMatch(/arn|example\.com|stack|kms/i);
  });

  it('hides unexpected errors behind a generic 500 body', async () => {
    const impl = async () => {
      throw new TypeError('Cannot read properties of undefined (reading "email")');
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(500);
    expect(body(res)).toEqual({
      type: 'urn:privacy-rights:problem:internal-error',
      title: 'Internal error',
      status: 500,
    });
  });

  it('G14: never sets a cookie, and marks responses no-store', async () => {
    const impl = async ({ recordAccess }: RouteInput) => {
      await recordAccess({});
      return { status: 200, body: {}, headers: { 'set-cookie': 'a=b' } as Record<string, string> };
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(Object.keys(res.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('set-cookie');
  });

  it('G3: records the caller, route template, source IP and time before the implementation runs', async () => {
    const order: string[] = [];
    recorded.mockImplementationOnce(async () => {
      order.push('record');
    });
    const impl = vi.fn(async () => {
      order.push('implementation');
      return { status: 200 };
    });
    await officerRoute(impl)(apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }), context);
    expect(order).toEqual(['record', 'implementation']);
    expect(recorded).toHaveBeenCalledWith(
      expect.objectContaining({ profile: 'lgcns' }),
      expect.objectContaining({
        memberId: 'officer-1',
        route: 'POST /v1/test',
        sourceIp: '203.0.113.7',
        requestId: 'req-1',
        at: expect.any(Date),
      }),
    );
  });

  it('G3: records admitted calls the handler refuses (400), and nothing for a token authorization refuses', async () => {
    await officerRoute(vi.fn())(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: { sub: 'm1' } }),
      context,
    );
    await officerRoute(vi.fn())(apiEvent({ method: 'POST', body: { bad: 1 }, claims: officer }), context);
    expect(recorded.mock.calls.map(([, e]) => e.memberId)).toEqual(['officer-1']);
  });

  it('G3: fails closed with a generic 503 when the access record cannot be written, and never logs the IP', async () => {
    recorded.mockRejectedValueOnce(new DependencyFailed('dynamodb', { cause: new Error('203.0.113.7') }));
    const logged = vi.spyOn(logger, 'error');
    const impl = vi.fn();
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(503);
    expect(impl).not.toHaveBeenCalled();
    expect(res.body).not.toContain('203.0.113.7');
    expect(JSON.stringify(logged.mock.calls)).not.toContain('203.0.113.7');
    logged.mockRestore();
  });

  it('G3: records nothing for public routes, which name no member', async () => {
    const publicRoute: Route = { ...route, id: 'public-test', access: 'public', body: undefined };
    const res = await httpRoute(publicRoute, async () => ({ status: 200 }))(apiEvent(), context);
    expect(res.statusCode).toBe(200);
    expect(recorded).not.toHaveBeenCalled();
  });

  it('G17: writes one access record per officer action, naming officer, source IP, action and member', async () => {
    appendAccessRecord.mockClear();
    const impl = async ({ recordAccess }: RouteInput) => {
      await recordAccess({ memberId: 'm-1', reason: 'complaint 12' });
      return { status: 200, body: {} };
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(appendAccessRecord).toHaveBeenCalledTimes(1);
    expect(appendAccessRecord).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        officerId: 'officer-1',
        sourceIp: '203.0.113.7',
        action: 'test-route',
        memberId: 'm-1',
        reason: 'complaint 12',
      }),
    );
  });

  it('G17: returns nothing from an officer action that wrote no access record', async () => {
    const res = await officerRoute(async () => ({ status: 200, body: { secret: 'data' } }))(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('data');
  });

  it('G17: fails the action when its access record cannot be written', async () => {
    appendAccessRecord.mockRejectedValueOnce(new DependencyFailed('dynamodb'));
    const after = vi.fn();
    const impl = async ({ recordAccess }: RouteInput) => {
      await recordAccess({ memberId: 'm-1' });
      after();
      return { status: 200, body: { secret: 'data' } };
    };
    const res = await officerRoute(impl)(
      apiEvent({ method: 'POST', body: { name: 'a' }, claims: officer }),
      context,
    );
    expect(res.statusCode).toBe(503);
    expect(after).not.toHaveBeenCalled();
  });
});

describe('checkEdge', () => {
  const member: Route = { ...route, id: 'member-test', access: 'member' };
  const noop = async () => undefined;
  const idempotency = () => ({});

  it('G3, G17: refuses an officer route whose handler brings no access log or no access records', () => {
    expect(() => checkEdge(route, { recordAccess: noop })).toThrow(/appendAccessRecord/);
    expect(() => checkEdge(route, { appendAccessRecord })).toThrow(/recordAccess/);
    expect(() => checkEdge(route, { recordAccess: noop, appendAccessRecord })).not.toThrow();
  });

  it('L12: refuses a route that is a use of the service without the suspension check; a privacy right needs none', () => {
    expect(() => checkEdge({ ...member, use: 'purchase' }, { recordAccess: noop })).toThrow(/memberStatus/);
    expect(() => checkEdge({ ...member, use: 'correct' }, { recordAccess: noop })).not.toThrow();
  });

  it('L14, L16: every member route says what the member does through it, and the rights are the routes a suspension cannot block', () => {
    const memberRoutes = (routes as readonly Route[]).filter((r) => r.access === 'member');
    expect(memberRoutes.filter((r) => r.use === undefined).map((r) => r.id)).toEqual([]);
    const rights = memberRoutes.filter((r) => (privacyRights as readonly string[]).includes(r.use!));
    expect(rights.map((r) => r.id).sort()).toEqual(
      [
        'confirm-correction',
        'delete-baby',
        'delete-me',
        'get-consents',
        'get-export',
        'get-me',
        'patch-baby',
        'patch-me',
        'put-restriction',
        // A photo is an item: replacing it corrects it, and reading it back is viewing it (L14).
        'post-photo',
        'get-photo',
        'post-baby-photo',
        'get-baby-photo',
      ].sort(),
    );
    expect(rights.filter((r) => blockableUse(r) !== undefined)).toEqual([]);
  });

  it('wires Idempotency-Key support into idempotent routes only, so other bundles leave it out', () => {
    const edge = { recordAccess: noop, memberStatus: async () => undefined };
    expect(() => checkEdge({ ...member, idempotent: true }, edge)).toThrow(/idempotency/);
    expect(() => checkEdge({ ...member, idempotent: true }, { ...edge, idempotency })).not.toThrow();
    expect(() => checkEdge(member, { ...edge, idempotency })).toThrow(/not idempotent/);
  });

  it('lets public routes go without any part that calls AWS', () => {
    expect(() => checkEdge({ ...route, access: 'public' }, {})).not.toThrow();
  });

  it.each(
    routes.map((r) => [r.id] as const),
  )('%s: its handler brings exactly the edge its route table entry asks for', async (id) => {
    for (const t of (Object.keys(tables) as TableName[]).map(tableEnv)) process.env[t] ??= `test-${t}`;
    // checkEdge runs when the handler module is loaded: importing it is the assertion.
    await expect(import(`../../lambdas/handlers/${id}.ts`)).resolves.toHaveProperty('handler');
  });
});
