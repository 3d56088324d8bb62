/**
 * The pages' API client: JSON over fetch with the session's bearer token, never cookies
 * (`credentials: 'omit'`). A 401 asks the page to renew the session (see `session.ts`) and then
 * sends the same request once more, so nothing typed is lost. Problems (RFC 9457) become
 * {@link ApiProblem}s; nothing of a request or response is logged.
 */
import type { PageConfig } from './config';
import { currentSession } from './session';

/** One field the API refused, as `errors` entries name it. */
export interface FieldError {
  readonly field: string;
  readonly problem: string;
}

const PROBLEM_PREFIX = 'urn:privacy-rights:problem:';

/** An answer the API gave as a problem: its kind, status and the fields at fault. */
export class ApiProblem extends Error {
  override name = 'ApiProblem';
  /** The problem's kind (the end of its `type` URI), or 'network' / 'unknown'. */
  readonly kind: string;
  readonly status: number;
  readonly fieldErrors: readonly FieldError[];
  /** Extra members of the problem body the page may show (e.g. `purpose`, `field`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, body: Record<string, unknown> | undefined) {
    super(typeof body?.title === 'string' ? body.title : `HTTP ${status}`);
    const type = typeof body?.type === 'string' ? body.type : '';
    this.status = status;
    this.kind = type.startsWith(PROBLEM_PREFIX)
      ? type.slice(PROBLEM_PREFIX.length)
      : status === 0
        ? 'network'
        : status === 404
          ? 'not-found'
          : 'unknown';
    const errors = Array.isArray(body?.errors) ? (body.errors as FieldError[]) : [];
    // A rule violated by one field names it in `field`.
    const field = typeof body?.field === 'string' ? body.field : undefined;
    this.fieldErrors = field && errors.length === 0 ? [{ field, problem: 'rule-violated' }] : errors;
    this.extra = body ?? {};
  }

  /** The error of `field` (e.g. 'items.email'), if the API named it. */
  errorFor(field: string): FieldError | undefined {
    return this.fieldErrors.find((e) => e.field === field);
  }
}

/** How a request is made. */
export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as Idempotency-Key, where the route takes one. */
  readonly idempotencyKey?: string;
  readonly accept?: string;
  /** Sent as Accept-Language: the reader's language, for answers a person reads. */
  readonly language?: string;
}

/** A client bound to a page's configuration. */
export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/**
 * A client for `config`. `renewSession` is called on a 401: it resolves once the person has
 * signed in again (or rejects when they give up), and the request is then repeated once.
 */
export function createApiClient(config: PageConfig, renewSession: () => Promise<void>): ApiClient {
  const apiBase = config.apiBase ?? location.pathname.replace(/\/[^/]*$/, '');
  const send = async (method: string, path: string, options: RequestOptions) => {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    const token = currentSession()?.idToken;
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    // The same request repeated after a renewed session keeps its key: the API replays, never doubles.
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (options.language) headers['accept-language'] = options.language;
    try {
      return await fetch(`${apiBase}${path}`, {
        method,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
    } catch {
      throw new ApiProblem(0, undefined);
    }
  };
  return {
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
      let response = await send(method, path, options);
      if (response.status === 401) {
        await renewSession();
        response = await send(method, path, options);
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (!response.ok) throw new ApiProblem(response.status, body as Record<string, unknown> | undefined);
      return body as T;
    },
  };
}

/** A fresh Idempotency-Key for one action the person takes. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
