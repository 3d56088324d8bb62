/**
 * Fault injection, crashes and duplicate delivery on every mutating route. For each route the
 * suite fails the k-th AWS call of the request once (k = 0, 1, 2, … until the request no longer
 * reaches a k-th call), checks the failure was closed (a generic 5xx, no plaintext stored, no
 * orphaned items or keys), then retries with the same Idempotency-Key and checks the effect
 * happened exactly once. It also delivers each request twice, one after the other and at the
 * same time. A mutating route without a scenario below fails the suite.
 */
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Route, routes, routesOf } from '../../lambdas/api/routes';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { loadCatalogue } from '../../policy/catalogue';
import type { MatrixFixture } from './authorization.suite';
import { startTestStack, type TestStack } from './harness';
import { type ApiResponse, call, latestCode, scanTables } from './member-api';

/** Routes that write nothing, so have no effect to duplicate. */
const READ_ONLY = new Set(['verify-receipt']);

/** One member a scenario runs on. */
interface Member {
  readonly sub: string;
  /** Appears in every value the member sends, so a plaintext copy can be searched for. */
  readonly marker: string;
  as(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** The latest verification code emailed to `address`. */
  code(address: string): Promise<string>;
}

/** How to exercise one mutating route and read back its effect. */
interface Scenario {
  /** Brings a new member to where the route applies; returns the path parameters. */
  prepare(m: Member, f: MatrixFixture): Promise<Record<string, string>>;
  body?(m: Member, params: Record<string, string>): unknown;
  /** The route's effect as seen by the member; equal after one or many deliveries. */
  effect(m: Member, params: Record<string, string>): Promise<unknown>;
}

const joined = async (m: Member, f: MatrixFixture) => {
  expect((await m.as('POST', '/v1/members', f.join(m.marker))).status).toBe(201);
};
const view = async (m: Member) => (await m.as('GET', '/v1/me')).json;
/** The babies' nicknames, with the member's own marker taken out so members compare equal. */
const babyNicknames = async (m: Member) =>
  (await view(m)).babies.map((b: { items: { id: string; value: string }[] }) =>
    b.items.find((i) => i.id === 'babyNickname')?.value.replace(m.marker, '<marker>'),
  );

const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'post-members': {
    prepare: async () => ({}),
    body: () => undefined,
    effect: async (m) => {
      const v = await view(m);
      return { status: v.status, consents: v.consents.map((c: { history: unknown[] }) => c.history.length) };
    },
  },
  'patch-me': {
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    body: (m) => ({ items: { email: `${m.marker}-new@example.com` } }),
    effect: async (m) => (await view(m)).pendingCorrections.map((p: { item: string }) => p.item),
  },
  'confirm-correction': {
    prepare: async (m, f) => {
      await joined(m, f);
      const pending = await m.as('PATCH', '/v1/me', f.correction(`${m.marker}-new`));
      const code = await m.code(`${m.marker}-new@example.com`);
      return { correctionId: pending.json.pending[0].correctionId, code };
    },
    body: (_, params) => ({ code: params.code }),
    effect: async (m) => {
      const v = await view(m);
      return {
        corrected:
          v.items.find((i: { id: string }) => i.id === 'email')?.value === `${m.marker}-new@example.com`,
        pending: v.pendingCorrections.length,
      };
    },
  },
  'post-baby': {
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    body: (m) => ({ items: { babyNickname: `${m.marker}B`, babyGender: 'female' } }),
    effect: babyNicknames,
  },
  'patch-baby': {
    prepare: async (m, f) => {
      await joined(m, f);
      const baby = await m.as('POST', '/v1/me/babies', {
        items: { babyNickname: 'Before', babyGender: 'male' },
      });
      return { babyId: baby.json.babyId };
    },
    body: (m) => ({ items: { babyNickname: `${m.marker}P` } }),
    effect: babyNicknames,
  },
  'delete-baby': {
    prepare: async (m, f) => {
      await joined(m, f);
      const baby = await m.as('POST', '/v1/me/babies', {
        items: { babyNickname: 'Gone', babyGender: 'male' },
      });
      return { babyId: baby.json.babyId };
    },
    effect: babyNicknames,
  },
  'post-purchase': {
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    body: () => ({ product: 'Diapers', amount: 12_000, currency: 'KRW' }),
    effect: async (m) => (await view(m)).records.length,
  },
  'put-consent': {
    prepare: async (m, f) => {
      await joined(m, f);
      return { purpose: 'statistics' };
    },
    body: () => ({ granted: false }),
    effect: async (m) => {
      const consent = (await view(m)).consents.find((c: { purpose: string }) => c.purpose === 'statistics');
      return { granted: consent.granted, decisions: consent.history.length };
    },
  },
  'put-restriction': {
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    body: (m) => ({ scope: 'all', reason: `${m.marker} objects` }),
    effect: async (m) => (await view(m)).restriction?.scope ?? null,
  },
  'delete-restriction': {
    prepare: async (m, f) => {
      await joined(m, f);
      await m.as('PUT', '/v1/me/restriction', { scope: 'all', reason: 'to be lifted' });
      return {};
    },
    effect: async (m) => (await view(m)).restriction,
  },
  'delete-me': {
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    effect: async (m) => (await m.as('GET', '/v1/me')).status,
  },
};

