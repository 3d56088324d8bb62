/**
 * The privacy officer's breach routes (PIPA Art. 34; GDPR Arts. 33-34): record a breach, which
 * starts the two 72-hour clocks and the member notices; read the breaches and the regulator's
 * report; record a filing or close. The `privacy-officer` group only, each call recorded (G17).
 */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import { nonBlank } from './item-schemas';
import { officer } from './officer';
import type { Route } from './route';

const instant = () => z.iso.datetime({ offset: true });
const memberId = () => z.string().check(z.regex(/^[\w-]{1,128}$/, 'must be a member id'));
/** A text a person reads, in Korean and English. */
const localized = (max: number) => z.strictObject({ ko: nonBlank(max), en: nonBlank(max) });
const breachIdParam = 'breachId';

/** Members a stated list may name; larger breaches are a query or `all`. */
export const MAX_LISTED_MEMBERS = 1_000;

/** Items a member's profile holds, which a query may select members by. */
function profileItems(c: Catalogue): [string, ...string[]] {
  return Object.entries(c.items)
    .filter(([, item]) => item.store === 'members' && item.subject === 'member')
    .map(([id]) => id) as [string, ...string[]];
}

/** The body of POST /v1/admin/breaches. */
export function breachSchema(c: Catalogue) {
  return z.strictObject({
    reason: nonBlank(500),
    discoveredAt: instant(),
    occurredAt: z.optional(instant()),
    items: z
      .array(z.enum(Object.keys(c.items) as [string, ...string[]]))
      .check(z.minLength(1), z.maxLength(Object.keys(c.items).length)),
    cause: z.strictObject({ outsideAttack: z.boolean(), description: localized(2000) }),
    measures: localized(2000),
    memberActions: z.optional(localized(2000)),
    affected: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('list'),
        memberIds: z.array(memberId()).check(z.minLength(1), z.maxLength(MAX_LISTED_MEMBERS)),
      }),
      z.strictObject({
        kind: z.literal('query'),
        holding: z.array(z.enum(profileItems(c))).check(z.minLength(1), z.maxLength(50)),
        joinedAfter: z.optional(instant()),
        joinedBefore: z.optional(instant()),
      }),
      z.strictObject({ kind: z.literal('all') }),
    ]),
    euMembers: z.optional(z.boolean()),
  });
}

const text = (example: string) => z.string().check(z.meta({ examples: [example] }));
const at = () => text('2026-11-30T09:00:00.000Z');
const count = (example: number) => z.int().check(z.meta({ examples: [example] }));
const flag = (example: boolean) => z.boolean().check(z.meta({ examples: [example] }));
const bilingual = () =>
  z.looseObject({
    ko: text('외부 공격으로 회원 데이터베이스가 유출됨'),
    en: text('The member database was exfiltrated by an outside attacker'),
  });
const clock = () => z.looseObject({ dueAt: at(), metAt: z.optional(at()), state: text('open') });

/** A breach as the officer reads it. */
export const breachResponse = () =>
  z.looseObject({
    breachId: text('0f7a3c52-9d1e-5b4a-8c3f-2e6d9a1b7c40'),
    status: text('open'),
    recordedAt: at(),
    discoveredAt: at(),
    occurredAt: z.optional(at()),
    items: z.array(text('email')),
    cause: z.looseObject({ outsideAttack: flag(false), description: bilingual() }),
    affected: z.looseObject({ kind: text('all'), listed: z.optional(count(3)) }),
    euMembers: flag(false),
    clocks: z.looseObject({
      members: clock(),
      regulator: z.looseObject({ ...clock().shape, authorities: z.array(text('pipc')) }),
    }),
    notices: z.looseObject({
      found: flag(true),
      identified: count(1000),
      sent: count(990),
      undeliverable: count(10),
      gone: count(0),
      waiting: count(0),
    }),
    filings: z.array(
      z.looseObject({
        regulator: text('pipc'),
        filedAt: at(),
        reference: text('PIPC-2026-0001'),
        by: text('officer-1'),
      }),
    ),
    closedAt: z.optional(at()),
    closeReason: z.optional(text('Regulator report filed late: the count was confirmed on day 4.')),
  });

/** The listing of breaches. */
export const breachesResponse = () => z.looseObject({ breaches: z.array(breachResponse()) });

/** The regulator's report as JSON. */
export const breachReportResponse = () =>
  z.looseObject({
    breachId: text('0f7a3c52-9d1e-5b4a-8c3f-2e6d9a1b7c40'),
    operator: z.looseObject({ name: bilingual(), service: bilingual() }),
    officer: z.looseObject({ name: bilingual() }),
    authorities: z.array(
      z.looseObject({
        id: text('pipc'),
        name: bilingual(),
        filing: bilingual(),
        law: text('pipa'),
        because: z.array(text('minMembers')),
      }),
    ),
    items: z.array(z.looseObject({ id: text('email'), label: bilingual() })),
    discoveredAt: at(),
    cause: z.looseObject({ outsideAttack: flag(false), description: bilingual() }),
    membersAffected: z.looseObject({ count: count(1000), final: flag(true), euMembers: flag(false) }),
    measures: bilingual(),
    memberActions: bilingual(),
    helpDesk: bilingual(),
    memberNotices: z.looseObject({ sent: count(990), undeliverable: count(10), waiting: count(0) }),
    clocks: z.looseObject({}),
    preparedAt: at(),
  });

