/** The member-rights routes (L1-L3, L7-L16, G1-G2, G7-G14): a member's token, their own data only. */
import * as z from 'zod/mini';
import {
  babyCorrectionSchema,
  babySchema,
  correctionSchema,
  joinSchema,
  memberItems,
  RESTRICTION_SCOPES,
} from './item-schemas';
import type { Route } from './route';

/** post-members: the route of lambdas/handlers/post-members.ts. */
export const postMembersRoute = {
  id: 'post-members',
  method: 'POST',
  path: '/v1/members',
  access: 'member',
  use: 'join',
  summary:
    'Join: the items the sign-in method requires, a decision per purpose, the age affirmation (L1, L2/G1, L3, L11/G13).',
  tags: ['members'],
  body: joinSchema,
  idempotent: true,
  responses: {
    201: {
      description:
        'Joined. The body names the member, never their data; while a policy change is announced, `upcomingPolicy` names it, and its notice is emailed (L18).',
    },
  },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: {
    tables: { members: 'readwrite', keys: 'write', idempotency: 'readwrite' },
    keys: { members: ['generate-data-key'], blindIndex: ['mac'] },
    // L18: a member joining while a change is announced is queued its notice.
    queues: { policyNotices: 'send' },
  },
} as const satisfies Route;

/** get-me: the route of lambdas/handlers/get-me.ts. */
export const getMeRoute = {
  id: 'get-me',
  method: 'GET',
  path: '/v1/me',
  access: 'member',
  use: 'view',
  summary: 'Everything held about the member, labelled by catalogue item and purpose (L14/G10).',
  tags: ['members'],
  responses: { 200: { description: 'The member view.' } },
  grants: {
    tables: { members: 'read', keys: 'read', accessLog: 'read', requests: 'append-update' },
    keys: { members: ['decrypt'], logs: ['decrypt'] },
  },
} as const satisfies Route;

/** patch-me: the route of lambdas/handlers/patch-me.ts. */
export const patchMeRoute = {
  id: 'patch-me',
  method: 'PATCH',
  path: '/v1/me',
  access: 'member',
  use: 'correct',
  summary: 'Correct items; those that need verification become pending corrections and are frozen (L15/G11).',
  tags: ['members'],
  body: correctionSchema,
  idempotent: true,
  responses: { 200: { description: 'Corrected, and the corrections pending verification.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite', requests: 'append-update' },
    keys: { members: ['decrypt'], blindIndex: ['mac'] },
    sendEmail: true,
  },
} as const satisfies Route;

/** confirm-correction: the route of lambdas/handlers/confirm-correction.ts. */
export const confirmCorrectionRoute = {
  id: 'confirm-correction',
  method: 'POST',
  path: '/v1/me/corrections/{correctionId}/confirm',
  access: 'member',
  use: 'correct',
  summary: 'Complete a pending correction with the code sent to the new value.',
  tags: ['members'],
  body: () => z.strictObject({ code: z.string().check(z.regex(/^\d{6}$/, 'must be the 6-digit code')) }),
  idempotent: true,
  responses: { 200: { description: 'The correction is complete; the item is no longer frozen.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite' },
    keys: { members: ['decrypt'], blindIndex: ['mac'] },
    sendEmail: true,
  },
} as const satisfies Route;

/** post-baby: the route of lambdas/handlers/post-baby.ts. */
export const postBabyRoute = {
  id: 'post-baby',
  method: 'POST',
  path: '/v1/me/babies',
  access: 'member',
  use: 'add-baby',
  summary: 'Register a baby.',
  tags: ['babies'],
  body: babySchema,
  idempotent: true,
  enabled: (c) => memberItems(c, 'baby').length > 0,
  responses: { 201: { description: 'Registered; the body names the baby.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite' },
    keys: { members: ['decrypt'] },
  },
} as const satisfies Route;

/** patch-baby: the route of lambdas/handlers/patch-baby.ts. */
export const patchBabyRoute = {
  id: 'patch-baby',
  method: 'PATCH',
  path: '/v1/me/babies/{babyId}',
  access: 'member',
  use: 'correct',
  summary: "Correct a baby's items.",
  tags: ['babies'],
  body: babyCorrectionSchema,
  idempotent: true,
  enabled: (c) => memberItems(c, 'baby').length > 0,
  responses: { 200: { description: 'Corrected.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite' },
    keys: { members: ['decrypt'] },
  },
} as const satisfies Route;

/** delete-baby: the route of lambdas/handlers/delete-baby.ts. */
export const deleteBabyRoute = {
  id: 'delete-baby',
  method: 'DELETE',
  path: '/v1/me/babies/{babyId}',
  access: 'member',
  use: 'delete',
  summary: "Delete a baby and all of the baby's items.",
  tags: ['babies'],
  idempotent: true,
  enabled: (c) => memberItems(c, 'baby').length > 0,
  responses: { 204: { description: 'Deleted.' } },
  grants: { tables: { members: 'readwrite', idempotency: 'readwrite' } },
} as const satisfies Route;

/** post-purchase: the route of lambdas/handlers/post-purchase.ts. */
export const postPurchaseRoute = {
  id: 'post-purchase',
  method: 'POST',
  path: '/v1/me/purchases',
  access: 'member',
  use: 'purchase',
  summary:
    'Record a purchase made in the service; it is kept as its retention class says, from the purchase (L10).',
  tags: ['records'],
  body: () =>
    z.strictObject({
      product: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
      // In the currency's minor unit.
      amount: z.int().check(z.minimum(0), z.maximum(1_000_000_000_000)),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW')),
    }),
  idempotent: true,
  enabled: (c) => c.serviceRecords?.purchases !== undefined,
  responses: {
    201: { description: 'Recorded; the body names the record and its retention, not its content.' },
  },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite' },
    keys: { members: ['decrypt'] },
  },
} as const satisfies Route;

