/**
 * The officer API's vocabulary: the kinds of request, channels, laws, verifications, actions and
 * provision bases. No imports, so the officer console bundles these lists without the route
 * table and its schemas, and cannot drift from them.
 */

/** The kinds of rights request the ledger knows (L14/G10, L16). */
export const REQUEST_TYPES = [
  'access',
  'correction',
  'deletion',
  'portability',
  'restriction',
  'objection',
  'consent-withdrawal',
] as const;
/** Channels an offline request arrives by; self-service requests are `app`. */
export const OFFLINE_CHANNELS = ['letter', 'phone', 'email'] as const;
/** Laws whose deadline a request runs under; see lambdas/features/requests/rules.ts for how one is chosen. */
export const JURISDICTIONS = ['pipa', 'gdpr'] as const;
/** How the officer verified the requester's identity before acting (L14/G10). */
export const VERIFICATION_METHODS = [
  'identity-document',
  'call-back-to-registered-number',
  'reply-from-registered-email',
  'in-person',
] as const;
/** What the officer can do on a request, through the same domain operations as self-service. */
export const REQUEST_ACTIONS = [
  'view',
  'export',
  'correct',
  'delete',
  'restrict',
  'withdraw-consent',
  'withdraw-provision-consent',
  'refuse',
] as const;
/**
 * Bases other than consent a provision may be recorded under (L5/G6); each catalogue's
 * `provision.bases` says which its policy allows, and the others are refused with 422.
 */
export const PROVISION_LEGAL_BASES = [
  'legal-obligation',
  'vital-interests',
  'contract',
  'legitimate-interests',
] as const;
/** Scopes of a restriction or objection (L16). */
export const RESTRICTION_SCOPES = ['all', 'provision', 'optional-purposes'] as const;
