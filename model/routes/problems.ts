/**
 * The kinds of problem the API answers with: one status and one RFC 9457 `type` URI each. The
 * HTTP edge (lambdas/http/problems.ts) maps thrown errors to these kinds, the OpenAPI document
 * declares per route the kinds it can raise, and the README lists them: one table for all three.
 */

/** Problems a domain error raises; each route declares those it can raise (see {@link RaisedProblems}). */
export const DOMAIN_PROBLEMS = [
  'forbidden',
  'not-found',
  'conflict',
  'concurrent-change',
  'rule-violated',
  'not-acceptable',
] as const;
/** A problem a route's own code can raise. */
export type DomainProblem = (typeof DOMAIN_PROBLEMS)[number];

/** Every problem kind: status, title, and when it is answered. */
export const PROBLEM_KINDS = {
  'invalid-input': { status: 400, when: 'The request is malformed: each `errors` entry names a field.' },
  unauthorized: { status: 401, when: 'The bearer token is missing, invalid or expired.' },
  forbidden: { status: 403, when: 'The caller may not do this (officer group, age, suspension).' },
  'not-found': { status: 404, when: 'What the request names does not exist, or no longer does.' },
  'not-acceptable': {
    status: 406,
    when: 'The Accept header names no format the route serves; the detail lists those it does.',
  },
  conflict: { status: 409, when: 'The request clashes with the current state; reload it before deciding.' },
  'concurrent-change': {
    status: 409,
    when: 'Another request changed the same member or request meanwhile; nothing was changed. Retry the same request (same Idempotency-Key) after `Retry-After` seconds.',
  },
  'payload-too-large': { status: 413, when: 'The body is larger than the API accepts.' },
  'unsupported-media-type': { status: 415, when: 'The body is not application/json.' },
  'rule-violated': {
    status: 422,
    when: 'The request is well formed but breaks a rule of the policy; `field` names the field at fault, if any.',
  },
  'internal-error': { status: 500, when: 'A programming error; nothing was changed.' },
  'dependency-failed': {
    status: 503,
    when: 'A dependency is unavailable; nothing was changed. Retry later.',
  },
} as const satisfies Record<string, { status: number; when: string }>;

/** A kind of problem. */
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The `type` URI of a kind of problem (RFC 9457): a name, not an address to fetch. */
export function problemType(kind: ProblemKind): string {
  return `urn:privacy-rights:problem:${kind}`;
}

/** Seconds a client waits before retrying after a concurrent change (the `Retry-After` header). */
export const CONCURRENT_CHANGE_RETRY_AFTER_SECONDS = 1;

/** What a route's code can raise, by kind, with the cases it covers (the OpenAPI description). */
export type RaisedProblems = Readonly<Partial<Record<DomainProblem, string>>>;
