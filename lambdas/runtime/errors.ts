/**
 * The product's error kinds. Domain code, stores and adapters raise these and know nothing of
 * HTTP; the HTTP edge (lambdas/http/problems.ts) alone maps a kind to a status and a problem
 * body, and a job or queue worker treats the same error as a failed run. Titles and details are
 * shown to clients: they never carry personal data, identifiers of AWS resources or SDK text.
 */

/** What went wrong, as the edge needs to know it. */
export type ErrorKind =
  | 'invalid-input'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'concurrent-change'
  | 'rule-violated'
  | 'not-acceptable'
  | 'dependency-failed';

/** A field of the request and what is wrong with it; never the submitted value. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

/** Base of every error the product raises on purpose. */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    /** A short, stable summary: the problem body's `title`. */
    readonly title: string,
    /** What the caller can do about it: the problem body's `detail`. */
    readonly detail?: string,
    /** Extra members of the problem body, e.g. the offending field. Never personal data. */
    readonly extra: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(detail ?? title, options);
  }
}

/** The request's fields are wrong; each is named with what is wrong with it. */
export class InvalidInput extends DomainError {
  override name = 'InvalidInput';
  readonly kind = 'invalid-input';
  constructor(readonly errors: readonly FieldProblem[]) {
    super('Invalid request', errors.map((e) => `${e.field}: ${e.problem}`).join('; '), { errors });
  }
}

/** The caller may not do this (e.g. below the minimum age, or while suspended). */
export class Forbidden extends DomainError {
  override name = 'Forbidden';
  readonly kind = 'forbidden';
}

/** What the request names does not exist, or no longer does. */
export class NotFound extends DomainError {
  override name = 'NotFound';
  readonly kind = 'not-found';
}

/**
 * The member an operation names has no membership: never joined, or withdrawn. A member is told
 * how to join; an officer, who named the id, reads {@link NotAMember.forOfficer} instead.
 */
export class NotAMember extends NotFound {
  override name = 'NotAMember';
  constructor() {
    super('Not a member', 'No membership exists for this account; join with POST /v1/members.');
  }

  /** The same fact in the officer's terms. */
  forOfficer(): NotFound {
    return new NotFound(
      'No such member',
      'No member has this id: it never joined, or it has withdrawn. GET /v1/admin/requests?member= lists the requests logged for it.',
    );
  }
}

/** The request clashes with the current state (a concurrent change, a duplicate, a closed request). */
export class Conflict extends DomainError {
  override name = 'Conflict';
  readonly kind = 'conflict';
}

/**
 * Another request changed the same item while this one ran (optimistic locking): nothing was
 * changed, and the same request may simply be retried; the edge adds `Retry-After`.
 */
export class ConcurrentChange extends DomainError {
  override name = 'ConcurrentChange';
  readonly kind = 'concurrent-change';
  constructor(detail: string, title = 'Concurrent change') {
    super(title, detail);
  }
}

/** The request is well formed but breaks a rule of the policy; `extra.field` names the field when one is at fault. */
export class RuleViolated extends DomainError {
  override name = 'RuleViolated';
  readonly kind = 'rule-violated';
}

/** The client accepts none of the formats the operation can answer in. */
export class NotAcceptable extends DomainError {
  override name = 'NotAcceptable';
  readonly kind = 'not-acceptable';
}

/** The AWS services a request depends on. */
export type Dependency = 'kms' | 'dynamodb' | 'ses' | 'cognito' | 'sqs' | 's3' | 'events';

/**
 * A dependency failed or answered something unusable: the request fails closed with the generic
 * 503, and a job or worker fails so that it is retried. The cause is kept for the log's kind only.
 */
export class DependencyFailed extends DomainError {
  override name = 'DependencyFailed';
  readonly kind = 'dependency-failed';
  constructor(
    readonly dependency: Dependency,
    options?: { cause?: unknown },
  ) {
    super('Service temporarily unavailable', undefined, {}, options);
  }
}
