/**
 * AWS calls per member operation: each operation is a real request to the local front, run by
 * the real handler against moto, and counted on the wire by the proxy. Each route is its own
 * Lambda function in AWS, so every operation starts from an empty data-key cache (a fresh
 * instance) unless it is named "warm", which repeats a request in the same instance.
 */

import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { clearDataKeyCache, DATA_KEY_CACHE_MS } from '../lambdas/adapters/data-keys';
import { destroyDueAt, type InactivityState, noticeDueAt } from '../lambdas/features/inactivity/rules';
import { join } from '../lambdas/features/members/join';
import { loadMemberData } from '../lambdas/features/members/store';
import { clearPolicyCache } from '../lambdas/features/policy-versions/store';
import { noticeMember as noticeUsage } from '../lambdas/features/usage-notice/notices';
import { coveredYear, noticeDueAt as usageDueAt } from '../lambdas/features/usage-notice/rules';
import { readOutbox } from '../local/outbox';
import { queues, triggers } from '../model/workloads';
import { loadCatalogue, type ProfileName } from '../policy/catalogue';
import type { CallCounts } from './counting-proxy';
import type { BenchStack, HandlerRun } from './stack';

/** The counts of one operation. */
export interface OperationResult extends CallCounts {
  readonly operation: string;
  readonly status: number;
  /** Whether the operation ran in a fresh instance (empty data-key cache). */
  readonly freshInstance: boolean;
  readonly dynamodb: number;
  readonly kms: number;
  readonly ses: number;
  /** KMS calls that unwrap a member's data key (kms:Decrypt). */
  readonly dataKeyUnwraps: number;
  /** Requests that reached a route through the API (API Gateway and WAF bill each). */
  readonly apiRequests: number;
  /** Every function invocation the operation made, with the handler's measured duration. */
  readonly functions: readonly HandlerRun[];
}

/** The profile the operations run on: it has every kind of route (lookups by email, babies, mail). */
export const OPERATIONS_PROFILE: ProfileName = 'littleone';

const MEMBER = 'bench-member';
/** A member who joined a year before the inactivity steps run, and never signed in again. */
const INACTIVE_MEMBER = 'bench-inactive';
const INACTIVE_SINCE = new Date('2025-01-10T02:00:00+09:00');
/** A member of 2025, sent that year's annual usage notice (PIPA Art. 20-2). */
const USAGE_MEMBER = 'bench-usage';
const IDEMPOTENT_MEMBER = 'bench-idem';
const EMAIL = 'bench@example.com';
const NEW_EMAIL = 'bench-new@example.com';
const apple = { method: 'apple' as const };

