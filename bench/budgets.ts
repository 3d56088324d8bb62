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
const MAIL = `${API_CLIENTS} + the SESv2 client and its REST-JSON protocol (~75 KB)`;

/**
 * Functions that cannot meet the target yet, with the ceiling they must not pass and why. The
 * floor (a bare DynamoDB client and one GetItem, SDK bundled) is itself ~190 KB minified, so a
 * function that also holds KMS (~27 KB) and SESv2 (~60 KB + its REST protocol) clients, zod/mini
 * and the catalogue cannot fit 300 KB without dropping a client it calls.
 */
export const BUNDLE_CEILINGS: Readonly<Record<string, { bytes: number; why: string }>> = {
  'confirm-correction': { bytes: 375 * 1024, why: API_CLIENTS },
  'delete-baby': { bytes: 340 * 1024, why: API },
  'delete-me': { bytes: 380 * 1024, why: API_CLIENTS },
  'delete-restriction': { bytes: 455 * 1024, why: MAIL },
  'get-consents': { bytes: 340 * 1024, why: API },
  'get-export': { bytes: 375 * 1024, why: API_CLIENTS },
  'get-me': { bytes: 375 * 1024, why: API_CLIENTS },
  'get-openapi': { bytes: 365 * 1024, why: `${API}; zod's JSON Schema export (~21 KB)` },
  'get-policy': { bytes: 350 * 1024, why: API },
  'patch-baby': { bytes: 375 * 1024, why: API_CLIENTS },
  'patch-me': { bytes: 460 * 1024, why: MAIL },
  'post-baby': { bytes: 375 * 1024, why: API_CLIENTS },
  'post-members': { bytes: 375 * 1024, why: API_CLIENTS },
  'put-consent': { bytes: 345 * 1024, why: API },
  'put-restriction': { bytes: 375 * 1024, why: API_CLIENTS },
  'verify-receipt': { bytes: 370 * 1024, why: API_CLIENTS },
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
 * at join, a vault data key and a signature at withdrawal, a signature check at verification.
 */
export const CALL_BUDGETS: Readonly<Record<string, CallBudget>> = {
  'policy (public)': { dynamodb: 0, kms: 0, ses: 0 },
  // Data key + one MAC per lookup item (email, Apple member number); one transaction.
  join: { dynamodb: 1, kms: 3, ses: 0 },
  // The idempotency record is written before and completed after.
  'join with Idempotency-Key': { dynamodb: 3, kms: 3, ses: 0 },
  'sign-in (post-authentication trigger)': { dynamodb: 1, kms: 0, ses: 0 },
  'view (first)': { dynamodb: 2, kms: 1, ses: 0 },
  'view (repeated, warm)': { dynamodb: 1, kms: 0, ses: 0 },
  export: { dynamodb: 2, kms: 1, ses: 0 },
  'consents (read)': { dynamodb: 1, kms: 0, ses: 0 },
  'consent withdrawn (optional purpose)': { dynamodb: 2, kms: 0, ses: 0 },
  'add a baby': { dynamodb: 3, kms: 1, ses: 0 },
  // + the MAC of the new address, + the code sent to it.
  'correct (email: code sent)': { dynamodb: 3, kms: 2, ses: 1 },
  'confirm correction': { dynamodb: 4, kms: 1, ses: 0 },
  'restrict processing': { dynamodb: 3, kms: 1, ses: 0 },
  'lift restriction (notice sent)': { dynamodb: 3, kms: 1, ses: 1 },
  // Data key, vault data key, receipt signature; writes in one transaction, then deletes.
  'withdraw (signed receipt)': { dynamodb: 7, kms: 3, ses: 0 },
  'verify receipt (public)': { dynamodb: 0, kms: 1, ses: 0 },
};

/** Data keys a member's operation may unwrap per function instance and cache period. */
export const DATA_KEY_UNWRAPS_PER_PERIOD = 1;
