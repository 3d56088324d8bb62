/**
 * The privacy officer's routes (L5/G6, L11/G13, L12, L14/G10, L15/G11, L16, G17): the
 * `privacy-officer` group only. Every one writes a handler access record before it returns
 * data, so each grants an append to the access-record chain and nothing more on it.
 */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import { type Grants, type KeyUse, mergeGrants, SILO_FANOUT_GRANTS } from '../grants';
import type { TableName } from '../resources';
import { emailAddress, memberChangesSchema, memberItems, nonBlank, RESTRICTION_SCOPES } from './item-schemas';
import {
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  PROVISION_LEGAL_BASES,
  REQUEST_TYPES,
  VERIFICATION_METHODS,
} from './officer-vocabulary';
import {
  accessRecordsResponse,
  accessReviewResponse,
  accessReviewSummaryResponse,
  accessReviewsResponse,
  actionResponse,
  memberViewResponse,
  provisionResponse,
  provisionsResponse,
  publishedResponse,
  receiptResponse,
  recordsOfProcessingResponse,
  reinstatedResponse,
  requestResponse,
  requestsResponse,
  suspendedResponse,
  versionsResponse,
} from './responses';
import type { Route } from './route';

export {
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  PROVISION_LEGAL_BASES,
  REQUEST_ACTIONS,
  REQUEST_TYPES,
  VERIFICATION_METHODS,
} from './officer-vocabulary';

const text = nonBlank;
const reason = () => text(500);
const memberId = () => z.string().check(z.regex(/^[\w-]{1,128}$/, 'must be a member id'));
const instant = () => z.iso.datetime({ offset: true });

/** Grants every officer route needs to write its access record (append only, G17). */
export function officer(grants: Grants, logUses: readonly KeyUse[] = []): Grants {
  const tables: Partial<Record<TableName, NonNullable<Grants['tables']>[TableName]>> = {
    ...grants.tables,
    handlerAccess: 'read-append',
  };
  return {
    ...grants,
    tables,
    keys: {
      ...grants.keys,
      logs: [...new Set<KeyUse>(['encrypt', ...logUses, ...(grants.keys?.logs ?? [])])],
    },
  };
}

/** The body of POST /v1/admin/requests/{requestId}/actions: one action and what it needs. */
export function requestActionSchema(c: Catalogue) {
  return z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('view') }),
    z.strictObject({ action: z.literal('export'), downloadReason: reason() }),
    z.strictObject({ action: z.literal('correct'), items: memberChangesSchema(c) }),
    z.strictObject({ action: z.literal('delete') }),
    z.strictObject({ action: z.literal('restrict'), scope: z.enum(RESTRICTION_SCOPES), reason: reason() }),
    z.strictObject({
      action: z.literal('withdraw-consent'),
      purpose: z.enum(Object.keys(c.purposes) as [string, ...string[]]),
    }),
    // A withdrawal of the separate consent to a recipient, by phone or letter (L5/G6); only
    // where the policy names recipients.
    ...(Object.keys(c.thirdParties).length > 0
      ? [
          z.strictObject({
            action: z.literal('withdraw-provision-consent'),
            recipient: z.enum(Object.keys(c.thirdParties) as [string, ...string[]]),
          }),
        ]
      : []),
    z.strictObject({ action: z.literal('refuse'), reason: reason() }),
  ]);
}

const verificationSchema = () =>
  z.strictObject({ method: z.enum(VERIFICATION_METHODS), reference: text(200) });

const withdrawalGrants: Grants = mergeGrants(
  {
    tables: {
      members: 'readwrite',
      keys: 'readwrite',
      vault: 'readwrite',
      idempotency: 'readwrite',
      outbox: 'append',
    },
    keys: { members: ['decrypt'], vault: ['generate-data-key'], receipts: ['sign'] },
    deleteAccounts: true,
    // Every version of the member's photos goes with them (L8).
    photos: ['erase'],
    // Each recipient of the member's data is told of the erasure (GDPR Art. 19).
    sendEmail: true,
  },
  SILO_FANOUT_GRANTS,
);

