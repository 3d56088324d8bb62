/**
 * What the adapters that reach AWS through signed requests and `fetch`, without the service's SDK
 * client, have in common: S3 (signed-s3.ts), SES (mailer.ts), SQS (queue.ts) and the Cognito user
 * pool (accounts.ts). A client, its protocol and its middleware add 8-29 KB to every function that
 * holds it; the calls made here are few and simple. The signer is the SDK's own and hashes with
 * node:crypto. Every call is bounded in time, so a silent service fails the caller closed instead
 * of holding it until the function times out, and behaves as an SDK call does in its standard
 * retry mode: three attempts in all, with exponential backoff and full jitter, for throttling,
 * server errors and network failures only; here all within one deadline ({@link CALL_TIMEOUT_MS}).
 * A failure is named by the service's error (e.g. `MessageRejected`), never by its message, which
 * may quote an address.
 */
import { createHash, createHmac } from 'node:crypto';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';

/** How long one call to a service reached this way may take before it fails closed. */
export const CALL_TIMEOUT_MS = 5_000;

/** What the signer hashes: text, or bytes in any of their forms. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : ArrayBuffer.isView(d)
      ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
      : new Uint8Array(d);

/** SHA-256 and HMAC-SHA-256 for a SigV4 signer, from node:crypto (no extra hashing library). */
export class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  /** Adds data to the hash. */
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  /** The hash of everything added. */
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * `fetch`, aborted after `ms`. The deadline covers the answer's body too, unless `headersOnly`:
 * then it ends with the headers, and the caller reads the body at its own pace. A network
 * failure or the deadline rejects as `fetch` does (a `TimeoutError` for the deadline).
 */
export async function fetchWithin(
  url: string,
  init: RequestInit,
  ms: number,
  headersOnly = false,
): Promise<Response> {
  const untilHeaders = new AbortController();
  const timer = headersOnly
    ? setTimeout(() => untilHeaders.abort(new DOMException('no answer in time', 'TimeoutError')), ms)
    : undefined;
  try {
    return await fetch(url, { ...init, signal: headersOnly ? untilHeaders.signal : AbortSignal.timeout(ms) });
  } finally {
    clearTimeout(timer);
  }
}

/** A service reached with signed requests. */
export interface SignedService {
  /** The name its requests are signed for: the service in the credential scope. */
  readonly signingName: string;
  /** Its endpoint in Seoul, used where no emulator is named (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
}

/** Attempts at one call, the first included (the SDK's standard mode). */
export const ATTEMPTS = 3;
/** The backoff's base: the delay before attempt n+1 is random below base × 2^(n-1). */
const BASE_DELAY_MS = 100;
/** A throttled service is given longer to recover, as the SDK does. */
const THROTTLED_BASE_DELAY_MS = 500;
/** The error names the SDK's standard mode retries as throttling. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'SlowDown',
]);

const signers = new Map<string, SignatureV4>();
function signerFor(signingName: string): SignatureV4 {
  let signer = signers.get(signingName);
  if (!signer) {
    signer = new SignatureV4({
      service: signingName,
      region: SEOUL_REGION,
      credentials: fromEnv(),
      sha256: Sha256,
    });
    signers.set(signingName, signer);
  }
  return signer;
}

/** A failed answer of a service, named by its error; its message, which may quote personal data, is left out. */
class ServiceError extends Error {
  constructor(
    name: string,
    readonly status: number,
  ) {
    super(`the service answered ${status}`);
    this.name = name;
  }
}

/** The error's name: the `x-amzn-ErrorType` header, else the body's `__type` or `code`. */
async function errorOf(res: Response): Promise<ServiceError> {
  const body = await res.text().catch(() => '');
  let type = res.headers.get('x-amzn-errortype') ?? undefined;
  if (!type) {
    try {
      const parsed = JSON.parse(body) as { __type?: unknown; code?: unknown; Code?: unknown };
      const found = parsed.__type ?? parsed.code ?? parsed.Code;
      type = typeof found === 'string' ? found : undefined;
    } catch {
      type = undefined;
    }
  }
  // `MessageRejected:http://…` in the header, `com.amazonaws…#MessageRejected` in a body.
  const name = type?.split(':')[0]?.split('#').pop();
  return new ServiceError(name && /^[A-Za-z][\w.]*$/.test(name) ? name : 'UnknownError', res.status);
}

/** A POST with a JSON body to one path of a service. */
export interface SignedPost {
  readonly path: string;
  /** Headers besides host and the signature's; content-type among them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The request's URL and its signed headers; a credential missing fails here, unsent. */
async function signed(
  service: SignedService,
  post: SignedPost,
): Promise<{ url: string; headers: Record<string, string> }> {
  const url = new URL(post.path, process.env[ENV.endpoint] || service.endpoint);
  const request = await signerFor(service.signingName).sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { host: url.host, ...post.headers },
    body: post.body,
  });
  return { url: url.href, headers: request.headers };
}

/** The outcome of one attempt: the answer, or the failure and whether another attempt may mend it. */
type Attempt =
  | { readonly answer: unknown }
  | { readonly failure: unknown; readonly retry: boolean; readonly throttled: boolean };

async function attempt(service: SignedService, post: SignedPost, ms: number): Promise<Attempt> {
  // Signed anew for each attempt, as the SDK does: the signature dates the request.
  const { url, headers } = await signed(service, post);
  let res: Response;
  try {
    res = await fetchWithin(url, { method: 'POST', headers, body: post.body }, ms);
  } catch (error) {
    // A network failure may be retried; the deadline, once passed, leaves no time to.
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { failure: error, retry: !timedOut, throttled: false };
  }
  if (!res.ok) {
    const failure = await errorOf(res);
    const throttled = res.status === 429 || THROTTLING.has(failure.name);
    return { failure, retry: throttled || res.status >= 500, throttled };
  }
  // The call was answered: an unreadable answer fails the caller, but the call is never repeated.
  const text = await res.text();
  return { answer: text === '' ? {} : JSON.parse(text) };
}

/**
 * POSTs to `service` with the SDK's standard retries, all within {@link CALL_TIMEOUT_MS}; returns
 * the answer's JSON. Throws the last failure: a {@link ServiceError}, a network error or the
 * deadline's `TimeoutError`. Callers pass it through {@link awsCall} to fail closed.
 */
export async function signedPost(service: SignedService, post: SignedPost): Promise<unknown> {
  // A monotonic clock: the deadline holds whatever the wall clock does.
  const deadline = performance.now() + CALL_TIMEOUT_MS;
  for (let n = 1; ; n++) {
    const outcome = await attempt(service, post, Math.max(1, Math.floor(deadline - performance.now())));
    if ('answer' in outcome) return outcome.answer;
    const base = outcome.throttled ? THROTTLED_BASE_DELAY_MS : BASE_DELAY_MS;
    const delay = Math.floor(Math.random() * base * 2 ** (n - 1));
    if (!outcome.retry || n >= ATTEMPTS || performance.now() + delay >= deadline) throw outcome.failure;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** One action of a service on the AWS JSON protocol, named by its `x-amz-target`, e.g. `AmazonSQS.SendMessageBatch`. */
export function jsonAction(
  service: SignedService & { readonly jsonVersion: '1.0' | '1.1' },
  target: string,
  input: unknown,
  headers: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  return signedPost(service, {
    path: '/',
    headers: {
      'content-type': `application/x-amz-json-${service.jsonVersion}`,
      'x-amz-target': target,
      ...headers,
    },
    body: JSON.stringify(input),
  });
}