/** get-export: the route of lambdas/handlers/get-export.ts. */
export const getExportRoute = {
  id: 'get-export',
  method: 'GET',
  path: '/v1/me/export',
  access: 'member',
  use: 'export',
  summary: 'A machine-readable export of what the member provided and the service records (L16).',
  tags: ['members'],
  responses: { 200: { description: 'The export, as a JSON download.' } },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: {
    tables: { members: 'read', keys: 'read', accessLog: 'read', requests: 'append-update' },
    keys: { members: ['decrypt'], logs: ['decrypt'] },
  },
} as const satisfies Route;

/** get-consents: the route of lambdas/handlers/get-consents.ts. */
export const getConsentsRoute = {
  id: 'get-consents',
  method: 'GET',
  path: '/v1/me/consents',
  access: 'member',
  use: 'view',
  summary: 'Every purpose with its legal basis, the current decision and its history (L1, L16).',
  tags: ['consents'],
  responses: { 200: { description: 'The consents.' } },
  grants: { tables: { members: 'read' } },
} as const satisfies Route;

/** put-consent: the route of lambdas/handlers/put-consent.ts. */
export const putConsentRoute = {
  id: 'put-consent',
  method: 'PUT',
  path: '/v1/me/consents/{purpose}',
  access: 'member',
  use: 'decide-consent',
  summary: 'Grant or withdraw consent to an optional purpose; withdrawing destroys what only it justified.',
  tags: ['consents'],
  body: () => z.strictObject({ granted: z.boolean() }),
  idempotent: true,
  responses: { 200: { description: 'The decision, recorded.' } },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: { tables: { members: 'readwrite', idempotency: 'readwrite', requests: 'append-update' } },
} as const satisfies Route;

/** put-restriction: the route of lambdas/handlers/put-restriction.ts. */
export const putRestrictionRoute = {
  id: 'put-restriction',
  method: 'PUT',
  path: '/v1/me/restriction',
  access: 'member',
  use: 'restrict',
  summary: 'Restrict or object to processing: the data is only stored (L16).',
  tags: ['members'],
  body: () =>
    z.strictObject({
      scope: z.enum(RESTRICTION_SCOPES),
      reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    }),
  idempotent: true,
  responses: { 200: { description: 'Restricted.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite', requests: 'append-update' },
    keys: { members: ['decrypt'] },
  },
} as const satisfies Route;

/** delete-restriction: the route of lambdas/handlers/delete-restriction.ts. */
export const deleteRestrictionRoute = {
  id: 'delete-restriction',
  method: 'DELETE',
  path: '/v1/me/restriction',
  access: 'member',
  use: 'lift-restriction',
  summary: 'Lift a restriction; the member is told before it is lifted.',
  tags: ['members'],
  idempotent: true,
  responses: { 200: { description: 'Lifted, after the notice.' } },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite' },
    keys: { members: ['decrypt'] },
    sendEmail: true,
  },
} as const satisfies Route;

/** delete-me: the route of lambdas/handlers/delete-me.ts. */
export const deleteMeRoute = {
  id: 'delete-me',
  method: 'DELETE',
  path: '/v1/me',
  access: 'member',
  use: 'withdraw',
  summary:
    'Withdraw: keep what a law requires in the vault, destroy the rest, shred the key; returns a signed receipt.',
  tags: ['members'],
  idempotent: true,
  responses: { 200: { description: 'The signed deletion receipt.' } },
  grants: {
    tables: {
      members: 'readwrite',
      keys: 'readwrite',
      vault: 'readwrite',
      idempotency: 'readwrite',
      requests: 'append-update',
    },
    keys: { members: ['decrypt'], vault: ['generate-data-key'], receipts: ['sign'] },
    deleteAccounts: true,
  },
} as const satisfies Route;

/** verify-receipt: the route of lambdas/handlers/verify-receipt.ts. */
export const verifyReceiptRoute = {
  id: 'verify-receipt',
  method: 'POST',
  path: '/v1/receipts/verify',
  access: 'public',
  summary: 'Verify the signature of a deletion receipt.',
  tags: ['receipts'],
  body: () =>
    z.strictObject({
      receipt: z.record(z.string(), z.unknown()),
      signature: z.string().check(z.maxLength(512)),
      // The receipt as DELETE /v1/me returned it can be posted as it is.
      algorithm: z.optional(z.literal('ECDSA_SHA_256')),
    }),
  responses: { 200: { description: 'Whether the receipt is genuine and unaltered.' } },
  grants: { keys: { receipts: ['verify'] } },
} as const satisfies Route;

/** Member routes, in the order of the OpenAPI document. */
export const memberRoutes = [
  postMembersRoute,
  getMeRoute,
  patchMeRoute,
  confirmCorrectionRoute,
  postBabyRoute,
  patchBabyRoute,
  deleteBabyRoute,
  postPurchaseRoute,
  getExportRoute,
  getConsentsRoute,
  putConsentRoute,
  putRestrictionRoute,
  deleteRestrictionRoute,
  deleteMeRoute,
  verifyReceiptRoute,
] as const;