/** post-request: the route of lambdas/handlers/post-request.ts. */
export const postRequestRoute = {
  id: 'post-request',
  method: 'POST',
  path: '/v1/admin/requests',
  access: 'officer',
  summary:
    'Log a rights request received by letter, phone or email; it can be acted on once identity is verified (L14/G10).',
  tags: ['officer'],
  body: () =>
    z.strictObject({
      memberId: memberId(),
      type: z.enum(REQUEST_TYPES),
      channel: z.enum(OFFLINE_CHANNELS),
      receivedAt: z.optional(instant()),
      jurisdiction: z.optional(z.enum(JURISDICTIONS)),
      verification: z.optional(verificationSchema()),
    }),
  idempotent: true,
  responses: {
    201: {
      description: 'Logged, with its deadline.',
      schema: requestResponse,
      links: {
        verify: {
          operationId: 'post-request-verification',
          parameters: { requestId: '$response.body#/requestId' },
        },
        act: { operationId: 'post-request-action', parameters: { requestId: '$response.body#/requestId' } },
        extend: {
          operationId: 'post-request-extension',
          parameters: { requestId: '$response.body#/requestId' },
        },
      },
    },
  },
  raises: {
    'not-found': 'No such member.',
    conflict: 'The same request is already open.',
    'rule-violated': 'The verification does not suit the request.',
  },
  // A retry finds the request its first attempt recorded and answers with it: read as well as append.
  grants: /* @__PURE__ */ officer({
    tables: { requests: 'read-append', members: 'read', idempotency: 'readwrite' },
  }),
} as const satisfies Route;

/** get-requests: the route of lambdas/handlers/get-requests.ts. */
export const getRequestsRoute = {
  id: 'get-requests',
  method: 'GET',
  path: '/v1/admin/requests',
  access: 'officer',
  summary: 'The request ledger, by status; `overdue=true` lists open requests past their deadline.',
  tags: ['officer'],
  query: () =>
    z.strictObject({
      status: z.optional(z.enum(['awaiting-verification', 'open', 'acting', 'completed', 'refused'])),
      overdue: z.optional(z.enum(['true', 'false'])),
      member: z.optional(memberId()),
    }),
  responses: { 200: { description: 'The matching requests, newest first.', schema: requestsResponse } },
  raises: {},
  grants: /* @__PURE__ */ officer({ tables: { requests: 'read' } }),
} as const satisfies Route;

/** post-request-verification: the route of lambdas/handlers/post-request-verification.ts. */
export const postRequestVerificationRoute = {
  id: 'post-request-verification',
  method: 'POST',
  path: '/v1/admin/requests/{requestId}/verification',
  access: 'officer',
  summary: "Record how the requester's identity was verified; only then can the request be acted on.",
  tags: ['officer'],
  body: verificationSchema,
  idempotent: true,
  responses: {
    200: {
      description: 'Verified; the request is open.',
      schema: requestResponse,
      links: {
        act: { operationId: 'post-request-action', parameters: { requestId: '$response.body#/requestId' } },
      },
    },
  },
  raises: {
    'not-found': 'No such request.',
    conflict: 'The request is already verified or closed.',
    'concurrent-change': 'The request changed meanwhile.',
    'rule-violated': 'The verification method does not suit the channel.',
  },
  grants: /* @__PURE__ */ officer({ tables: { requests: 'readwrite', idempotency: 'readwrite' } }),
} as const satisfies Route;