/** One breach with the ledger of its steps and the regulator's report. */
export const breachDetailResponse = () =>
  z.looseObject({
    ...breachResponse().shape,
    ledger: z.array(
      z.looseObject({
        at: at(),
        step: text('recorded'),
        by: text('officer-1'),
        details: z.optional(z.looseObject({})),
      }),
    ),
    report: breachReportResponse(),
  });

/** The formats of a breach: JSON, or the regulator's report as HTML or Markdown; the first is the default. */
export const BREACH_TYPES = ['application/json', 'text/html', 'text/markdown'] as const;

/** post-breach: the route of lambdas/handlers/post-breach.ts. */
export const postBreachRoute = {
  id: 'post-breach',
  method: 'POST',
  path: '/v1/admin/breaches',
  access: 'officer',
  summary:
    'Record a personal-data breach (PIPA Art. 34; GDPR Arts. 33-34): both 72-hour clocks start from its discovery, and every affected member is emailed.',
  tags: ['officer', 'breaches'],
  body: breachSchema,
  idempotent: true,
  responses: {
    201: {
      description: 'Recorded; its notices are on their way.',
      schema: breachResponse,
      links: {
        read: { operationId: 'get-breach', parameters: { breachId: '$response.body#/breachId' } },
        act: { operationId: 'post-breach-action', parameters: { breachId: '$response.body#/breachId' } },
      },
    },
  },
  raises: {
    'rule-violated': 'Discovered in the future, or occurred after its discovery.',
  },
  // The breach is only ever added here (a retry reads the one its first attempt stored).
  grants: /* @__PURE__ */ officer({
    tables: { breaches: 'read-append', idempotency: 'readwrite' },
    queues: { policyNotices: 'send' },
  }),
} as const satisfies Route;

/** get-breaches: the route of lambdas/handlers/get-breaches.ts. */
export const getBreachesRoute = {
  id: 'get-breaches',
  method: 'GET',
  path: '/v1/admin/breaches',
  access: 'officer',
  summary: 'Breaches, newest first, with both clocks and the progress of their notices.',
  tags: ['officer', 'breaches'],
  responses: { 200: { description: 'The breaches.', schema: breachesResponse } },
  raises: {},
  grants: /* @__PURE__ */ officer({ tables: { breaches: 'read' } }),
} as const satisfies Route;

/** get-breach: the route of lambdas/handlers/get-breach.ts. */
export const getBreachRoute = {
  id: 'get-breach',
  method: 'GET',
  path: `/v1/admin/breaches/{${breachIdParam}}`,
  access: 'officer',
  summary:
    "One breach: its clocks, notices, filings, the ledger of every step, and the regulator's report (PIPA Enforcement Decree Art. 40; GDPR Art. 33(3)), which HTML and Markdown render, in Korean and English, for the officer to file.",
  tags: ['officer', 'breaches'],
  responses: {
    200: {
      description:
        "The breach as JSON (default), with its ledger and `report`; or the regulator's report alone as HTML or Markdown, by the Accept header.",
      contentTypes: BREACH_TYPES,
      schema: breachDetailResponse,
    },
  },
  raises: {
    'not-found': 'No such breach.',
    'not-acceptable': 'The Accept header admits none of JSON, HTML and Markdown.',
  },
  // The report names the officer of the policy version in force (L18).
  followsPolicyVersion: true,
  grants: /* @__PURE__ */ officer({ tables: { breaches: 'read' } }),
} as const satisfies Route;

/** post-breach-action: the route of lambdas/handlers/post-breach-action.ts. */
export const postBreachActionRoute = {
  id: 'post-breach-action',
  method: 'POST',
  path: `/v1/admin/breaches/{${breachIdParam}}/actions`,
  access: 'officer',
  summary:
    'Record the filing of the report with a regulator, or close the breach: never without both clocks met in time, or a reason.',
  tags: ['officer', 'breaches'],
  body: () =>
    z.discriminatedUnion('action', [
      z.strictObject({
        action: z.literal('file-report'),
        regulator: z.string().check(z.regex(/^[a-z][a-zA-Z0-9-]{0,63}$/, 'must be a regulator id')),
        filedAt: instant(),
        reference: nonBlank(200),
      }),
      z.strictObject({ action: z.literal('close'), reason: z.optional(nonBlank(2000)) }),
    ]),
  idempotent: true,
  responses: { 200: { description: 'The breach as it now stands.', schema: breachResponse } },
  raises: {
    'not-found': 'No such breach.',
    conflict: 'The breach is closed, the filing is already recorded, or the breach changed meanwhile.',
    'rule-violated':
      'A regulator the breach is not reported to, a filing in the future, or closing with a clock unmet and no reason.',
  },
  grants: /* @__PURE__ */ officer({ tables: { breaches: 'readwrite', idempotency: 'readwrite' } }),
} as const satisfies Route;

/** Breach routes, in the order of the OpenAPI document. */
export const breachRoutes = [
  postBreachRoute,
  getBreachesRoute,
  getBreachRoute,
  postBreachActionRoute,
] as const;
