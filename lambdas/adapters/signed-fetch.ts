/**
 * What the adapters that reach AWS through signed requests and `fetch`, without the service's SDK
 * client, have in common: S3 (signed-s3.ts) and SES (mailer.ts). The signer hashes with
 * node:crypto, and every call is bounded in time so a silent service fails the caller closed
 * instead of holding it until the function times out.
 */
import { createHash, createHmac } from 'node:crypto';

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