/** post-request-extension: the route of lambdas/handlers/post-request-extension.ts. */
export const postRequestExtensionRoute = {
  id: 'post-request-extension',
  method: 'POST',
  path: '/v1/admin/requests/{requestId}/extension',
  access: 'officer',
  summary: 'Extend the deadline of a GDPR request by up to the catalogue maximum, with a recorded reason.',
  tags: ['officer'],
  body: () => z.strictObject({ months: z.int().check(z.minimum(1), z.maximum(12)), reason: reason() }),
  idempotent: true,
  responses: { 200: { description: 'The new deadline.', schema: requestResponse } },
  raises: {
    'not-found': 'No such request.',
    conflict: 'The request is closed, already extended, or not under a law that allows an extension.',
    'concurrent-change': 'The request changed meanwhile.',
    'rule-violated': 'The extension is longer than the catalogue allows.',
  },
  // The member is told of the extension and its reason by email (GDPR Art. 12(3)).
  grants: /* @__PURE__ */ officer({
    tables: { requests: 'readwrite', idempotency: 'readwrite', members: 'read', keys: 'read' },
    keys: { members: ['decrypt'] },
    sendEmail: true,
  }),
} as const satisfies Route;

/** post-request-action: the route of lambdas/handlers/post-request-action.ts. */
export const postRequestActionRoute = {
  id: 'post-request-action',
  method: 'POST',
  path: '/v1/admin/requests/{requestId}/actions',
  access: 'officer',
  summary:
    'Fulfil a verified request through the self-service operations: view, export, correct, delete, restrict, withdraw consent, or refuse.',
  tags: ['officer'],
  body: requestActionSchema,
  // Not idempotent: view and export answer with personal data, which the idempotency store must
  // never hold. The request is claimed while its action runs and refuses actions once closed,
  // so concurrent or repeated deliveries act once.
  responses: {
    200: { description: 'The outcome; for a deletion, the signed receipt.', schema: actionResponse },
  },
  raises: {
    'not-found': 'No such request, or its member, baby, purpose or restriction.',
    conflict: 'The request is not verified, closed, or being acted on; a required purpose.',
    'concurrent-change': 'The request or membership changed meanwhile.',
    'rule-violated': 'The action does not answer the request, or breaks a rule of the policy.',
  },
  // Exports and consent withdrawals state the policy version in force (L1, L18).
  followsPolicyVersion: true,
  grants: /* @__PURE__ */ officer(
    {
      tables: {
        members: 'readwrite',
        keys: 'readwrite',
        vault: 'readwrite',
        accessLog: 'read',
        requests: 'readwrite',
        outbox: 'append',
      },
      keys: {
        members: ['decrypt'],
        vault: ['generate-data-key'],
        receipts: ['sign'],
        blindIndex: ['mac'],
      },
      sendEmail: true,
      deleteAccounts: true,
      // A deletion queues the erasure in the operator's silos; an export reads them.
      queues: { silos: 'send' },
      silos: 'read',
      // Erasure withdraws, and a consent withdrawn by phone or letter erases its photos (L8, L1);
      // an export lists each photo's metadata (HEAD), as the member's own export does (L16).
      photos: ['download', 'erase'],
    },
    ['decrypt'],
  ),
} as const satisfies Route;

/** get-admin-member: the route of lambdas/handlers/get-admin-member.ts. */
export const getAdminMemberRoute = {
  id: 'get-admin-member',
  method: 'GET',
  path: '/v1/admin/members/{memberId}',
  access: 'officer',
  summary: 'Everything held about a member; the stated reason is recorded (G17).',
  tags: ['officer'],
  query: () => z.strictObject({ reason: reason() }),
  responses: { 200: { description: 'The member view.', schema: memberViewResponse } },
  raises: { 'not-found': 'No such member.' },
  grants: /* @__PURE__ */ officer(
    { tables: { members: 'read', keys: 'read', accessLog: 'read' }, keys: { members: ['decrypt'] } },
    ['decrypt'],
  ),
} as const satisfies Route;

