/**
 * Fault injection, crashes and duplicate delivery on every mutating route. For each route the
 * suite fails the k-th AWS call of the request once (k = 0, 1, 2, … until the request no longer
 * reaches a k-th call), checks the failure was closed (a generic 5xx, no plaintext stored, no
 * orphaned items or keys), then retries with the same Idempotency-Key and checks the effect
 * happened exactly once. It also delivers each request twice, one after the other and at the
 * same time. A mutating route without a scenario below fails the suite. Officer routes are sent
 * with an officer's token and their effect read back through the officer's API; their access
 * records and the request ledger keep failed attempts by design, so for those the check is that
 * the hash chain still verifies and every ledger record is whole in one of its states.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { ScanCommand as DocScan, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callbackToken } from '../../lambdas/adapters/callback-tokens';
import { verifyChain } from '../../lambdas/features/access-records/access-records';
import type { AccessRecord } from '../../lambdas/features/access-records/rules';
import type { RequestRecord, RequestView } from '../../lambdas/features/requests/rules';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { type TableName, tables } from '../../model/resources';
import { OFFICER_GROUP, type Route } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import { loadCatalogue } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';
import type { SeenCall } from '../support/fault-proxy';
import type { MatrixFixture } from './authorization.suite';
import { invoked, startTestStack, type TestStack } from './harness';
import { type ApiResponse, call, latestCode, scanTables } from './member-api';

/**
 * Routes that write nothing, so have no effect to duplicate. A photo upload route only signs the
 * request the member's device then sends to the photos bucket.
 */
const READ_ONLY = new Set(['verify-receipt', 'post-photo', 'post-baby-photo']);

