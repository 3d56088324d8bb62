/**
 * The deterministic budgets: bundle sizes and AWS calls per operation. `npm test` asserts them
 * (test/unit/bundle-budgets.test.ts, test/integration/call-budgets.test.ts) and `npm run bench`
 * reports against them. Time ratios are reported only: shared machines are too noisy to assert.
 */

/** The bundle-size target of every function, minified (issue 6: ≤ 300 KB each). */
export const BUNDLE_TARGET_BYTES = 300 * 1024;

/*
 * What a function holds beyond the floor (a bare DynamoDB client, SDK bundled), measured on the
 * littleone profile, the larger catalogue. Each function bundles its own route only, the SDK's
 * error classes only for the errors the functions tell apart and its endpoint cache on a Map
 * (lib/bundling.ts), and S3, SES, SQS and the Cognito user pool as signed requests rather than
 * their clients (lambdas/adapters/signed-fetch.ts): so every function fits the target, the
 * largest (post-request-action, which acts on every kind of request) with the KMS client, the
 * policy version in force, the bucket silos and the photos among what it holds.
 */

/**
 * Functions that cannot meet the target without dropping a guarantee, each with the ceiling it
 * must not pass (its littleone size when recorded, rounded up to 5 KB) and why. A test fails when
 * one grows past its ceiling, or keeps a ceiling after it fits the target. None today.
 */
export const BUNDLE_CEILINGS: Readonly<Record<string, { bytes: number; why: string }>> = {};

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
  // + the member's items in the operator's table silo (a Query; the bucket silo is read from S3).
  export: { dynamodb: 8, kms: 1, ses: 0 },
  'consents (read)': { dynamodb: 3, kms: 0, ses: 0 },
  'consent withdrawn (optional purpose)': { dynamodb: 7, kms: 0, ses: 0 },
  'add a baby': { dynamodb: 5, kms: 1, ses: 0 },
  // + the MAC of the new address, + the code sent to it.
  'correct (email: code sent)': { dynamodb: 7, kms: 2, ses: 1 },
  'confirm correction': { dynamodb: 7, kms: 1, ses: 0 },
  'restrict processing': { dynamodb: 7, kms: 1, ses: 0 },
  'lift restriction (notice sent)': { dynamodb: 5, kms: 1, ses: 1 },
  // Data key, vault data key, receipt signature; writes in one transaction, then deletes; then
  // opens the silo request's ledger record (one PutItem) and queues its silos (one SQS batch).
  'withdraw (signed receipt)': { dynamodb: 11, kms: 3, ses: 0 },
  'verify receipt (public)': { dynamodb: 0, kms: 1, ses: 0 },
  // The worker on one message: the member's partition, the claim and the record of the notice, the
  // data key to open the address, the suppression check (by the blind index the profile keeps,
  // so no MAC from KMS), the mail; and, in a fresh instance, the policy versions, whose contacts
  // the notice names (L18: one Query per instance and minute).
  'inactivity notice (one member)': { dynamodb: 6, kms: 1, ses: 1 },
  // The worker on one message at the destruction date: the partition, the mark, then withdrawal
  // (data key, vault data key, receipt signature; the sign-in account looked up in Cognito); and
  // the policy versions in a fresh instance; and, as any withdrawal, the silo request's record.
  'inactivity purge (one member)': { dynamodb: 11, kms: 3, ses: 0 },
  // The notices worker's part for one member of a page (PIPA Art. 20-2): the claim, the member's
  // partition, the data key to open the address, the suppression check by the blind index the
  // profile keeps, the settled notice; the mail. The page's scan and step, shared by up to a
  // hundred members, and the version in force, read once a minute per instance, come on top.
  'annual usage notice (one member)': { dynamodb: 5, kms: 1, ses: 1 },
};

/** Data keys a member's operation may unwrap per function instance and cache period. */
export const DATA_KEY_UNWRAPS_PER_PERIOD = 1;
