/**
 * The deterministic budgets: bundle sizes and AWS calls per operation. `npm test` asserts them
 * (test/unit/bundle-budgets.test.ts, test/integration/call-budgets.test.ts) and `npm run bench`
 * reports against them. Time ratios are reported only: shared machines are too noisy to assert.
 */

/** The bundle-size target of every function, minified. */
export const BUNDLE_TARGET_BYTES = 300 * 1024;

const API =
  'floor 191 KB + middy, zod/mini, catalogue and Powertools logger and idempotency (~52 KB with jmespath, bundled in every route because the middy chain picks it at run time)';
const API_CLIENTS = `${API} + the KMS client (~27 KB)`;
/**
 * Every route since the access log (G3), the request ledger (L14/G10) and the status check (L12):
 * the KMS client for the logs data key is in every member and officer route, and the routes that
 * tell members or recipients carry SESv2. Recorded at today's sizes so none may grow; cutting
 * them back to the target (idempotency only where a route is idempotent, a lighter logs sealer)
 * is the open work of the bench.
 */
const ROUTE = `${API_CLIENTS} + access log, ledger and status checks; + SESv2 (~75 KB) where the route mails`;

/** A job that only queues work: the floor, the SQS client and the catalogue (L18, policy notices). */
const QUEUEING_JOB =
  'floor 191 KB + the SQS client and its JSON protocol, the catalogue and the Powertools logger';

/**
 * Functions that cannot meet the target yet, with the ceiling they must not pass and why. The
 * floor (a bare DynamoDB client and one GetItem, SDK bundled) is itself ~190 KB minified, so a
 * function that also holds KMS (~27 KB) and SESv2 (~60 KB + its REST protocol) clients, zod/mini
 * and the catalogue cannot fit 300 KB without dropping a client it calls.
 */
export const BUNDLE_CEILINGS: Readonly<Record<string, { bytes: number; why: string }>> = {
  'confirm-correction': { bytes: 480 * 1024, why: ROUTE },
  'delete-baby': { bytes: 391 * 1024, why: ROUTE },
  'delete-me': { bytes: 437 * 1024, why: ROUTE },
  'delete-restriction': { bytes: 476 * 1024, why: ROUTE },
  'get-access-records': { bytes: 390 * 1024, why: ROUTE },
  'get-admin-member': { bytes: 395 * 1024, why: ROUTE },
  'get-consents': { bytes: 390 * 1024, why: ROUTE },
  'get-export': { bytes: 400 * 1024, why: ROUTE },
  'get-me': { bytes: 400 * 1024, why: ROUTE },
  'get-openapi': { bytes: 412 * 1024, why: ROUTE },
  'get-policy': { bytes: 400 * 1024, why: ROUTE },
  'get-policy-versions': { bytes: 391 * 1024, why: ROUTE },
  'get-provisions': { bytes: 390 * 1024, why: ROUTE },
  'get-requests': { bytes: 390 * 1024, why: ROUTE },
  'job-inactivity': { bytes: 340 * 1024, why: ROUTE },
  'job-policy-notices': { bytes: 308 * 1024, why: QUEUEING_JOB },
  'job-requests-digest': { bytes: 367 * 1024, why: ROUTE },
  'patch-baby': { bytes: 395 * 1024, why: ROUTE },
  'patch-me': { bytes: 485 * 1024, why: ROUTE },
  'post-baby': { bytes: 395 * 1024, why: ROUTE },
  'post-member-reinstate': { bytes: 425 * 1024, why: ROUTE },
  'post-member-suspend': { bytes: 425 * 1024, why: ROUTE },
  'post-member-terminate': { bytes: 435 * 1024, why: ROUTE },
  'post-members': { bytes: 397 * 1024, why: ROUTE },
  'post-policy-version': { bytes: 425 * 1024, why: `${ROUTE}; + the SQS client, to start the notices` },
  'post-provision': { bytes: 395 * 1024, why: ROUTE },
  'post-purchase': { bytes: 395 * 1024, why: ROUTE },
  'post-request': { bytes: 391 * 1024, why: ROUTE },
  'post-request-action': { bytes: 535 * 1024, why: ROUTE },
  'post-request-extension': { bytes: 391 * 1024, why: ROUTE },
  'post-request-verification': { bytes: 390 * 1024, why: ROUTE },
  'put-consent': { bytes: 398 * 1024, why: ROUTE },
  'put-restriction': { bytes: 395 * 1024, why: ROUTE },
  'verify-receipt': { bytes: 390 * 1024, why: ROUTE },
};

/** The ceiling of a function: its recorded exception, else the target. */
export function bundleCeiling(name: string): number {
  return BUNDLE_CEILINGS[name]?.bytes ?? BUNDLE_TARGET_BYTES;
}

/** Most calls an operation may make, per service; every operation unwraps at most one data key. */
export interface CallBudget {
  readonly dynamodb: number;
  readonly kms: number;
  readonly ses: number;
}

/**
 * Per-operation call budgets, from a fresh function instance unless the name says warm. KMS
 * calls beyond the one data-key unwrap are the design's: a MAC per lookup item (the blind index
 * is computed inside KMS, so it cannot be cached without holding the HMAC key), a new data key
 * at join, a vault data key and a signature at withdrawal, a signature check at verification,
 * and the logs data key an instance seals access records with (one per 5 minutes) or opens them
 * with. Every admitted member call also writes its access record (G3, one PutItem) and most read
 * the member's status first (L12, one GetItem); self-service rights open their ledger record
 * before acting and close it after (L14/G10, one PutItem and one UpdateItem).
 */
export const CALL_BUDGETS: Readonly<Record<string, CallBudget>> = {
  // The published versions, read once a minute per instance (L18), as in every route that
  // states the policy version: join, export, a consent decision.
  'policy (public)': { dynamodb: 1, kms: 0, ses: 0 },
  // Access record, status read, one transaction; data key, logs data key, a MAC per lookup item.
  join: { dynamodb: 4, kms: 4, ses: 0 },
  // + the idempotency record, written before and completed after.
  'join with Idempotency-Key': { dynamodb: 6, kms: 3, ses: 0 },
  'sign-in (post-authentication trigger)': { dynamodb: 1, kms: 0, ses: 0 },
  // Partition and access-history queries, ledger open and close; member key and a logs key.
  'view (first)': { dynamodb: 6, kms: 2, ses: 0 },
  'view (repeated, warm)': { dynamodb: 5, kms: 0, ses: 0 },
  export: { dynamodb: 7, kms: 1, ses: 0 },
  'consents (read)': { dynamodb: 3, kms: 0, ses: 0 },
  'consent withdrawn (optional purpose)': { dynamodb: 7, kms: 0, ses: 0 },
  'add a baby': { dynamodb: 5, kms: 1, ses: 0 },
  // + the MAC of the new address, + the code sent to it.
  'correct (email: code sent)': { dynamodb: 7, kms: 2, ses: 1 },
  'confirm correction': { dynamodb: 7, kms: 1, ses: 0 },
  'restrict processing': { dynamodb: 7, kms: 1, ses: 0 },
  'lift restriction (notice sent)': { dynamodb: 5, kms: 1, ses: 1 },
  // Data key, vault data key, receipt signature; writes in one transaction, then deletes.
  'withdraw (signed receipt)': { dynamodb: 10, kms: 3, ses: 0 },
  'verify receipt (public)': { dynamodb: 0, kms: 1, ses: 0 },
};

/** Data keys a member's operation may unwrap per function instance and cache period. */
export const DATA_KEY_UNWRAPS_PER_PERIOD = 1;