/** Deletes every idempotency record, as their expiry would. */
async function forgetIdempotencyRecords(stack: TestStack) {
  const client = new DynamoDBClient(clientConfig(stack.endpoint));
  const table = physicalNames.table(stack.profile, 'idempotency');
  const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
  for (const item of Items)
    await client.send(new DeleteItemCommand({ TableName: table, Key: { id: item.id! } }));
  client.destroy();
}

/** Whatever the faults left, nothing may be orphaned or readable. */
async function expectNoHalfDoneState(stack: TestStack, marker: string) {
  const tables = await scanTables(stack);
  expect(JSON.stringify(tables), 'plaintext stored').not.toContain(marker);
  // Access records outlive what they record by design (G3): only member data is checked here.
  const s = (v: unknown) => (v as { S?: string } | undefined)?.S;
  const profiles = new Map(
    tables.members
      .filter((i) => s(i.sk) === 'PROFILE')
      .map((i) => [s(i.pk)!, s((i as { status?: unknown }).status)]),
  );
  const keys = new Set(tables.keys.map((i) => s(i.memberId)));
  for (const item of tables.members) {
    const pk = s(item.pk)!;
    if (pk.startsWith('M#')) {
      expect(profiles.has(pk), `${s(item.sk)} of ${pk} without a profile`).toBe(true);
    } else if (pk.startsWith('L#')) {
      expect(profiles.has(`M#${s(item.memberId)}`), `lookup ${pk} of no member`).toBe(true);
    }
  }
  for (const [pk, status] of profiles) {
    // Withdrawal destroys the key before the profile; a withdrawing member resumes on retry.
    if (status !== 'withdrawing') expect(keys.has(pk.slice(2)), `member ${pk} without a data key`).toBe(true);
  }
  for (const memberId of keys)
    expect(profiles.has(`M#${memberId}`), `key of no member ${memberId}`).toBe(true);
}

