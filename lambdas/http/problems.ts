/**
 * Errors become HTTP responses here and nowhere else: one table from an error kind to a status,
 * problem bodies (RFC 9457) that expose details below 500 only, and a generic body otherwise.
 * A failure of a dependency answers 503; a 500 is left for programming errors alone.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  CONCURRENT_CHANGE_RETRY_AFTER_SECONDS,
  PROBLEM_KINDS,
  type ProblemKind,
  problemType,
} from '../../model/routes/problems';
import { DependencyFailed, DomainError, type ErrorKind } from '../runtime/errors';
import { SECURITY_HEADERS } from './constants';

/** The status of each error kind: the status of its problem kind in the model's one table. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = Object.fromEntries(
  (
    [
      'invalid-input',
      'forbidden',
      'not-found',
      'conflict',
      'concurrent-change',
      'rule-violated',
      'not-acceptable',
      'dependency-failed',
    ] as const satisfies readonly (ErrorKind & ProblemKind)[]
  ).map((kind) => [kind, PROBLEM_KINDS[kind].status]),
) as Record<ErrorKind, number>;

/** The problem kind of an edge refusal's status. */
const EDGE_KIND = {
  400: 'invalid-input',
  401: 'unauthorized',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
} as const satisfies Record<number, ProblemKind>;

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
  kind: ProblemKind,
  title: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  const { status } = PROBLEM_KINDS[kind];
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM, ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify({ type: problemType(kind), title, status, ...extra }),
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
    const kind = error instanceof DomainError ? error.kind : EDGE_KIND[error.status];
    // A lost race changed nothing: the client retries the same request after a moment.
    const headers: Record<string, string> =
      kind === 'concurrent-change' ? { 'retry-after': String(CONCURRENT_CHANGE_RETRY_AFTER_SECONDS) } : {};
    return {
      status,
      response: problem(
        kind as ProblemKind,
        error.title,
        { ...(error.detail ? { detail: error.detail } : {}), ...extra },
        headers,
      ),
      log: { problem: name },
    };
  }
  if (error instanceof DependencyFailed) {
    const { cause } = error;
    return {
      status,
      response: problem('dependency-failed', 'Service temporarily unavailable'),
      log: {
        error: name,
        dependency: error.dependency,
        cause: cause instanceof Error ? cause.name : undefined,
      },
    };
  }
  return { status: 500, response: problem('internal-error', 'Internal error'), log: { error: name } };
}
