/**
 * Grants no recorded call uses, each with the reason it stays. The IAM check fails on an unused
 * grant this list does not explain, and on an entry that explains nothing.
 */
import type { UnusedGrantReason } from '../support/iam/check';

/** Why each kind of unused grant is kept. */
export const UNUSED_GRANTS: readonly UnusedGrantReason[] = [];