/** post-member-terminate: the route of lambdas/handlers/post-member-terminate.ts. */
export const postMemberTerminateRoute = {
  id: 'post-member-terminate',
  method: 'POST',
  path: '/v1/admin/members/{memberId}/terminate',
  access: 'officer',
  summary:
    'Terminate the membership of a child found to be under the minimum age, without delay, through withdrawal (L11/G13).',
  tags: ['officer'],
  body: () => z.strictObject({ reason: reason() }),
  idempotent: true,
  responses: { 200: { description: 'Terminated; the signed deletion receipt.', schema: receiptResponse } },
  raises: { 'not-found': 'No such member.', 'concurrent-change': 'The membership changed meanwhile.' },
  grants: /* @__PURE__ */ officer(withdrawalGrants),
} as const satisfies Route;

/** post-member-suspend: the route of lambdas/handlers/post-member-suspend.ts. */
export const postMemberSuspendRoute = {
  id: 'post-member-suspend',
  method: 'POST',
  path: '/v1/admin/members/{memberId}/suspend',
  access: 'officer',
  summary:
    'Suspend a membership for false information (L12): the member may then only view, export and withdraw.',
  tags: ['officer'],
  body: () => z.strictObject({ reason: reason() }),
  idempotent: true,
  responses: {
    200: {
      description: 'Suspended.',
      schema: suspendedResponse,
      links: {
        reinstate: {
          operationId: 'post-member-reinstate',
          parameters: { memberId: '$response.body#/memberId' },
        },
      },
    },
  },
  raises: {
    'not-found': 'No such member.',
    conflict: 'Already suspended.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  grants: /* @__PURE__ */ officer({
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite', outbox: 'append' },
    keys: { members: ['decrypt'] },
  }),
} as const satisfies Route;

/** post-member-reinstate: the route of lambdas/handlers/post-member-reinstate.ts. */
export const postMemberReinstateRoute = {
  id: 'post-member-reinstate',
  method: 'POST',
  path: '/v1/admin/members/{memberId}/reinstate',
  access: 'officer',
  summary: 'Lift a suspension.',
  tags: ['officer'],
  body: () => z.strictObject({ reason: reason() }),
  idempotent: true,
  responses: { 200: { description: 'Reinstated.', schema: reinstatedResponse } },
  raises: {
    'not-found': 'No such member.',
    conflict: 'Not suspended.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  grants: /* @__PURE__ */ officer({
    tables: { members: 'readwrite', idempotency: 'readwrite', outbox: 'append' },
  }),
} as const satisfies Route;

/** post-provision: the route of lambdas/handlers/post-provision.ts. */
export const postProvisionRoute = {
  id: 'post-provision',
  method: 'POST',
  path: '/v1/admin/provisions',
  access: 'officer',
  summary:
    "Record a provision to a third party on a basis the policy allows: the member's separate consent to a recipient the policy names (PUT /v1/me/provision-consents/{recipient}), for the purposes and items it names, or another allowed basis with its reference; only items declared for the purpose, never frozen items or restricted members (L5/G6, L15/G11).",
  tags: ['officer'],
  body: (c) =>
    z.strictObject({
      memberId: memberId(),
      recipient: z.strictObject({ name: text(200), contact: emailAddress() }),
      items: z
        .array(z.enum(memberItems(c).map(([id]) => id) as [string, ...string[]]))
        .check(z.minLength(1), z.maxLength(50)),
      purpose: z.enum(Object.keys(c.purposes) as [string, ...string[]]),
      basis: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('consent') }),
        z.strictObject({ type: z.enum(PROVISION_LEGAL_BASES), reference: text(300) }),
      ]),
    }),
  idempotent: true,
  responses: {
    201: { description: 'Recorded; the member sees it in GET /v1/me.', schema: provisionResponse },
  },
  raises: {
    'not-found': 'No such member.',
    conflict: 'Processing is restricted, or an item is frozen by a pending correction.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated':
      'A basis the policy does not allow, an item not declared for the purpose or not held, or no consent to the provision.',
  },
  grants: /* @__PURE__ */ officer({ tables: { members: 'readwrite', idempotency: 'readwrite' } }),
} as const satisfies Route;

