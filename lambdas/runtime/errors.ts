/**
 * One error family for the whole product. Domain code throws these; the HTTP edge turns them
 * into problem responses (RFC 9457) in one place. Messages never carry personal data.
 */

/** Base of every error the product raises on purpose. */
export class PrivacyStackError extends Error {
  override name = 'PrivacyStackError';
}

/** A request the client can fix or must not repeat: becomes a 4xx with its detail exposed. */
export class HttpProblem extends PrivacyStackError {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    /** Extra members of the problem body, e.g. the offending field. Never personal data. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail ?? title);
  }
}

/** The request's fields are wrong: 400, naming each field and what is wrong with it. */
export class ValidationProblem extends HttpProblem {
  override name = 'ValidationProblem';
  constructor(readonly errors: readonly { field: string; problem: string }[]) {
    super(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.problem}`).join('; '), { errors });
  }
}

/** A dependency (KMS, DynamoDB, SES, SQS) failed: the request fails closed with a generic 5xx. */
export class DependencyError extends PrivacyStackError {
  override name = 'DependencyError';
  constructor(
    readonly dependency: 'kms' | 'dynamodb' | 'ses' | 'cognito' | 'sqs',
    options?: { cause?: unknown },
  ) {
    super(`${dependency} call failed`, options);
  }
}
