/**
 * The JSON bodies of successful responses, as the OpenAPI document declares them. Each names the
 * fields a client relies on, with their types; objects stay open so a new field is not a break.
 * test/integration/member-api.ts checks every response of the integration suites against them.
 */
import * as z from 'zod/mini';

const instant = () => z.string().check(z.minLength(1));
const strings = () => z.array(z.string());

const itemView = () =>
  z.looseObject({
    id: z.string(),
    label: z.string(),
    value: z.string(),
    state: z.enum(['held', 'under-correction']),
    purposes: z.array(z.looseObject({ id: z.string(), label: z.string(), legalBasis: z.string() })),
    retention: z.looseObject({ class: z.string(), label: z.string(), period: z.string() }),
  });

const consentView = () =>
  z.looseObject({
    purpose: z.string(),
    label: z.string(),
    required: z.boolean(),
    legalBasis: z.string(),
    granted: z.boolean(),
    at: z.string(),
    policyVersion: z.string(),
    channel: z.string(),
    history: z.array(
      z.looseObject({
        granted: z.boolean(),
        at: z.string(),
        policyVersion: z.string(),
        channel: z.string(),
        event: z.string(),
      }),
    ),
  });

/** POST /v1/members. */
export const joinedResponse = () =>
  z.looseObject({
    memberId: z.string(),
    joinedAt: instant(),
    policyVersion: z.string(),
    consents: z.record(z.string(), z.boolean()),
  });

/** GET /v1/me and GET /v1/admin/members/{memberId}. */
export const memberViewResponse = () =>
  z.looseObject({
    memberId: z.string(),
    status: z.string(),
    signInMethod: z.string(),
    joinedAt: instant(),
    policyVersion: z.string(),
    items: z.array(itemView()),
    babies: z.array(z.looseObject({ babyId: z.string(), createdAt: instant(), items: z.array(itemView()) })),
    consents: z.array(consentView()),
    restriction: z.nullable(z.looseObject({ scope: z.string(), reason: z.string(), since: instant() })),
  });

/** PATCH /v1/me. */
export const correctionResponse = () =>
  z.looseObject({
    corrected: strings(),
    removed: strings(),
    pending: z.array(z.looseObject({ correctionId: z.string(), item: z.string(), expiresAt: instant() })),
  });

/** POST /v1/me/corrections/{correctionId}/confirm. */
export const confirmedResponse = () => z.looseObject({ item: z.string(), completedAt: instant() });

/** POST /v1/me/babies. */
export const babyResponse = () => z.looseObject({ babyId: z.string() });

/** PATCH /v1/me/babies/{babyId}. */
export const babyCorrectionResponse = () => z.looseObject({ corrected: strings(), removed: strings() });

/** POST /v1/me/purchases. */
export const purchaseResponse = () =>
  z.looseObject({ recordId: z.string(), createdAt: instant(), retention: z.looseObject({}) });

/** GET /v1/me/export. */
export const exportResponse = () => z.looseObject({});

/** GET /v1/me/consents. */
export const consentsResponse = () =>
  z.looseObject({
    consents: z.array(consentView()),
    /** The decision on each recipient the policy names (L5/G6); empty where it names none. */
    recipients: z.array(
      z.looseObject({
        recipient: z.string(),
        name: z.string(),
        purposes: strings(),
        items: strings(),
        granted: z.boolean(),
        history: z.array(
          z.looseObject({
            granted: z.boolean(),
            at: instant(),
            policyVersion: z.string(),
            channel: z.string(),
          }),
        ),
      }),
    ),
  });

/** PUT /v1/me/consents/{purpose}. */
export const consentResponse = () =>
  z.looseObject({ purpose: z.string(), granted: z.boolean(), at: instant(), destroyed: strings() });

/** PUT /v1/me/provision-consents/{recipient}. */
export const provisionConsentResponse = () =>
  z.looseObject({
    recipient: z.string(),
    name: z.string(),
    purposes: strings(),
    items: strings(),
    granted: z.boolean(),
    at: instant(),
  });

/** PUT /v1/me/restriction. */
export const restrictionResponse = () => z.looseObject({ scope: z.string(), since: instant() });

/** DELETE /v1/me/restriction. */
export const liftedResponse = () => z.looseObject({ lifted: z.literal(true), noticeSent: z.boolean() });

/** DELETE /v1/me and POST /v1/admin/members/{memberId}/terminate: the signed deletion receipt. */
export const receiptResponse = () =>
  z.looseObject({
    receipt: z.looseObject({
      receiptId: z.string(),
      profile: z.string(),
      operator: z.string(),
      memberId: z.string(),
      withdrawnAt: instant(),
      destroyed: z.looseObject({ items: strings(), babies: z.int(), consentRecords: z.int() }),
      retained: z.array(z.looseObject({})),
      dataKeyDestroyed: z.boolean(),
      signInAccountDeleted: z.boolean(),
      residualCopiesUnreadableBy: instant(),
    }),
    signature: z.string(),
    algorithm: z.literal('ECDSA_SHA_256'),
  });

/** POST /v1/receipts/verify. */
export const verificationResponse = () => z.looseObject({ valid: z.boolean() });

/** One request of the ledger. */
const requestView = () =>
  z.looseObject({
    requestId: z.string(),
    memberId: z.string(),
    type: z.string(),
    channel: z.string(),
    status: z.string(),
    overdue: z.boolean(),
  });

/** POST /v1/admin/requests, its verification and its extension. */
export const requestResponse = requestView;

/** GET /v1/admin/requests. */
export const requestsResponse = () => z.looseObject({ requests: z.array(requestView()) });

/** POST /v1/admin/requests/{requestId}/actions. */
export const actionResponse = () =>
  z.looseObject({ requestId: z.string(), status: z.string(), result: z.unknown() });

/** POST /v1/admin/members/{memberId}/suspend. */
export const suspendedResponse = () =>
  z.looseObject({ memberId: z.string(), status: z.literal('suspended'), since: instant() });

/** POST /v1/admin/members/{memberId}/reinstate. */
export const reinstatedResponse = () =>
  z.looseObject({ memberId: z.string(), status: z.literal('active'), at: instant() });

const provision = () =>
  z.looseObject({
    provisionId: z.string(),
    recipient: z.string(),
    items: strings(),
    purpose: z.string(),
    basis: z.string(),
    at: instant(),
  });

/** POST /v1/admin/provisions. */
export const provisionResponse = provision;

/** GET /v1/admin/provisions. */
export const provisionsResponse = () => z.looseObject({});

/** GET /v1/admin/access-records. */
export const accessRecordsResponse = () =>
  z.looseObject({
    records: z.array(
      z.looseObject({
        seq: z.int(),
        at: instant(),
        officerId: z.string(),
        action: z.string(),
        sourceIp: z.string(),
      }),
    ),
    truncated: z.boolean(),
  });

/** POST /v1/admin/policy-versions. */
export const publishedResponse = () =>
  z.looseObject({
    version: z.string(),
    effectiveDate: z.string(),
    summary: z.string(),
    publishedAt: instant(),
    publishedBy: z.string(),
    notices: z.looseObject({ status: z.literal('started'), segments: z.int() }),
  });

/** GET /v1/admin/policy-versions. */
export const versionsResponse = () =>
  z.looseObject({
    deployed: z.looseObject({ version: z.string(), effectiveDate: z.string() }),
    inForce: z.string(),
    versions: z.array(z.looseObject({ version: z.string(), effectiveDate: z.string(), status: z.string() })),
  });
