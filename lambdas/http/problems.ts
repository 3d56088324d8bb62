/**
 * Errors become HTTP responses here and nowhere else: one table from an error kind to a status,
 * problem bodies (RFC 9457) that expose details below 500 only, and a generic body otherwise.
 * A failure of a dependency answers 503; a 500 is left for programming errors alone.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { DependencyFailed, DomainError, type ErrorKind } from '../runtime/errors';
import { SECURITY_HEADERS } from './constants';

/** The status of each error kind. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-input': 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rule-violated': 422,
  'dependency-failed': 503,
};

/**
 * A refusal that exists only at the HTTP edge, before any domain code runs: no or a bad token
 * (401), a body that is not JSON (400), too large (413) or of another media type (415).
 */
export class EdgeRefusal extends Error {
  override name = 'EdgeRefusal';
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const PROBLEM = 'application/problem+json';

/** A problem response with the security headers every response carries. */
export function problem(
  status: number,
  title: string,
  extra: Record<string, unknown> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM, ...SECURITY_HEADERS },
    body: JSON.stringify({ type: 'about:blank', title, status, ...extra }),
  };
}

/** What the edge makes of a thrown error: the response, and what may be logged of it. */
export interface ProblemOutcome {
  readonly response: APIGatewayProxyResult;
  readonly status: number;
  /** The error's class and, for a dependency, which one: never its message (SDK text can carry identifiers). */
  readonly log: Readonly<Record<string, string | undefined>>;
}

/** The status a thrown error answers with: its kind's, an edge refusal's own, else 500. */
export function statusOf(error: unknown): number {
  if (error instanceof DomainError) return STATUS_OF_KIND[error.kind];
  if (error instanceof EdgeRefusal) return error.status;
  return 500;
}

/** Maps any thrown error to its problem response. */
export function problemFor(error: unknown): ProblemOutcome {
  const status = statusOf(error);
  const name = error instanceof Error ? error.name : typeof error;
  if (status < 500 && (error instanceof DomainError || error instanceof EdgeRefusal)) {
    const extra = error instanceof DomainError ? error.extra : {};
    return {
      status,
      response: problem(status, error.title, { ...(error.detail ? { detail: error.detail } : {}), ...extra }),
      log: { problem: name },
    };
  }
  if (error instanceof DependencyFailed) {
    const { cause } = error;
    return {
      status,
      response: problem(503, 'Service temporarily unavailable'),
      log: {
        error: name,
        dependency: error.dependency,
        cause: cause instanceof Error ? cause.name : undefined,
      },
    };
  }
  return { status: 500, response: problem(500, 'Internal error'), log: { error: name } };
}
