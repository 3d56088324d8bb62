/** The member-rights routes (L1-L3, L7-L16, G1-G2, G7-G14): a member's token, their own data only. */
import * as z from 'zod/mini';
import {
  babyCorrectionSchema,
  babySchema,
  correctionSchema,
  joinSchema,
  memberItems,
  nonBlank,
  RESTRICTION_SCOPES,
} from './item-schemas';
import {
  babyCorrectionResponse,
  babyResponse,
  confirmedResponse,
  consentResponse,
  consentsResponse,
  correctionResponse,
  exportResponse,
  joinedResponse,
  liftedResponse,
  memberViewResponse,
  provisionConsentResponse,
  purchaseResponse,
  receiptResponse,
  restrictionResponse,
  verificationResponse,
} from './responses';
import type { Route } from './route';

/** post-members: the route of lambdas/handlers/post-members.ts. */
export const postMembersRoute = {
  id: 'post-members',
  method: 'POST',
  path: '/v1/members',
  access: 'member',
  use: 'join',
  summary:
    "Join: the items the sign-in method requires, a decision per purpose, the age affirmation (L1, L2/G1, L3, L11/G13). The member's language (emails, pages) is what Accept-Language prefers of ko and en, Korean when it names neither.",
  tags: ['members'],
  body: joinSchema,
  idempotent: true,
  responses: {
    201: {
      description:
        'Joined. The body names the member, never their data; while a policy change is announced, `upcomingPolicy` names it, and its notice is emailed (L18).',
      schema: joinedResponse,
      links: {
        view: { operationId: 'get-me', parameters: {} },
        consents: { operationId: 'get-consents', parameters: {} },
      },
    },
  },
  raises: {
    forbidden: 'Below the minimum age, or no age affirmation (L11/G13).',
    conflict: 'Already a member, or an identifier another membership uses.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated':
      "A required consent or item is missing, an identifier differs from the sign-in's (G1, L2), or the policy version shown is not the one in force.",
  },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: {
    tables: { members: 'readwrite', keys: 'write', idempotency: 'readwrite', outbox: 'append' },
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
  responses: { 200: { description: 'The member view.', schema: memberViewResponse } },
  raises: { 'not-found': 'Not a member: join with POST /v1/members first.' },
  grants: {
    tables: { members: 'read', keys: 'read', accessLog: 'read', requests: 'append-update' },
    keys: { members: ['decrypt'], logs: ['decrypt'] },
    // Each photo's metadata (HEAD); one without its consent any longer is erased on sight.
    photos: ['download', 'erase'],
  },
} as const satisfies Route;

/** patch-me: the route of lambdas/handlers/patch-me.ts. */
export const patchMeRoute = {
  id: 'patch-me',
  method: 'PATCH',
  path: '/v1/me',
  access: 'member',
  use: 'correct',
  summary:
    'Correct items; those that need verification become pending corrections and are frozen (L15/G11). `lang` (ko or en) changes the language of the emails and pages.',
  tags: ['members'],
  body: correctionSchema,
  idempotent: true,
  responses: {
    200: {
      description: 'Corrected, and the corrections pending verification.',
      schema: correctionResponse,
      links: {
        confirm: {
          operationId: 'confirm-correction',
          parameters: { correctionId: '$response.body#/pending/0/correctionId' },
        },
      },
    },
  },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    conflict: 'A correction of the item is already pending.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated': 'The item may not be removed or changed this way.',
  },
  grants: {
    tables: {
      members: 'readwrite',
      keys: 'read',
      idempotency: 'readwrite',
      requests: 'append-update',
      outbox: 'append',
    },
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
  responses: {
    200: {
      description: 'The correction is complete; the item is no longer frozen.',
      schema: confirmedResponse,
    },
  },
  raises: {
    'not-found': 'Not a member, or no such pending correction.',
    conflict: 'The corrected value is in use by another membership.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated': 'Wrong or expired code.',
  },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite', outbox: 'append' },
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
  responses: {
    201: {
      description: 'Registered; the body names the baby.',
      schema: babyResponse,
      links: {
        correct: { operationId: 'patch-baby', parameters: { babyId: '$response.body#/babyId' } },
        delete: { operationId: 'delete-baby', parameters: { babyId: '$response.body#/babyId' } },
      },
    },
  },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated': 'Too many babies, or a required item is missing.',
  },
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
  responses: { 200: { description: 'Corrected.', schema: babyCorrectionResponse } },
  raises: {
    'not-found': 'Not a member, or no such baby.',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated': 'A required item may not be removed.',
  },
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
  raises: {
    'not-found': 'Not a member, or no such baby.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  // The baby's photos go first, every version (L8).
  grants: { tables: { members: 'readwrite', idempotency: 'readwrite' }, photos: ['erase'] },
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
      product: nonBlank(200),
      // In the currency's minor unit.
      amount: z.int().check(z.minimum(0), z.maximum(1_000_000_000_000)),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as KRW')),
    }),
  idempotent: true,
  enabled: (c) => c.serviceRecords?.purchases !== undefined,
  responses: {
    201: {
      description: 'Recorded; the body names the record and its retention, not its content.',
      schema: purchaseResponse,
    },
  },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    'concurrent-change': 'The membership changed meanwhile.',
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
  responses: { 200: { description: 'The export, as a JSON download.', schema: exportResponse } },
  raises: { 'not-found': 'Not a member: join with POST /v1/members first.' },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: {
    tables: { members: 'read', keys: 'read', accessLog: 'read', requests: 'append-update' },
    keys: { members: ['decrypt'], logs: ['decrypt'] },
    // The export includes what the operator's table and bucket silos hold of the member.
    silos: 'read',
    // Each photo's metadata (HEAD); one without its consent any longer is erased on sight.
    photos: ['download', 'erase'],
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
  responses: { 200: { description: 'The consents.', schema: consentsResponse } },
  raises: { 'not-found': 'Not a member: join with POST /v1/members first.' },
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
  responses: {
    200: {
      description:
        "The decision, recorded; a withdrawal names what it destroyed here and, when the operator's silos hold released items, their request and each silo's state.",
      schema: consentResponse,
    },
  },
  raises: {
    forbidden: 'Granting a consent while the membership is suspended, where the catalogue blocks it (L12).',
    'not-found': 'Not a member, or no such purpose.',
    conflict: 'A required purpose cannot be withdrawn (withdraw with DELETE /v1/me).',
    'concurrent-change': 'The membership changed meanwhile.',
    'rule-violated': 'Consent to this purpose is not asked for.',
  },
  // States or records the policy version in force (L1, L3, L18).
  followsPolicyVersion: true,
  grants: {
    // A withdrawal opens its silo request (a retry learns its state through an update) and
    // queues its silos.
    tables: { members: 'readwrite', idempotency: 'readwrite', requests: 'append-update', outbox: 'append' },
    // Withdrawing the photos' consent erases every version of them (L1, L8).
    photos: ['erase'],
    queues: { silos: 'send' },
  },
} as const satisfies Route;

