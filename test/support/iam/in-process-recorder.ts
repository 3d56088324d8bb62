/**
 * Records the AWS calls of handlers the local stack runs in this process, in the artefact suite's
 * {@link RecordedCall} format plus the handler that made each call. Every SDK client sends through
 * the one `NodeHttpHandler` class, so wrapping its `handle` sees each request as the emulator will,
 * signed and serialized, whichever adapter built the client, with no hook in the product code (the
 * class is taken from a client's own handler, so it is the very one the SDK resolves); the
 * calling function is the local stack's current invocation (local/invocation.ts). Calls made
 * outside any invocation (test set-up, the harness's own reads) are not recorded.
 */
import { appendFileSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { currentInvocation, type Invocation } from '../../../local/invocation';
import { actionOf, type RecordedCall, requestCredentialOf } from '../call-recorder';
import type { StackLine } from './recordings';

/** A call of a handler run in-process: which handler made it; `accessKeyId` is the local one. */
export interface InProcessCall extends RecordedCall {
  readonly handler: string;
}

/** The SDK's HTTP handler as far as recording needs it. */
interface Handler {
  handle(
    request: unknown,
    options?: unknown,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string> } }>;
}

interface HttpRequestLike {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  // A stream would be consumed by reading it; no JSON-protocol client sends one.
  return '';
}

function pathWithQuery(request: HttpRequestLike): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v ?? '');
  }
  const text = query.toString();
  return text ? `${request.path}?${text}` : request.path;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const found = Object.keys(headers).find((h) => h.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

let installed: { file: string; source: string; stacks: Set<string> } | undefined;

/**
 * Starts recording into `file` (JSON lines), naming the calls' origin `source`. Each distinct
 * stack environment gets one {@link StackLine} before its first call, so the IAM check can map the
 * emulator's resource names back to the template. Installing twice keeps the first file.
 */
export function recordInProcessCalls(file: string, source: string): void {
  if (installed) return;
  installed = { file, source, stacks: new Set() };
  const target = installed;
  const probe = new SQSClient({ region: 'ap-northeast-2' });
  const prototype = Object.getPrototypeOf(probe.config.requestHandler) as Handler;
  probe.destroy();
  if (typeof prototype.handle !== 'function') throw new Error('the SDK request handler has no handle method');
  const original = prototype.handle;
  prototype.handle = async function recordedHandle(this: Handler, ...args: Parameters<Handler['handle']>) {
    const invocation = currentInvocation();
    if (!invocation) return original.apply(this, args);
    const request = args[0] as unknown as HttpRequestLike;
    const at = new Date().toISOString();
    const note = (status: number, errorType?: string) =>
      write(target, invocation, request, at, status, errorType);
    try {
      const out = await original.apply(this, args);
      const status = out.response.statusCode;
      const errorType = header(out.response.headers, 'x-amzn-errortype')?.split(':')[0];
      note(status, status >= 300 ? errorType : undefined);
      return out;
    } catch (error) {
      note(0);
      throw error;
    }
  };
  recordSignedFetches(target);
}

/**
 * The adapters that reach AWS without an SDK client send with `fetch`: presigned S3 requests (the
 * signature in the query) and SESv2 SendEmail (the signature in the Authorization header). Those a
 * handler sends are recorded the same way.
 */
function recordSignedFetches(target: { file: string; source: string; stacks: Set<string> }): void {
  const original = globalThis.fetch;
  globalThis.fetch = async function recordedFetch(input: string | URL | Request, init?: RequestInit) {
    const invocation = currentInvocation();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const signed =
      url.includes('X-Amz-Credential=') || /^AWS4-HMAC-SHA256 /.test(headers.authorization ?? '');
    if (!invocation || !signed) return original(input, init);
    const u = new URL(url);
    const request: HttpRequestLike = {
      method: init?.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    const at = new Date().toISOString();
    try {
      const res = await original(input, init);
      const errorType = res.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP ${res.status}`;
      write(target, invocation, request, at, res.status, res.status >= 300 ? errorType : undefined);
      return res;
    } catch (error) {
      write(target, invocation, request, at, 0, undefined);
      throw error;
    }
  };
}

function write(
  target: { file: string; source: string; stacks: Set<string> },
  invocation: Invocation,
  request: HttpRequestLike,
  at: string,
  status: number,
  errorType: string | undefined,
): void {
  const source = `${target.source}#${stackKey(target, invocation)}`;
  const body = bodyText(request.body);
  const path = pathWithQuery(request);
  const { accessKeyId, service } = requestCredentialOf(header(request.headers, 'authorization'), path);
  const call: InProcessCall = {
    accessKeyId: accessKeyId ?? 'unsigned',
    service: service ?? 'unsigned',
    action: actionOf(request.method, path, header(request.headers, 'x-amz-target'), body),
    method: request.method,
    path,
    body,
    status,
    ...(errorType ? { errorType } : {}),
    source,
    at,
    handler: invocation.handler,
  };
  appendFileSync(target.file, `${JSON.stringify(call)}\n`);
}

/** The stack an invocation belongs to, announced once per file with its environment. */
function stackKey(
  target: { file: string; source: string; stacks: Set<string> },
  invocation: Invocation,
): number {
  const env = JSON.stringify(invocation.env);
  const known = [...target.stacks];
  const index = known.indexOf(env);
  if (index >= 0) return index;
  target.stacks.add(env);
  const line: StackLine = {
    kind: 'stack',
    source: `${target.source}#${known.length}`,
    profile: invocation.env.POLICY_PROFILE ?? '',
    env: invocation.env,
  };
  appendFileSync(target.file, `${JSON.stringify(line)}\n`);
  return known.length;
}