/** Declares the fault, crash and duplicate-delivery tests for `profile`. */
export function describeFaults(profile: string, fixture: MatrixFixture): void {
  const catalogue = loadCatalogue(profile);
  const mutating = routesOf(catalogue).filter(
    (r) => r.method !== 'GET' && !READ_ONLY.has(r.id) && r.access !== 'officer',
  );
  let stack: TestStack;
  const figures = { faults: 0, calls: new Map<string, number>() };

  beforeAll(async () => {
    stack = await startTestStack(profile, { faults: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  // A failed assertion must not leave its fault armed for the next test.
  afterEach(() => stack?.faults?.reset());

  function member(prefix: string): Member {
    const sub = `${prefix}-${randomUUID()}`;
    const marker = `Mk${randomUUID().slice(0, 8)}`;
    return {
      sub,
      marker,
      as: (method, path, body) =>
        call(stack, method, path, { sub, token: fixture.token, ...(body === undefined ? {} : { body }) }),
      code: (address) => latestCode(stack, address),
    };
  }

  function request(route: Route, m: Member, params: Record<string, string>, key: string) {
    const scenario = SCENARIOS[route.id]!;
    const body = route.id === 'post-members' ? fixture.join(m.marker) : scenario.body?.(m, params);
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
    return call(stack, route.method, path, {
      sub: m.sub,
      token: fixture.token,
      headers: { 'idempotency-key': key },
      ...(body === undefined ? {} : { body }),
    });
  }

  it('has a scenario for every mutating member route of the table', () => {
    // Officer routes are exercised by officer-*.test.ts; their fault scenarios are not written yet.
    const missing = (routes as readonly Route[])
      .filter((r) => r.method !== 'GET' && !READ_ONLY.has(r.id) && r.access !== 'officer' && !SCENARIOS[r.id])
      .map((r) => r.id);
    expect(missing).toEqual([]);
  });

  describe.each(mutating.map((r) => [r.id, r] as const))('%s', (_, route) => {
    const scenario = SCENARIOS[route.id]!;

    // Every call of the request in turn, each with a fresh member: the longest test of the suite.
    it(
      'fails closed at each AWS call in turn, then completes exactly once on retry',
      { timeout: 180_000 },
      async () => {
        // The effect of one clean delivery, for comparison.
        const clean = member('clean');
        const cleanParams = await scenario.prepare(clean, fixture);
        expect((await request(route, clean, cleanParams, randomUUID())).status).toBeLessThan(300);
        const expected = await scenario.effect(clean, cleanParams);

        for (let k = 0; k < 100; k++) {
          const m = member(`crash${k}`);
          const params = await scenario.prepare(m, fixture);
          // The token's first use stands for the sign-in (its trigger failing fails the sign-in,
          // not the route); use it once so every injected fault lands in the route itself.
          await m.as('GET', '/v1/me');
          const key = randomUUID();
          stack.faults!.reset();
          // One throw at the k-th call, of a kind the SDK does not retry: a crash at that step.
          stack.faults!.inject({ after: k, times: 1, kind: 'denied' });
          const failed = await request(route, m, params, key);
          const injected = stack.faults!.failed.length;
          stack.faults!.reset();
          if (injected === 0) {
            // The request made only k calls: every one of them has been failed in turn.
            expect(failed.status, failed.text).toBeLessThan(300);
            figures.calls.set(route.id, k);
            break;
          }
          figures.faults++;
          expect(failed.text).not.toContain(m.marker);
          await expectNoHalfDoneState(stack, m.marker);
          if (failed.status < 300) {
            // The fault hit after the operation was done. In saving its idempotency record: the
            // operation is answered, and its record stays in progress until it expires; a retry
            // after that re-runs the operation, which must find it done. In closing its ledger
            // record (best effort): the idempotency record is complete, and a retry replays.
            const again = await request(route, m, params, key);
            if (again.status === 409) {
              await forgetIdempotencyRecords(stack);
              const rerun = await request(route, m, params, key);
              expect([200, 201, 404, 409], `re-run after call ${k}: ${rerun.text}`).toContain(rerun.status);
            } else {
              expect(again.json, `replay after call ${k}`).toEqual(failed.json);
            }
          } else {
            expect(failed.status, `call ${k}: ${failed.text}`).toBe(503);
            const retried = await request(route, m, params, key);
            expect(retried.status, `retry after call ${k}: ${retried.text}`).toBeLessThan(300);
            const replayed = await request(route, m, params, key);
            expect(replayed.json, `replay after call ${k}`).toEqual(retried.json);
          }
          expect(await scenario.effect(m, params), `effect after a fault at call ${k}`).toEqual(expected);
        }
        expect(figures.calls.get(route.id), 'the request never completed without a fault').toBeGreaterThan(0);
      },
    );

    it('has one effect when delivered twice, one after the other', async () => {
      const m = member('twice');
      const params = await scenario.prepare(m, fixture);
      const key = randomUUID();
      const first = await request(route, m, params, key);
      const second = await request(route, m, params, key);
      expect(first.status).toBeLessThan(300);
      expect(second.json).toEqual(first.json);
      const clean = member('once');
      const cleanParams = await scenario.prepare(clean, fixture);
      await request(route, clean, cleanParams, randomUUID());
      expect(await scenario.effect(m, params)).toEqual(await scenario.effect(clean, cleanParams));
    });

    it('has one effect when delivered twice at the same time', async () => {
      const m = member('together');
      const params = await scenario.prepare(m, fixture);
      const key = randomUUID();
      const answers = await Promise.all([request(route, m, params, key), request(route, m, params, key)]);
      const ok = answers.filter((a) => a.status < 300);
      expect(ok.length).toBeGreaterThan(0);
      // The loser is told the same request is still running, or gets the winner's answer.
      for (const a of answers) if (a.status >= 300) expect(a.status, a.text).toBe(409);
      const clean = member('single');
      const cleanParams = await scenario.prepare(clean, fixture);
      await request(route, clean, cleanParams, randomUUID());
      expect(await scenario.effect(m, params)).toEqual(await scenario.effect(clean, cleanParams));
    });
  });

  afterAll(() => {
    const calls = [...figures.calls].map(([id, n]) => `${id}=${n}`).join(' ');
    process.stdout.write(
      `faults (${profile}): ${figures.faults} injected; AWS calls per request: ${calls}\n`,
    );
  });
}