/** put-provision-consent: the route of lambdas/handlers/put-provision-consent.ts. */
export const putProvisionConsentRoute = {
  id: 'put-provision-consent',
  method: 'PUT',
  path: '/v1/me/provision-consents/{recipient}',
  access: 'member',
  use: 'decide-consent',
  summary:
    'Consent, separately, to providing data to a recipient the policy names, or withdraw that consent; a provision on the consent basis needs it (L5/G6).',
  tags: ['consents'],
  // Served only where the policy names a recipient a member can consent to.
  enabled: (c) => Object.keys(c.thirdParties).length > 0,
  body: () => z.strictObject({ granted: z.boolean() }),
  idempotent: true,
  responses: { 200: { description: 'The decision, recorded.', schema: provisionConsentResponse } },
  raises: {
    forbidden: 'Granting a consent while the membership is suspended, where the catalogue blocks it (L12).',
    'not-found': 'Not a member, or the policy names no such recipient.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  // States or records the policy version in force (L1, L18).
  followsPolicyVersion: true,
  grants: {
    tables: { members: 'readwrite', idempotency: 'readwrite', requests: 'append-update', outbox: 'append' },
  },
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
      reason: nonBlank(500),
    }),
  idempotent: true,
  responses: { 200: { description: 'Restricted.', schema: restrictionResponse } },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  grants: {
    tables: {
      members: 'readwrite',
      keys: 'read',
      idempotency: 'readwrite',
      requests: 'append-update',
      outbox: 'append',
    },
    keys: { members: ['decrypt'] },
    // Each recipient of the member's data is told of the restriction (GDPR Art. 19).
    sendEmail: true,
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
  responses: { 200: { description: 'Lifted, after the notice.', schema: liftedResponse } },
  raises: {
    'not-found': 'Not a member, or no restriction to lift.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  grants: {
    tables: { members: 'readwrite', keys: 'read', idempotency: 'readwrite', outbox: 'append' },
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
  responses: {
    200: {
      description: 'The signed deletion receipt.',
      schema: receiptResponse,
      links: { verify: { operationId: 'verify-receipt', parameters: {} } },
    },
  },
  raises: {
    'not-found': 'Not a member: join with POST /v1/members first.',
    'concurrent-change': 'The membership changed meanwhile.',
  },
  grants: {
    tables: {
      outbox: 'append',
      members: 'readwrite',
      keys: 'readwrite',
      vault: 'readwrite',
      idempotency: 'readwrite',
      requests: 'append-update',
    },
    keys: { members: ['decrypt'], vault: ['generate-data-key'], receipts: ['sign'] },
    deleteAccounts: true,
    // The erasure in the operator's silos is queued (features/silos).
    queues: { silos: 'send' },
    photos: ['erase'],
    // Each recipient of the member's data is told of the erasure (GDPR Art. 19).
    sendEmail: true,
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
  responses: {
    200: { description: 'Whether the receipt is genuine and unaltered.', schema: verificationResponse },
  },
  raises: {},
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
  putProvisionConsentRoute,
  putRestrictionRoute,
  deleteRestrictionRoute,
  deleteMeRoute,
  verifyReceiptRoute,
] as const;