/** get-provisions: the route of lambdas/handlers/get-provisions.ts. */
export const getProvisionsRoute = {
  id: 'get-provisions',
  method: 'GET',
  path: '/v1/admin/provisions',
  access: 'officer',
  summary: "A member's provisions to third parties and the correction notices sent to each recipient.",
  tags: ['officer'],
  query: () => z.strictObject({ member: memberId() }),
  responses: { 200: { description: 'The provisions, newest first.', schema: provisionsResponse } },
  raises: { 'not-found': 'No such member.' },
  grants: /* @__PURE__ */ officer({ tables: { members: 'read' } }),
} as const satisfies Route;

/** get-access-records: the route of lambdas/handlers/get-access-records.ts. */
export const getAccessRecordsRoute = {
  id: 'get-access-records',
  method: 'GET',
  path: '/v1/admin/access-records',
  access: 'officer',
  summary:
    'Handler access records, newest first, by officer, member and time (G17); `verify=true` also checks the whole hash chain.',
  tags: ['officer'],
  query: () =>
    z.strictObject({
      officer: z.optional(memberId()),
      member: z.optional(memberId()),
      from: z.optional(instant()),
      to: z.optional(instant()),
      verify: z.optional(z.enum(['true', 'false'])),
    }),
  responses: {
    200: { description: 'The records, with source IPs and reasons.', schema: accessRecordsResponse },
  },
  raises: { 'rule-violated': 'The time range is reversed.' },
  grants: /* @__PURE__ */ officer({}, ['decrypt']),
} as const satisfies Route;

/** get-access-reviews: the route of lambdas/handlers/get-access-reviews.ts. */
export const getAccessReviewsRoute = {
  id: 'get-access-reviews',
  method: 'GET',
  path: '/v1/admin/access-reviews',
  access: 'officer',
  summary:
    'The monthly reviews of handler access records, newest first, each open or signed off and whether it is overdue (Korean safety standard Art. 8).',
  tags: ['officer'],
  responses: { 200: { description: 'The reviews and how many are overdue.', schema: accessReviewsResponse } },
  raises: {},
  grants: /* @__PURE__ */ officer({ tables: { accessReviews: 'read' } }),
} as const satisfies Route;

/** get-access-review: the route of lambdas/handlers/get-access-review.ts. */
export const getAccessReviewRoute = {
  id: 'get-access-review',
  method: 'GET',
  path: '/v1/admin/access-reviews/{month}',
  access: 'officer',
  summary:
    "A month's review (YYYY-MM) with each officer's evidence: counts by action and member, downloads with their reasons, actions outside working hours, volume against the officer's history, and the hash chain's check.",
  tags: ['officer'],
  responses: { 200: { description: 'The review and its evidence.', schema: accessReviewResponse } },
  raises: { 'not-found': 'No review of that month is assembled (or the month is not YYYY-MM).' },
  grants: /* @__PURE__ */ officer({ tables: { accessReviews: 'read' } }),
} as const satisfies Route;

/** post-access-review-sign-off: the route of lambdas/handlers/post-access-review-sign-off.ts. */
export const postAccessReviewSignOffRoute = {
  id: 'post-access-review-sign-off',
  method: 'POST',
  path: '/v1/admin/access-reviews/{month}/sign-off',
  access: 'officer',
  summary:
    "Sign a month's review off with the privacy officer's note; once only (Korean safety standard Art. 8).",
  tags: ['officer'],
  body: () => z.strictObject({ note: text(2000), reason: reason() }),
  idempotent: true,
  responses: { 200: { description: 'Signed off.', schema: accessReviewSummaryResponse } },
  raises: {
    'not-found': 'No review of that month is assembled (or the month is not YYYY-MM).',
    conflict: 'The review is signed off already.',
  },
  grants: /* @__PURE__ */ officer({ tables: { accessReviews: 'readwrite', idempotency: 'readwrite' } }),
} as const satisfies Route;

