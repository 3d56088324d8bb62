/**
 * Sending email through SES v2 in Seoul, as SigV4-signed `fetch` requests rather than through the
 * SESv2 client: the client, its REST-JSON protocol and the multi-region signer it brings added
 * 26-29 KB to every function that mails. The request is the one the client's SendEmailCommand sends, and a
 * call behaves as the client's does in its standard retry mode: three attempts in all, with
 * exponential backoff and full jitter, for throttling, server errors and network failures only;
 * here all within one deadline ({@link CALL_TIMEOUT_MS}). Every failure fails the caller closed
 * through {@link awsCall}, as every SDK call does, its cause named by SES's error (e.g.
 * `MessageRejected`) and never carrying the address or the message.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import pThrottle from 'p-throttle';
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { awsCall } from './aws-call';
import { CALL_TIMEOUT_MS, fetchWithin, Sha256 } from './signed-fetch';
import { isSuppressed } from './suppression';

/** SES v2 in Seoul, where no emulator is named. */
const SES_ENDPOINT = `https://email.${SEOUL_REGION}.amazonaws.com`;
/** The REST path of SESv2 SendEmail. */
export const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
/** Attempts at one email, the first included (the SDK's standard mode). */
export const SEND_ATTEMPTS = 3;
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

let signer: SignatureV4 | undefined;
function sesSigner(): SignatureV4 {
  signer ??= new SignatureV4({
    service: 'ses',
    region: SEOUL_REGION,
    credentials: fromEnv(),
    sha256: Sha256,
  });
  return signer;
}

/** One plain-text email. Callers keep personal data out of subjects; bodies go to the member only. */
export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** A failed answer of SES, named by its error; its message, which may quote an address, is left out. */
class SesError extends Error {
  constructor(
    name: string,
    readonly status: number,
  ) {
    super(`SES answered ${status}`);
    this.name = name;
  }
}

/** SES's error name: the `x-amzn-ErrorType` header, else the body's `__type` or `code`. */
async function errorOf(res: Response): Promise<SesError> {
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
  return new SesError(name && /^[A-Za-z][\w.]*$/.test(name) ? name : 'UnknownError', res.status);
}

/** SendEmail's URL and its signed headers for `body`; a credential missing fails here, unsent. */
async function signedRequest(body: string): Promise<{ url: string; headers: Record<string, string> }> {
  const url = new URL(SEND_EMAIL_PATH, process.env[ENV.endpoint] || SES_ENDPOINT);
  const signed = await sesSigner().sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  return { url: url.href, headers: signed.headers };
}

/** The outcome of one attempt: the message id, or the failure and whether another attempt may mend it. */
type Attempt =
  | { readonly messageId: string }
  | { readonly failure: unknown; readonly retry: boolean; readonly throttled: boolean };

/** One signed POST of `body` to SendEmail, within `ms`. */
async function attempt(body: string, ms: number): Promise<Attempt> {
  // Signed anew for each attempt, as the SDK does: the signature dates the request.
  const { url, headers } = await signedRequest(body);
  let res: Response;
  try {
    res = await fetchWithin(url, { method: 'POST', headers, body }, ms);
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
  // The email is accepted: an unreadable answer fails closed but is never sent again.
  const out = (await res.json()) as { MessageId?: unknown };
  return { messageId: typeof out.MessageId === 'string' ? out.MessageId : '' };
}

/** Sends an email; returns the SES message id. */
export function sendEmail(email: Email): Promise<string> {
  return awsCall('ses', async () => {
    // A monotonic clock: the deadline holds whatever the wall clock does.
    const deadline = performance.now() + CALL_TIMEOUT_MS;
    const body = JSON.stringify({
      FromEmailAddress: requireEnv(ENV.senderAddress),
      ConfigurationSetName: requireEnv(ENV.configurationSet),
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      },
    });
    for (let n = 1; ; n++) {
      const outcome = await attempt(body, Math.max(1, Math.floor(deadline - performance.now())));
      if ('messageId' in outcome) return outcome.messageId;
      const base = outcome.throttled ? THROTTLED_BASE_DELAY_MS : BASE_DELAY_MS;
      const delay = Math.floor(Math.random() * base * 2 ** (n - 1));
      if (!outcome.retry || n >= SEND_ATTEMPTS || performance.now() + delay >= deadline)
        throw outcome.failure;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  });
}

/** Where a notice goes: the address and the catalogue item it is (for the suppression list). */
export interface NoticeRecipient {
  readonly profile: string;
  readonly itemId: string;
  /** The address's blind index, when the caller holds it (a member's lookup item): no KMS call then. */
  readonly mac?: string;
}

/** What became of a notice: sent, or recorded as undeliverable because SES reported the address. */
export type NoticeOutcome = { readonly sent: true; readonly messageId: string } | { readonly sent: false };

/**
 * Sends per function instance at most SES_SEND_RATE per second (a sliding window), so all worker
 * instances together stay under the account's SES quota; without the variable, sends are unpaced.
 */
let paced: ((email: Email) => Promise<string>) | undefined;
function pacedSend(email: Email): Promise<string> {
  if (!paced) {
    const rate = Number(process.env[ENV.sendRate]);
    paced =
      Number.isFinite(rate) && rate > 0
        ? pThrottle({ limit: Math.floor(rate), interval: 1_000, strict: true })(sendEmail)
        : sendEmail;
  }
  return paced(email);
}

/**
 * Sends a notice unless the address bounced or complained before: then nothing is sent and the
 * caller records the notice as undeliverable.
 */
export async function sendNotice(email: Email, recipient: NoticeRecipient): Promise<NoticeOutcome> {
  if (await isSuppressed(recipient.profile, recipient.itemId, email.to, recipient.mac))
    return { sent: false };
  return { sent: true, messageId: await pacedSend(email) };
}