/** One member a scenario runs on. */
interface Member {
  readonly sub: string;
  /** Appears in every value the member sends, so a plaintext copy can be searched for. */
  readonly marker: string;
  as(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Calls as the suite's privacy officer, acting on this member. */
  officer(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** The latest verification code emailed to `address`. */
  code(address: string): Promise<string>;
  /** Deliveries of the request under test so far, answered or not. */
  deliveries: number;
  /** Emails the deliveries sent (SES calls answered), as the fault proxy saw them. */
  emailsSent: number;
  /**
   * Deliveries under way, and where the proxy's calls stood when the first of them began:
   * deliveries at the same time are counted over one span, so an email is counted once.
   */
  inFlight: number;
  since: { calls: number; failed: number };
}

/** Who sends the request under test. */
type Caller = 'member' | 'officer';

/** How to exercise one mutating route and read back its effect. */
interface Scenario {
  /** Tells apart the scenarios of one route (the actions of post-request-action). */
  readonly label?: string;
  /** The member on their own data, or an officer acting on the member. @default 'member' */
  readonly by?: Caller;
  /** Brings a new member to where the route applies; returns the path parameters. */
  prepare(m: Member, f: MatrixFixture, c: Catalogue): Promise<Record<string, string>>;
  body?(m: Member, params: Record<string, string>): unknown;
  /** The route's effect as seen through the API; equal after one or many deliveries. */
  effect(m: Member, params: Record<string, string>): Promise<unknown>;
  /** An officer route that acts on no member (publishing a policy version): no member's records to count. */
  readonly memberless?: boolean;
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

/** Months whose access review the sign-off scenario assembled so far: each takes the next. */
let reviewedMonths = 0;

/** Policy versions published so far in this process: each publish takes the next. */
let publishedVersions = 0;

/** The environment of the suite's stack, for what a scenario computes as one of its functions. */
let stackEnv: Readonly<Record<string, string>> = {};

/** The token a custom system's event carries for one silo of one request, as the worker makes it. */
const callbackTokenOf = (requestId: string, silo: string) =>
  invoked('worker-silos', stackEnv, callbackToken)(requestId, silo);

/** A past receipt time for every logged request, so deadlines do not depend on the day of the run. */
const RECEIVED_AT = '2026-01-05T01:00:00Z';

/**
 * The member's requests as the officer's ledger lists them, in a fixed order. Self-service records
 * are left out: every GET /v1/me the suite makes is one, and members differ in how many they make.
 */
const ledger = async (m: Member) => {
  const listed = await m.officer('GET', `/v1/admin/requests?member=${encodeURIComponent(m.sub)}`);
  expect(listed.status, listed.text).toBe(200);
  return (listed.json.requests as RequestView[])
    .filter((r) => r.channel !== 'app')
    .map((r) => ({
      type: r.type,
      channel: r.channel,
      jurisdiction: r.jurisdiction,
      deadline: r.deadline,
      status: r.status,
      verification: r.verification?.method ?? null,
      extension: r.extension?.months ?? 0,
      outcome: r.outcome?.action ?? null,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
};

/** Logs an offline request for the member; verified (open) unless `verified` is false. */
async function logged(m: Member, type: string, extra: Record<string, unknown> = {}, verified = true) {
  const res = await m.officer('POST', '/v1/admin/requests', {
    memberId: m.sub,
    type,
    channel: 'letter',
    receivedAt: RECEIVED_AT,
    ...(verified ? { verification: { method: 'identity-document', reference: `${m.marker} ID copy` } } : {}),
    ...extra,
  });
  expect(res.status, res.text).toBe(201);
  return res.json.requestId as string;
}

/** A basis other than consent the profile's policy allows a provision on (L5/G6). */
function recordedBasis(c: Catalogue): string {
  const basis = c.provision.bases.find((b) => b !== 'consent');
  if (!basis) throw new Error('the catalogue allows provision on consent only');
  return basis;
}

/** A member item the fixture's sign-in method holds that is corrected at once, without a code. */
function directItem(c: Catalogue, f: MatrixFixture): string {
  const id = Object.entries(c.items).find(
    ([, item]) =>
      item.subject === 'member' &&
      item.correctable &&
      !item.verifyOnCorrection &&
      item.requiredFor.includes(f.token.method),
  )?.[0];
  if (!id) throw new Error('the catalogue has no directly correctable required item');
  return id;
}

/** A member email item the fixture's sign-in method holds whose correction waits for a code. */
function verifiedItem(c: Catalogue, f: MatrixFixture): string {
  const id = Object.entries(c.items).find(
    ([, item]) =>
      item.subject === 'member' &&
      item.correctable &&
      item.verifyOnCorrection &&
      item.collectedFor.includes(f.token.method),
  )?.[0];
  if (!id) throw new Error('the catalogue has no item corrected with a code');
  return id;
}

/** A joined member with an open, verified offline request of `type`. */
const openRequest = (type: string) => async (m: Member, f: MatrixFixture) => {
  await joined(m, f);
  return { requestId: await logged(m, type) };
};

/**
 * post-request-action, one scenario per action that changes something. The route is not
 * idempotent (views and exports answer with personal data, which the idempotency store must not
 * hold): a retry runs the action again, which must find it done, and a completed request
 * refuses any further delivery.
 */
const REQUEST_ACTIONS: readonly Scenario[] = [
  {
    label: 'delete',
    by: 'officer',
    prepare: openRequest('deletion'),
    body: () => ({ action: 'delete' }),
    effect: async (m) => ({ ledger: await ledger(m), me: (await m.as('GET', '/v1/me')).status }),
  },
  {
    label: 'correct',
    by: 'officer',
    // The corrected item was provided to a recipient, who is told the corrected value (L15/G11).
    prepare: async (m, f, c) => {
      const item = directItem(c, f);
      await joined(m, f);
      const provided = await m.officer('POST', '/v1/admin/provisions', {
        memberId: m.sub,
        recipient: { name: 'Tax Office', contact: `tax-${m.sub}@agency.example` },
        items: [item],
        purpose: 'membership',
        basis: { type: recordedBasis(c), reference: 'tax audit 9' },
      });
      expect(provided.status, provided.text).toBe(201);
      return { requestId: await logged(m, 'correction'), item };
    },
    body: (m, params) => ({ action: 'correct', items: { [params.item!]: `${m.marker}Fixed` } }),
    effect: async (m, params) => {
      const v = await view(m);
      const provisions = await m.officer('GET', `/v1/admin/provisions?member=${encodeURIComponent(m.sub)}`);
      return {
        ledger: await ledger(m),
        corrected: v.items.find((i: { id: string }) => i.id === params.item)?.value === `${m.marker}Fixed`,
        pending: v.pendingCorrections.length,
        notices: provisions.json.correctionNotices.map((n: { recipient: string; status: string }) => ({
          recipient: n.recipient,
          status: n.status,
        })),
        // The recipient is told once, however many deliveries it took (L15/G11).
        emailsSent: m.emailsSent,
      };
    },
  },
  {
    label: 'correct, verified item',
    by: 'officer',
    // An item corrected only once the new value is confirmed: the action leaves it pending.
    prepare: async (m, f, c) => {
      await joined(m, f);
      return { requestId: await logged(m, 'correction'), item: verifiedItem(c, f) };
    },
    body: (m, params) => ({ action: 'correct', items: { [params.item!]: `${m.marker}-new@example.com` } }),
    effect: async (m) => ({
      ledger: await ledger(m),
      pending: (await view(m)).pendingCorrections.map((p: { item: string }) => p.item),
    }),
  },
  {
    label: 'restrict',
    by: 'officer',
    prepare: openRequest('restriction'),
    body: (m) => ({ action: 'restrict', scope: 'provision', reason: `${m.marker} objects by letter` }),
    effect: async (m) => ({ ledger: await ledger(m), scope: (await view(m)).restriction?.scope ?? null }),
  },
  {
    label: 'export',
    by: 'officer',
    prepare: openRequest('portability'),
    body: (m) => ({ action: 'export', downloadReason: `${m.marker} posted to the member` }),
    effect: ledger,
  },
];

/** Scenarios of the privacy officer's routes: an officer acting on a member (L11–L16, G6–G17). */
const OFFICER_SCENARIOS: Readonly<Record<string, Scenario | readonly Scenario[]>> = {
  'post-request': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      return {};
    },
    body: (m) => ({
      memberId: m.sub,
      type: 'access',
      channel: 'letter',
      receivedAt: RECEIVED_AT,
      // The evidence's reference is sealed in the ledger: it must never be found in plaintext.
      verification: { method: 'identity-document', reference: `${m.marker} ID copy` },
    }),
    effect: ledger,
  },
  'post-request-verification': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      return { requestId: await logged(m, 'access', {}, false) };
    },
    body: (m) => ({ method: 'call-back-to-registered-number', reference: `${m.marker} call-back` }),
    effect: ledger,
  },
  'post-request-extension': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      return { requestId: await logged(m, 'access', { jurisdiction: 'gdpr' }) };
    },
    // The reason is the officer's, shown in the ledger; no member data goes in it.
    body: () => ({ months: 1, reason: 'many requests at once' }),
    effect: ledger,
  },
  'post-request-action': REQUEST_ACTIONS,
  'post-member-terminate': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      return { memberId: m.sub };
    },
    body: (m) => ({ reason: `${m.marker} reported to be 12` }),
    effect: async (m) => ({
      me: (await m.as('GET', '/v1/me')).status,
      admin: (await m.officer('GET', `/v1/admin/members/${encodeURIComponent(m.sub)}?reason=audit`)).status,
    }),
  },
  'post-member-suspend': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      return { memberId: m.sub };
    },
    // The reason is sealed under the member's key.
    body: (m) => ({ reason: `${m.marker} used another name` }),
    effect: async (m) => (await view(m)).status,
  },
  'post-member-reinstate': {
    by: 'officer',
    prepare: async (m, f) => {
      await joined(m, f);
      const suspended = await m.officer('POST', `/v1/admin/members/${encodeURIComponent(m.sub)}/suspend`, {
        reason: 'false name',
      });
      expect(suspended.status, suspended.text).toBe(200);
      return { memberId: m.sub };
    },
    body: (m) => ({ reason: `${m.marker} proved their name` }),
    effect: async (m) => (await view(m)).status,
  },
  'post-provision': {
    by: 'officer',
    prepare: async (m, f, c) => {
      await joined(m, f);
      return { item: c.noticeItem, basis: recordedBasis(c) };
    },
    body: (m, params) => ({
      memberId: m.sub,
      recipient: { name: 'Police', contact: 'police@agency.example' },
      items: [params.item],
      purpose: 'membership',
      basis: { type: params.basis, reference: 'warrant 2026-77' },
    }),
    effect: async (m) =>
      (await view(m)).provisions.map((p: { recipient: string; items: string[]; basis: string }) => ({
        recipient: p.recipient,
        items: p.items,
        basis: p.basis,
      })),
  },
  'post-access-review-sign-off': {
    by: 'officer',
    memberless: true,
    // Each sign-off needs a review of its own: the job assembles the next month (an empty one).
    prepare: async (_m, _f, c) => {
      const year = 2100 + ++reviewedMonths;
      await runJob('accessReview', stackEnv, c.profile, `${year}-01-15T00:00:00+09:00`);
      return { month: `${year - 1}-12` };
    },
    body: () => ({ note: 'Nothing unusual this month.', reason: 'monthly access review' }),
    effect: async (m, params) => {
      const review = (await m.officer('GET', `/v1/admin/access-reviews/${params.month}`)).json;
      return { status: review.status, note: review.signOff?.note, by: review.signOff?.by };
    },
  },
  'post-policy-version': {
    by: 'officer',
    memberless: true,
    // Each publish needs a newer version; a later one supersedes an upcoming one, as it may.
    prepare: async (_m, _f, c) => ({ version: `1.${++publishedVersions}`, catalogue: JSON.stringify(c) }),
    body: (_m, params) => {
      const catalogue = JSON.parse(params.catalogue!) as Catalogue;
      const effectiveDate = '2099-01-01';
      return {
        catalogue: { ...catalogue, policy: { ...catalogue.policy, version: params.version, effectiveDate } },
        effectiveDate,
        summary: 'The officer contacts change.',
      };
    },
    effect: async (m, params) => {
      const listed = (await m.officer('GET', '/v1/admin/policy-versions')).json.versions as {
        version: string;
        notices: { segments: number };
      }[];
      const mine = listed.filter((v) => v.version === params.version);
      return { published: mine.length, segments: mine.map((v) => v.notices.segments) };
    },
  },
};