/** post-policy-version: the route of lambdas/handlers/post-policy-version.ts. */
export const postPolicyVersionRoute = {
  id: 'post-policy-version',
  method: 'POST',
  path: '/v1/admin/policy-versions',
  access: 'officer',
  summary: 'Publish a policy version, effective after the notice lead; every member is emailed (L18).',
  tags: ['officer'],
  // The catalogue is checked by the catalogue's own schema and cross-references (422 naming the entry).
  body: () =>
    z.strictObject({
      catalogue: z.record(z.string(), z.unknown()),
      effectiveDate: z.iso.date(),
      summary: text(2000),
    }),
  idempotent: true,
  responses: {
    201: {
      description: 'Published; its notices are on their way to every member.',
      schema: publishedResponse,
    },
  },
  raises: {
    conflict: 'A version with this number exists, or one is already announced.',
    'rule-violated': 'Invalid catalogue or effective date.',
  },
  grants: /* @__PURE__ */ officer({
    tables: { policyVersions: 'readwrite', idempotency: 'readwrite' },
    queues: { policyNotices: 'send' },
  }),
} as const satisfies Route;

/** get-policy-versions: the route of lambdas/handlers/get-policy-versions.ts. */
export const getPolicyVersionsRoute = {
  id: 'get-policy-versions',
  method: 'GET',
  path: '/v1/admin/policy-versions',
  access: 'officer',
  summary: 'Published policy versions, their status and notice progress (L18).',
  tags: ['officer'],
  responses: { 200: { description: 'The versions, newest first.', schema: versionsResponse } },
  raises: {},
  grants: /* @__PURE__ */ officer({ tables: { policyVersions: 'read' } }),
} as const satisfies Route;

/** The formats of the records of processing; the first is the default. */
export const RECORDS_OF_PROCESSING_TYPES = ['application/json', 'text/html', 'text/csv'] as const;

/** get-records-of-processing: the route of lambdas/handlers/get-records-of-processing.ts. */
export const getRecordsOfProcessingRoute = {
  id: 'get-records-of-processing',
  method: 'GET',
  path: '/v1/admin/records-of-processing',
  access: 'officer',
  summary:
    'Records of processing (GDPR Art. 30) and the PIPA register, rendered from the catalogue in force: controller and officer, purposes and legal bases, data subjects and items, recipients, transfers, retention, security measures.',
  tags: ['officer'],
  responses: {
    200: {
      description:
        'The records in the format the Accept header prefers: JSON (default), HTML, or CSV (one row per processing activity).',
      contentTypes: RECORDS_OF_PROCESSING_TYPES,
      schema: recordsOfProcessingResponse,
    },
  },
  raises: { 'not-acceptable': 'The Accept header admits none of JSON, HTML and CSV.' },
  // The records follow the version in force, as the published policy does (L18).
  followsPolicyVersion: true,
  grants: /* @__PURE__ */ officer({}),
} as const satisfies Route;

/** Officer routes, in the order of the OpenAPI document. */
export const officerRoutes = [
  postRequestRoute,
  getRequestsRoute,
  postRequestVerificationRoute,
  postRequestExtensionRoute,
  postRequestActionRoute,
  getAdminMemberRoute,
  postMemberTerminateRoute,
  postMemberSuspendRoute,
  postMemberReinstateRoute,
  postProvisionRoute,
  getProvisionsRoute,
  getAccessRecordsRoute,
  getAccessReviewsRoute,
  getAccessReviewRoute,
  postAccessReviewSignOffRoute,
  postPolicyVersionRoute,
  getPolicyVersionsRoute,
  getRecordsOfProcessingRoute,
] as const;