/** A join body; the Apple member number comes from the token's federated identity (L2). */
function joinBody(email: string) {
  return {
    items: { userName: 'Bench', email },
    consents: { membership: true, 'service-delivery': true, 'abuse-prevention': true, statistics: true },
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

interface Step {
  readonly name: string;
  /** A warm step keeps the instance (cache) of the step before it. */
  readonly warm?: boolean;
  /** What the step needs that is not counted, e.g. a member to act on. */
  prepare?(ctx: Context): Promise<void>;
  run(ctx: Context): Promise<{ status: number; json: unknown }>;
  /** Checks, uncounted, that the step did what it is named for; throws if not. */
  verify?(ctx: Context): Promise<void>;
}

interface Context {
  readonly stack: BenchStack;
  api(
    method: string,
    path: string,
    options?: { sub?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; json: unknown }>;
  readonly state: { correctionId?: string; receipt?: unknown; noticeAt?: Date; destroyAt?: Date };
  /** Functions the step invoked itself (triggers, workers), not through the front. */
  readonly ran: HandlerRun[];
}

/** Runs `work` as one invocation of `handler`, timing it into `ran`. */
async function timed<T>(ran: HandlerRun[], handler: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await work();
  ran.push({ handler, durationMs: performance.now() - started });
  return out;
}

/** The operations, in the order a member's life runs through them. */
const steps: readonly Step[] = [
  { name: 'policy (public)', run: (c) => c.api('GET', '/v1/policy?format=json') },
  { name: 'join', run: (c) => c.api('POST', '/v1/members', { sub: MEMBER, body: joinBody(EMAIL) }) },
  {
    name: 'join with Idempotency-Key',
    run: (c) =>
      c.api('POST', '/v1/members', {
        sub: IDEMPOTENT_MEMBER,
        body: joinBody('bench-idem@example.com'),
        headers: { 'idempotency-key': 'bench-join-1' },
      }),
  },
  {
    name: 'sign-in (post-authentication trigger)',
    run: async (c) => {
      const { handler } = (await import(`../lambdas/handlers/${triggers.postAuthentication.handler}.ts`)) as {
        handler: (e: unknown) => Promise<unknown>;
      };
      const json = await timed(c.ran, triggers.postAuthentication.handler, () =>
        handler({
          version: '1',
          triggerSource: 'PostAuthentication_Authentication',
          region: c.stack.resources.env.AWS_REGION,
          userPoolId: 'bench',
          userName: MEMBER,
          callerContext: { awsSdkVersion: 'bench', clientId: 'bench' },
          request: { userAttributes: { sub: MEMBER }, newDeviceUsed: false },
          response: {},
        }),
      );
      return { status: 200, json };
    },
  },
  { name: 'view (first)', run: (c) => c.api('GET', '/v1/me', { sub: MEMBER }) },
  { name: 'view (repeated, warm)', warm: true, run: (c) => c.api('GET', '/v1/me', { sub: MEMBER }) },
  { name: 'export', run: (c) => c.api('GET', '/v1/me/export', { sub: MEMBER }) },
  { name: 'consents (read)', run: (c) => c.api('GET', '/v1/me/consents', { sub: MEMBER }) },
  {
    name: 'consent withdrawn (optional purpose)',
    run: (c) => c.api('PUT', '/v1/me/consents/statistics', { sub: MEMBER, body: { granted: false } }),
  },
  {
    name: 'add a baby',
    run: (c) =>
      c.api('POST', '/v1/me/babies', {
        sub: MEMBER,
        body: { items: { babyNickname: 'Bean', babyGender: 'female' } },
      }),
  },
  {
    name: 'correct (email: code sent)',
    run: async (c) => {
      const res = await c.api('PATCH', '/v1/me', { sub: MEMBER, body: { items: { email: NEW_EMAIL } } });
      c.state.correctionId = (
        res.json as { pending?: { correctionId: string }[] }
      )?.pending?.[0]?.correctionId;
      return res;
    },
  },
  {
    name: 'confirm correction',
    run: async (c) => {
      const mails = (await readOutbox(c.stack.emulator.endpoint)).filter((m) => m.to.includes(NEW_EMAIL));
      const code = mails.at(-1)?.body.match(/\b(\d{6})\b/)?.[1];
      return c.api('POST', `/v1/me/corrections/${c.state.correctionId}/confirm`, {
        sub: MEMBER,
        body: { code },
      });
    },
  },
  {
    name: 'restrict processing',
    run: (c) =>
      c.api('PUT', '/v1/me/restriction', { sub: MEMBER, body: { scope: 'all', reason: 'Bench reason' } }),
  },
  {
    name: 'lift restriction (notice sent)',
    run: (c) => c.api('DELETE', '/v1/me/restriction', { sub: MEMBER }),
  },
  {
    name: 'withdraw (signed receipt)',
    run: async (c) => {
      const res = await c.api('DELETE', '/v1/me', { sub: MEMBER });
      c.state.receipt = res.json;
      return res;
    },
  },
  {
    name: 'verify receipt (public)',
    run: (c) => c.api('POST', '/v1/receipts/verify', { body: c.state.receipt }),
  },
  {
    name: 'inactivity notice (one member)',
    prepare: async (c) => {
      const catalogue = loadCatalogue(OPERATIONS_PROFILE);
      await join(
        catalogue,
        { memberId: INACTIVE_MEMBER, groups: [], method: 'apple', signInIds: { 'provider-user-id': 'B-3' } },
        {
          items: { userName: 'Bench', appleMemberNumber: 'B-3', email: 'bench-inactive@example.com' },
          consents: Object.fromEntries(Object.keys(catalogue.purposes).map((id) => [id, true])),
          ageAffirmation: true,
          policyVersion: catalogue.policy.version,
        },
        INACTIVE_SINCE,
      );
      c.state.noticeAt = noticeDueAt(catalogue.inactivity, INACTIVE_SINCE);
    },
    run: (c) => inactivityWorker(c.ran, INACTIVE_MEMBER, c.state.noticeAt!),
    verify: async () => {
      const profile = (await loadMemberData(INACTIVE_MEMBER))?.profile as { inactivity?: InactivityState };
      const state = profile?.inactivity;
      if (state?.state !== 'notified' || state.delivery !== 'sent') throw new Error('no notice was sent');
    },
  },
  {
    name: 'inactivity purge (one member)',
    prepare: async (c) => {
      const catalogue = loadCatalogue(OPERATIONS_PROFILE);
      c.state.destroyAt = destroyDueAt(catalogue.inactivity, INACTIVE_SINCE, c.state.noticeAt!);
    },
    run: (c) => inactivityWorker(c.ran, INACTIVE_MEMBER, c.state.destroyAt!),
    verify: async () => {
      if (await loadMemberData(INACTIVE_MEMBER)) throw new Error('the inactive member was not destroyed');
    },
  },
  {
    name: 'annual usage notice (one member)',
    prepare: async () => {
      const catalogue = loadCatalogue(OPERATIONS_PROFILE);
      await join(
        catalogue,
        { memberId: USAGE_MEMBER, groups: [], method: 'apple', signInIds: { 'provider-user-id': 'B-4' } },
        {
          items: { userName: 'Bench', appleMemberNumber: 'B-4', email: 'bench-usage@example.com' },
          consents: Object.fromEntries(Object.keys(catalogue.purposes).map((id) => [id, true])),
          ageAffirmation: true,
          policyVersion: catalogue.policy.version,
        },
        new Date('2025-03-01T10:00:00+09:00'),
      );
    },
    // The notices worker's part for one member of a page: the page's scan and the segment's step
    // are shared by up to a hundred members, so they are left out of the per-member count.
    run: async (c) => {
      const catalogue = loadCatalogue(OPERATIONS_PROFILE);
      const year = coveredYear(2025);
      const outcome = await timed(c.ran, queues.policyNotices.handler, () =>
        noticeUsage(catalogue, USAGE_MEMBER, year, usageDueAt(catalogue.usageNotice, 2025)),
      );
      return { status: outcome === 'sent' ? 200 : 500, json: outcome };
    },
    verify: async () => {
      const profile = (await loadMemberData(USAGE_MEMBER))?.profile as { usageNotice?: { state: string } };
      if (profile?.usageNotice?.state !== 'sent') throw new Error('no usage notice was sent');
    },
  },
];

/** Runs the inactivity worker on one message for `memberId` at `now`, as its queue would. */
async function inactivityWorker(
  ran: HandlerRun[],
  memberId: string,
  now: Date,
): Promise<{ status: number; json: unknown }> {
  const { handler } = (await import(`../lambdas/handlers/${queues.inactivity.handler}.ts`)) as {
    handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  };
  const body = JSON.stringify({ memberId, now: now.toISOString() });
  const out = await timed(ran, queues.inactivity.handler, () =>
    handler({ Records: [{ messageId: `bench-${now.getTime()}`, body } as SQSRecord] }),
  );
  return { status: out.batchItemFailures.length === 0 ? 200 : 500, json: out };
}

/** Runs every operation once against `stack` (profile {@link OPERATIONS_PROFILE}) and counts its calls. */
export async function measureOperations(stack: BenchStack): Promise<OperationResult[]> {
  const tokens = new Map<string, string>();
  const ctx: Context = {
    stack,
    state: {},
    ran: [],
    api: async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.sub) {
        if (!tokens.has(options.sub)) tokens.set(options.sub, await stack.token(options.sub, apple));
        headers.authorization = `Bearer ${tokens.get(options.sub)}`;
      }
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json };
    },
  };
  const results: OperationResult[] = [];
  stack.proxy.measureWrites(true);
  try {
    for (const step of steps) results.push(await measureStep(stack, ctx, step));
  } finally {
    stack.proxy.measureWrites(false);
  }
  return results;
}

/** Runs one step, counting only its own calls. */
async function measureStep(stack: BenchStack, ctx: Context, step: Step): Promise<OperationResult> {
  await step.prepare?.(ctx);
  if (!step.warm) {
    clearDataKeyCache();
    // A fresh instance has not read the policy versions either (one Query a minute after).
    clearPolicyCache();
  }
  stack.proxy.take();
  stack.takeInvocations();
  ctx.ran.length = 0;
  const { status } = await step.run(ctx);
  const counts = stack.proxy.take();
  const throughApi = stack.takeInvocations();
  if (status >= 300) throw new Error(`bench operation "${step.name}" answered ${status}`);
  await step.verify?.(ctx);
  stack.proxy.take();
  return {
    operation: step.name,
    status,
    freshInstance: !step.warm,
    ...counts,
    dynamodb: counts.byService.dynamodb ?? 0,
    kms: counts.byService.kms ?? 0,
    ses: counts.byService.ses ?? 0,
    dataKeyUnwraps: counts.memberKeyUnwraps,
    apiRequests: throughApi.length,
    functions: [...throughApi, ...ctx.ran],
  };
}

/** The data-key cache period the KMS budget is stated against. */
export const CACHE_PERIOD_MS = DATA_KEY_CACHE_MS;