/** A breach affecting member `m` alone, told apart from others' by its cause (ids only, no marker). */
const breachOf = (m: Member) => ({
  reason: 'Breach reported by the security team',
  discoveredAt: '2026-01-05T01:00:00Z',
  items: ['email'],
  cause: { outsideAttack: false, description: { ko: `유출 ${m.sub}`, en: `Leak ${m.sub}` } },
  measures: { ko: '조치함', en: 'Contained' },
  affected: { kind: 'list', memberIds: [m.sub] },
});
/** The breaches recorded for member `m`, as the officer lists them. */
const breachesOf = async (m: Member) => {
  const listed = await m.officer('GET', '/v1/admin/breaches');
  expect(listed.status, listed.text).toBe(200);
  return (
    listed.json.breaches as {
      breachId: string;
      status: string;
      affected: unknown;
      cause: { description: { en: string } };
    }[]
  ).filter((b) => b.cause.description.en === `Leak ${m.sub}`);
};

/** The breach routes (PIPA Art. 34): the officer records a breach, then closes it. */
const BREACH_SCENARIOS: Readonly<Record<string, Scenario>> = {
  'post-breach': {
    by: 'officer',
    memberless: true,
    prepare: async () => ({}),
    body: (m) => breachOf(m),
    effect: async (m) => (await breachesOf(m)).map((b) => ({ status: b.status, affected: b.affected })),
  },
  'post-breach-action': {
    by: 'officer',
    memberless: true,
    prepare: async (m) => {
      const recorded = await m.officer('POST', '/v1/admin/breaches', breachOf(m));
      expect(recorded.status, recorded.text).toBe(201);
      return { breachId: recorded.json.breachId as string };
    },
    body: () => ({ action: 'close', reason: 'Contained; members told by phone.' }),
    effect: async (m, params) => {
      const view = (await m.officer('GET', `/v1/admin/breaches/${params.breachId}`)).json;
      return {
        status: view.status,
        closeReason: view.closeReason,
        steps: (view.ledger as { step: string }[]).map((s) => s.step),
      };
    },
  },
};

