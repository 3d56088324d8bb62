/**
 * A whole local stack for one test file: its own moto server on a free port, the profile's
 * resources bootstrapped into it, and the front on a free port. Tests talk to it with fetch.
 * One stack per process: handlers read their environment when first imported.
 */
import { request } from 'node:http';
import { expect } from 'vitest';
import { ensureLocalAccount } from '../../local/accounts';
import { startMoto } from '../../local/emulator';
import { asFunction } from '../../local/invocation';
import {
  generateIssuerKey,
  type IssuerKey,
  LOCAL_AUDIENCE,
  signIdToken,
  type TokenOptions,
} from '../../local/issuer';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { writeState } from '../../local/state';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';

/** A running stack, as a test sees it. */
export interface TestStack {
  readonly profile: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** The emulator endpoint, reached directly (never through the fault proxy). */
  readonly endpoint: string;
  /** With `faults`, the proxy between the handlers and the emulator. */
  readonly faults?: FaultProxy;
  /** The handler environment bootstrap produced. */
  readonly env: Readonly<Record<string, string>>;
  readonly stack: LocalStack;
  readonly issuerKey: IssuerKey;
  /** An ID token the front accepts (or, with `expiresInSeconds` < 0, an expired one). */
  token(sub: string, options?: TokenOptions): Promise<string>;
  /** Signs up `username` in the local user pool, as Cognito would; its member id and a token. */
  account(username: string, options?: TokenOptions): Promise<{ sub: string; token: string }>;
  /** Lines the front logged, for assertions on what it logs. */
  readonly log: readonly string[];
  /** Stops the front and the emulator; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a private stack for `profile`. Call `stop()` in afterAll. With `faults`, handlers reach
 * the emulator through a {@link FaultProxy} the test arms.
 */
export async function startTestStack(
  profile: string,
  options: { faults?: boolean } = {},
): Promise<TestStack> {
  const issuerKey = await generateIssuerKey();
  const log: string[] = [];
  const moto = await startMoto();
  let faults: FaultProxy | undefined;
  let stack: LocalStack;
  try {
    faults = options.faults ? await startFaultProxy(moto.endpoint) : undefined;
    const proxy = faults;
    stack = await startLocalStack({
      profile,
      issuerKey,
      port: 0,
      emulator: proxy
        ? { endpoint: proxy.endpoint, owned: true, stop: () => proxy.close().finally(() => moto.stop()) }
        : moto,
      log: (line) => log.push(line),
    });
  } catch (error) {
    await faults?.close();
    await moto.stop();
    throw error;
  }
  return {
    profile,
    baseUrl: `http://127.0.0.1:${stack.front.port}`,
    endpoint: moto.endpoint,
    ...(faults ? { faults } : {}),
    env: stack.resources.env,
    stack,
    issuerKey,
    token: (sub, options = {}) => signIdToken(issuerKey, stack.front.issuer, sub, options),
    account: async (username, options = {}) => {
      const sub = await ensureLocalAccount(moto.endpoint, stack.resources.userPoolId, username);
      return { sub, token: await signIdToken(issuerKey, stack.front.issuer, sub, { ...options, username }) };
    },
    log,
    stop: () => stack.stop(),
  };
}

/**
 * A handler a test calls directly (no trigger runs it locally), run as an invocation of its
 * function like the local stack runs the others, so its AWS calls are attributed to it.
 */
export function invoked<A extends unknown[], R>(
  handler: string,
  env: Readonly<Record<string, string>>,
  run: (...args: A) => R,
): (...args: A) => R {
  return (...args) => asFunction({ handler, env }, () => run(...args));
}

/** What `rawRequest` got back. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A request fetch refuses to make (e.g. GET with a body), over node:http. */
export function rawRequest(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // node frames a GET body only when told how: Content-Length unless chunked is asked for.
    const headers = { ...options.headers };
    const chunked = Object.entries(headers).some(
      ([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked',
    );
    if (options.body !== undefined && !chunked)
      headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(url, { method: options.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** An RFC 9457 problem body. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly [member: string]: unknown;
}

/** Traces of internals that must never reach a client: stack frames, file paths, error classes. */
const INTERNALS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\/work\/|Error:|TypeError|ReferenceError/;

/** Asserts `response` is a problem+json with `status` and no internals; returns its body. */
export async function expectProblem(response: Response | RawResponse, status: number): Promise<ProblemBody> {
  const isFetch = response instanceof Response;
  const contentType = isFetch ? response.headers.get('content-type') : response.headers['content-type'];
  const text = isFetch ? await response.text() : response.body;
  expect(response.status).toBe(status);
  expect(contentType).toMatch(/^application\/problem\+json/);
  expect(text).not.toMatch(INTERNALS);
  const body = JSON.parse(text) as ProblemBody;
  expect(body.status).toBe(status);
  // The API's own problems name their kind; the gateway's (no route, method) are about:blank.
  expect(body.type).toMatch(/^(urn:privacy-rights:problem:[a-z-]+|about:blank)$/);
  expect(typeof body.title).toBe('string');
  return body;
}

/**
 * Describes `stack` in `stateFile` as `npm start` does, so the local CLIs (token, import, vault…)
 * run against it: `env` adds to the stack's variables.
 */
export async function writeLocalState(
  stack: TestStack,
  profile: string,
  stateFile: string,
  options: { issuerKeyPath: string; env?: Record<string, string> },
): Promise<void> {
  await writeState(
    {
      profile,
      url: stack.baseUrl,
      port: stack.stack.front.port,
      endpoint: stack.endpoint,
      emulatorOwned: true,
      issuer: stack.stack.front.issuer,
      audience: LOCAL_AUDIENCE,
      issuerKeyPath: options.issuerKeyPath,
      env: { ...stack.env, ...options.env },
      pid: process.pid,
      startedAt: new Date().toISOString(),
    },
    stateFile,
  );
}