const SCENARIOS: Readonly<Record<string, Scenario | readonly Scenario[]>> = {
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
  // A custom system's answer to the withdrawal's request; the token is the one its event carries.
  'post-silo-answer': {
    prepare: async (m, f, c) => {
      await joined(m, f);
      const withdrawn = await m.as('DELETE', '/v1/me');
      expect(withdrawn.status, withdrawn.text).toBe(200);
      const requestId = `silos-${withdrawn.json.receipt.receiptId}`;
      const silo = Object.entries(c.silos).find(([, s]) => s.kind === 'custom')![0];
      return { requestId, silo, token: await callbackTokenOf(requestId, silo) };
    },
    body: (_m, params) => ({ token: params.token, outcome: 'nothing-held' }),
    effect: async (m, params) => {
      const listed = await m.officer('GET', `/v1/admin/requests?member=${encodeURIComponent(m.sub)}`);
      const record = (
        listed.json.requests as (RequestView & { silos: Record<string, { status: string }> })[]
      ).find((r) => r.requestId === params.requestId);
      return Object.fromEntries(Object.entries(record!.silos).map(([id, o]) => [id, o.status]));
    },
  },
  ...OFFICER_SCENARIOS,
  ...BREACH_SCENARIOS,
};

/** Deletes every item of `names`: the idempotency records, as their expiry would, or everything. */
async function emptyTables(stack: TestStack, names: readonly TableName[]) {
  const client = new DynamoDBClient(clientConfig(stack.endpoint));
  for (const name of names) {
    const table = physicalNames.table(stack.profile, name);
    const def: { partitionKey: { name: string }; sortKey?: { name: string } } = tables[name];
    const keyNames = [def.partitionKey.name, ...(def.sortKey ? [def.sortKey.name] : [])];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const key = Object.fromEntries(keyNames.map((k) => [k, item[k]!]));
        await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  client.destroy();
}

const forgetIdempotencyRecords = (stack: TestStack) => emptyTables(stack, ['idempotency']);

/** Every item of a table as plain objects, page by page. */
async function scanDocuments<T>(stack: TestStack, table: TableName): Promise<T[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new DocScan({ TableName: physicalNames.table(stack.profile, table), ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  doc.destroy();
  return items;
}

/** The handler access records, in chain order. */
async function accessChain(stack: TestStack): Promise<AccessRecord[]> {
  return (await scanDocuments<AccessRecord>(stack, 'handlerAccess')).sort((a, b) => a.seq - b.seq);
}

/** Access records of one officer action on one member. */
async function accessRecordsOf(stack: TestStack, memberId: string, action: string): Promise<number> {
  return (await accessChain(stack)).filter((r) => r.memberId === memberId && r.action === action).length;
}

/**
 * Why a ledger record is not whole in one of its states, or undefined. A failed attempt may
 * leave a record (a self-service request refused or left open), never one half changed.
 */
function ledgerProblem(r: RequestRecord): string | undefined {
  const unfinished = r.status === 'open' || r.status === 'acting' || r.status === 'awaiting-verification';
  if (!unfinished && r.status !== 'completed' && r.status !== 'refused') return `status ${r.status}`;
  if (unfinished && (r.outcome || r.closedAt)) return 'an outcome on an unfinished request';
  if (!unfinished && (!r.outcome || !r.closedAt || r.openStatus))
    return 'closed without its outcome, or still indexed open';
  // A request is indexed while unfinished, and claimed only while an action runs.
  if (unfinished !== (r.openStatus === 'open')) return 'the open index out of step with the status';
  if ((r.status === 'acting') !== (r.actingUntil !== undefined)) return 'a claim out of step with the status';
  if (r.channel === 'app') return undefined;
  if ((r.status === 'awaiting-verification') === (r.verification !== undefined))
    return 'the verification out of step with the status';
  return undefined;
}

/** An officer route's deliveries to one member so far: each writes at most one access record. */
interface Deliveries {
  readonly memberId: string;
  readonly action: string;
  readonly count: number;
}

/**
 * Whatever the faults left, nothing may be orphaned or readable. The access-record chain and
 * the request ledger keep failed attempts by design (G17, L14): the chain must still verify,
 * with no more records of an action than its deliveries, and every ledger record be whole.
 */
async function expectNoHalfDoneState(stack: TestStack, marker: string, deliveries?: Deliveries) {
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

  // The access records and the ledger as plain objects, from the scan above: no second read.
  const plain = <T>(items: readonly Record<string, unknown>[]) =>
    items.map((i) => unmarshall(i as Record<string, AttributeValue>) as T);
  const chain = plain<AccessRecord>(tables.handlerAccess).sort((a, b) => a.seq - b.seq);
  const report = await verifyChain(
    (async function* () {
      yield* chain;
    })(),
  );
  expect(report, 'access-record chain').toMatchObject({ intact: true, records: chain.length });
  if (deliveries) {
    const recorded = chain.filter(
      (r) => r.memberId === deliveries.memberId && r.action === deliveries.action,
    ).length;
    expect(recorded, `${deliveries.action} records of ${deliveries.count} deliveries`).toBeLessThanOrEqual(
      deliveries.count,
    );
  }
  const requests = plain<RequestRecord>(tables.requests);
  const broken = requests.flatMap((r) => {
    const problem = ledgerProblem(r);
    return problem ? [`${r.requestId} (${r.channel}, ${r.status}): ${problem}`] : [];
  });
  expect(broken, 'ledger records half changed').toEqual([]);
}

/** The scenarios of a route; several for a route whose body selects among operations. */
function scenariosOf(routeId: string): readonly Scenario[] {
  const s = SCENARIOS[routeId];
  return s === undefined ? [] : 'prepare' in s ? [s] : s;
}

/** Which routes a test file takes: the suite is split in two so the halves run side by side. */
export type Side = 'member' | 'officer';

const onSide = (side: Side) => (r: Route) => (r.access === 'officer') === (side === 'officer');

/** Declares the fault, crash and duplicate-delivery tests for `profile`'s routes of `side`. */
export function describeFaults(profile: string, fixture: MatrixFixture, side: Side): void {
  const catalogue = loadCatalogue(profile);
  const mutating = routesOf(catalogue).filter(
    (r) => r.method !== 'GET' && !READ_ONLY.has(r.id) && onSide(side)(r),
  );
  const cases = mutating.flatMap((r) =>
    scenariosOf(r.id).map((s) => [s.label ? `${r.id} (${s.label})` : r.id, r, s] as const),
  );
  // One officer acts throughout; officer scenarios' effects are read with the same token.
  const officerSub = `officer-${randomUUID()}`;
  const officerToken = { groups: [OFFICER_GROUP] };
  let stack: TestStack;
  const figures = {
    faults: new Map<string, number>(),
    calls: new Map<string, number>(),
    byCall: new Map<string, number>(),
  };

  beforeAll(async () => {
    stack = await startTestStack(profile, { faults: true });
    stackEnv = stack.env;
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
      officer: (method, path, body) =>
        call(stack, method, path, {
          sub: officerSub,
          token: officerToken,
          ...(body === undefined ? {} : { body }),
        }),
      code: (address) => latestCode(stack, address),
      deliveries: 0,
      emailsSent: 0,
      inFlight: 0,
      since: { calls: 0, failed: 0 },
    };
  }

  async function request(
    route: Route,
    scenario: Scenario,
    m: Member,
    params: Record<string, string>,
    key: string,
  ) {
    const body = route.id === 'post-members' ? fixture.join(m.marker) : scenario.body?.(m, params);
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
    m.deliveries++;
    const caller =
      scenario.by === 'officer'
        ? { sub: officerSub, token: officerToken }
        : { sub: m.sub, token: fixture.token };
    const proxy = stack.faults!;
    if (m.inFlight++ === 0) m.since = { calls: proxy.calls.length, failed: proxy.failed.length };
    try {
      return await call(stack, route.method, path, {
        ...caller,
        headers: { 'idempotency-key': key },
        ...(body === undefined ? {} : { body }),
      });
    } finally {
      if (--m.inFlight === 0) {
        const sends = (calls: readonly SeenCall[]) => calls.filter((c) => c.operation === 'SendEmail').length;
        m.emailsSent += sends(proxy.calls.slice(m.since.calls)) - sends(proxy.failed.slice(m.since.failed));
      }
    }
  }

  /** The access records an officer scenario's deliveries may have left, for the checks above. */
  const deliveriesOf = (route: Route, scenario: Scenario, m: Member): Deliveries | undefined =>
    scenario.by === 'officer' && !scenario.memberless
      ? { memberId: m.sub, action: route.id, count: m.deliveries }
      : undefined;

  it(`has a scenario for every mutating ${side} route the profile serves`, () => {
    const missing = (routesOf(catalogue) as readonly Route[])
      .filter(onSide(side))
      .filter((r) => r.method !== 'GET' && !READ_ONLY.has(r.id) && scenariosOf(r.id).length === 0)
      .map((r) => r.id);
    expect(missing).toEqual([]);
  });

  describe.each(cases)('%s', (name, route, scenario) => {
    // Empty tables for each scenario: the state checks scan every table after each fault, so
    // tables that grew with every earlier scenario's members would make each check slower.
    beforeAll(() => emptyTables(stack, Object.keys(tables) as TableName[]));

    // A route without idempotency keys (post-request-action) runs again on every delivery; once
    // done, it refuses further deliveries with 409 instead of replaying its answer.
    const expectRepeat = (repeat: ApiResponse, first: ApiResponse, what: string) => {
      if (route.idempotent) expect(repeat.json, what).toEqual(first.json);
      else expect(repeat.status, `${what}: ${repeat.text}`).toBe(409);
    };

    // Every call of the request in turn, each with a fresh member: the longest test of the suite.
    it(
      'fails closed at each AWS call in turn, then completes exactly once on retry',
      { timeout: 300_000 },
      async () => {
        // The effect of one clean delivery, for comparison.
        const clean = member('clean');
        const cleanParams = await scenario.prepare(clean, fixture, catalogue);
        const cleanAnswer = await request(route, scenario, clean, cleanParams, randomUUID());
        expect(cleanAnswer.status, cleanAnswer.text).toBeLessThan(300);
        const expected = await scenario.effect(clean, cleanParams);

        for (let k = 0; k < 100; k++) {
          const m = member(`crash${k}`);
          const params = await scenario.prepare(m, fixture, catalogue);
          // The token's first use stands for the sign-in (its trigger failing fails the sign-in,
          // not the route); use it once so every injected fault lands in the route itself.
          await m.as('GET', '/v1/me');
          if (scenario.by === 'officer') await ledger(m);
          const key = randomUUID();
          stack.faults!.reset();
          // One failure at the k-th call, of a kind the SDK does not retry (a disabled KMS key, a
          // conflicting DynamoDB transaction, a rejected email, a denied call): a crash there.
          stack.faults!.inject({ after: k, times: 1, kind: 'realistic' });
          const failed = await request(route, scenario, m, params, key);
          const injected = stack.faults!.failed.length;
          // A transaction cancelled by a conflicting one is a lost race: 409, like a lost condition.
          const lostRace = stack.faults!.failed.some((f) => f.operation === 'TransactWriteItems');
          for (const f of stack.faults!.failed) {
            const at = `${f.service}:${f.operation}`;
            figures.byCall.set(at, (figures.byCall.get(at) ?? 0) + 1);
          }
          stack.faults!.reset();
          if (injected === 0) {
            // The request made only k calls: every one of them has been failed in turn.
            expect(failed.status, failed.text).toBeLessThan(300);
            figures.calls.set(name, k);
            break;
          }
          figures.faults.set(name, (figures.faults.get(name) ?? 0) + 1);
          expect(failed.text).not.toContain(m.marker);
          await expectNoHalfDoneState(stack, m.marker, deliveriesOf(route, scenario, m));
          if (failed.status < 300) {
            // The fault hit after the operation was done. In saving its idempotency record: the
            // operation is answered, and its record stays in progress until it expires; a retry
            // after that re-runs the operation, which must find it done. In closing its ledger
            // record (best effort): the idempotency record is complete, and a retry replays.
            const again = await request(route, scenario, m, params, key);
            if (again.status === 409) {
              await forgetIdempotencyRecords(stack);
              const rerun = await request(route, scenario, m, params, key);
              expect([200, 201, 404, 409], `re-run after call ${k}: ${rerun.text}`).toContain(rerun.status);
            } else {
              expectRepeat(again, failed, `replay after call ${k}`);
            }
          } else {
            expect(failed.status, `call ${k}: ${failed.text}`).toBe(lostRace ? 409 : 503);
            const retried = await request(route, scenario, m, params, key);
            expect(retried.status, `retry after call ${k}: ${retried.text}`).toBeLessThan(300);
            expectRepeat(await request(route, scenario, m, params, key), retried, `replay after call ${k}`);
          }
          expect(await scenario.effect(m, params), `effect after a fault at call ${k}`).toEqual(expected);
          const deliveries = deliveriesOf(route, scenario, m);
          if (deliveries) {
            // G17: the answered delivery wrote its record; failed ones wrote one at most each.
            const recorded = await accessRecordsOf(stack, m.sub, route.id);
            expect(recorded, `access records after call ${k}`).toBeGreaterThan(0);
            expect(recorded).toBeLessThanOrEqual(deliveries.count);
          }
        }
        expect(figures.calls.get(name), 'the request never completed without a fault').toBeGreaterThan(0);
      },
    );

    it('has one effect when delivered twice, one after the other', async () => {
      const m = member('twice');
      const params = await scenario.prepare(m, fixture, catalogue);
      const key = randomUUID();
      const first = await request(route, scenario, m, params, key);
      const second = await request(route, scenario, m, params, key);
      expect(first.status, first.text).toBeLessThan(300);
      expectRepeat(second, first, 'second delivery');
      const clean = member('once');
      const cleanParams = await scenario.prepare(clean, fixture, catalogue);
      await request(route, scenario, clean, cleanParams, randomUUID());
      expect(await scenario.effect(m, params)).toEqual(await scenario.effect(clean, cleanParams));
    });

    it('has one effect when delivered twice at the same time', async () => {
      const m = member('together');
      const params = await scenario.prepare(m, fixture, catalogue);
      const key = randomUUID();
      const answers = await Promise.all([
        request(route, scenario, m, params, key),
        request(route, scenario, m, params, key),
      ]);
      const ok = answers.filter((a) => a.status < 300);
      expect(ok.length, answers.map((a) => a.text).join('\n')).toBeGreaterThan(0);
      // The loser is told the same request is still running (or, without idempotency keys, that
      // it changed meanwhile or is done), or gets the winner's answer.
      for (const a of answers) if (a.status >= 300) expect(a.status, a.text).toBe(409);
      const clean = member('single');
      const cleanParams = await scenario.prepare(clean, fixture, catalogue);
      await request(route, scenario, clean, cleanParams, randomUUID());
      expect(await scenario.effect(m, params)).toEqual(await scenario.effect(clean, cleanParams));
    });
  });

  afterAll(() => {
    const per = (map: Map<string, number>) => [...map].map(([id, n]) => `${id}=${n}`).join(' ');
    const total = [...figures.faults.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(
      `faults (${profile}, ${side} routes): ${total} injected (${per(figures.faults)}); by call: ${per(figures.byCall)}; AWS calls per request: ${per(figures.calls)}; 0 plaintext, 0 half-done, 0 duplicated effects\n`,
    );
  });
}
