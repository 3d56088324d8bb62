/**
 * The local front: what API Gateway and its Cognito authorizer do in AWS, over node:http. It
 * matches the route table, refuses unknown paths (404), wrong methods (405), oversized bodies
 * (413) and bad tokens (401) without calling a handler, builds the REST API proxy event, and
 * runs the route's handler module in-process. It also serves /docs, the local issuer's keys and
 * sign-in page, and the pages people use (/privacy, /console) with their CSP.
 */
import { access } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { MAX_BODY_BYTES, SECURITY_HEADERS } from '../lambdas/http/constants';
import { seoulDay } from '../model/calendar';
import { ENV } from '../model/resources';
import { type ProblemKind, problemType } from '../model/routes/problems';
import type { Route } from '../model/routes/route';
import { routeById, routesOf } from '../model/routes/table';
import { triggers } from '../model/workloads';
import { loadCatalogue } from '../policy/catalogue';
import { pageHeaders } from '../web/build';
import { applyEnvironment } from './bootstrap';
import { DOCS_PATH, docsResponse } from './docs';
import { asFunction } from './invocation';
import {
  apiGatewayClaims,
  type IssuerKey,
  issuerUrl,
  LOCAL_AUDIENCE,
  TokenRejected,
  verifyIdToken,
} from './issuer';
import { INTEGRATION_TIMEOUT_MS, type IncomingRequest, lambdaContext, proxyEvent } from './lambda-event';
import { isPagePath, PAGE_PATHS, pageResponse, prepareLocalPages } from './pages';
import { createRouter } from './router';
import { createSignIn, SIGN_IN_CSS, type SignInResponse } from './sign-in';
import { ROOT } from './state';

/** Where route handlers live: lambdas/handlers/<route id>.ts, exporting `handler`. */
export const HANDLERS_DIR = join(ROOT, 'lambdas', 'handlers');
/** The local issuer's key set. */
export const JWKS_PATH = '/.well-known/jwks.json';
const OPENAPI_ROUTE_ID = 'get-openapi';
/** The Cognito post-authentication trigger's handler file. */
const SIGN_IN_TRIGGER = triggers.postAuthentication.handler;

/** A Lambda handler as the front calls it. */
type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** How to start the front. */
export interface FrontOptions {
  readonly profile: string;
  /** The handler environment from bootstrap; set on this process before any handler loads. */
  readonly env: Readonly<Record<string, string>>;
  readonly issuerKey: IssuerKey;
  /** @default 3000; 0 picks a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** One line per request; @default stdout */
  readonly log?: (line: string) => void;
  /** @default lambdas/handlers */
  readonly handlersDir?: string;
  /** The routes to serve; tests pass their own to exercise the gateway. @default the route table */
  readonly routes?: readonly Route[];
  /** Run the post-authentication trigger on a token's first use each day. @default true */
  readonly recordSignIns?: boolean;
  /** Told how long each route handler ran (its module already loaded): the bench bills Lambda time by it. */
  readonly onInvoked?: (handler: string, durationMs: number) => void;
}

/** The front's port is taken; the message says what to do. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** A running front. */
export interface Front {
  readonly url: string;
  readonly port: number;
  readonly issuer: string;
  readonly audience: string;
  /** Stops accepting requests, closes connections and restores the process environment. */
  close(): Promise<void>;
}

/** Headers on every response the front itself writes. No Set-Cookie, ever (G14). */
const FRONT_HEADERS = SECURITY_HEADERS;

/** An RFC 9457 problem, as the gateway writes it: a title and a detail, never internals. */
interface Problem {
  /** The kind, where the OpenAPI document declares it for every route (model/routes/problems.ts). */
  readonly kind?: ProblemKind;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const problems = {
  notFound: { status: 404, title: 'Not Found', detail: 'No route matches this path.' },
  badPath: {
    kind: 'invalid-input',
    status: 400,
    title: 'Bad Request',
    detail: 'The path is not validly encoded.',
  },
  tooLarge: {
    kind: 'payload-too-large',
    status: 413,
    title: 'Payload Too Large',
    detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
  },
  unauthorized: {
    kind: 'unauthorized',
    status: 401,
    title: 'Unauthorized',
    detail: 'A valid bearer token is required.',
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  },
  badGateway: { status: 502, title: 'Bad Gateway', detail: 'The route failed to respond.' },
  timeout: { status: 504, title: 'Gateway Timeout', detail: 'The route did not respond in time.' },
} as const satisfies Record<string, Problem>;

function methodNotAllowed(allow: readonly string[]): Problem {
  return {
    status: 405,
    title: 'Method Not Allowed',
    detail: `This path accepts ${allow.join(', ')}.`,
    headers: { allow: allow.join(', ') },
  };
}

function sendProblem(res: ServerResponse, problem: Problem): number {
  const body = JSON.stringify({
    type: problem.kind ? problemType(problem.kind) : 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
  });
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    ...FRONT_HEADERS,
    ...problem.headers,
  });
  res.end(body);
  return problem.status;
}

function sendBody(res: ServerResponse, status: number, contentType: string, body: string | Buffer): number {
  res.writeHead(status, { 'content-type': contentType, ...FRONT_HEADERS });
  res.end(body);
  return status;
}

/** Reads the body; undefined when it grows past the limit (the rest is read and dropped). */
function readBody(req: IncomingMessage): Promise<string | null | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit, keep draining: answering mid-upload would reset the client's connection.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else resolve(size === 0 ? null : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  // The Cognito authorizer takes the raw token; clients usually send "Bearer <token>".
  const token = header.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isInteger((value as APIGatewayProxyResult).statusCode) &&
    ((value as APIGatewayProxyResult).body === undefined ||
      typeof (value as APIGatewayProxyResult).body === 'string')
  );
}

/** Why a handler could not produce a response; logged by class only. */
class InvocationFailed extends Error {
  override name = 'InvocationFailed';
  constructor(
    readonly problem: Problem,
    reason: string,
  ) {
    super(reason);
  }
}

/** The front's handler modules, loaded once per process with the environment they saw. */
const handlerCache = new Map<string, Promise<ProxyHandler>>();
let loadedWithEnv: string | undefined;

function loadHandler(handlersDir: string, routeId: string): Promise<ProxyHandler> {
  const cached = handlerCache.get(routeId);
  if (cached) return cached;
  const file = join(handlersDir, `${routeId}.ts`);
  const shown = relative(ROOT, file);
  const loading = (async () => {
    try {
      await access(file);
    } catch {
      throw new InvocationFailed(problems.badGateway, `no handler file ${shown}`);
    }
    let module: { handler?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    } catch (error) {
      // A load failure happens before any request data exists: its message is safe and useful.
      const why = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      throw new InvocationFailed(problems.badGateway, `${shown} failed to load (${why})`);
    }
    if (typeof module.handler !== 'function') {
      throw new InvocationFailed(problems.badGateway, `${shown} exports no handler`);
    }
    return module.handler as ProxyHandler;
  })();
  handlerCache.set(routeId, loading);
  // A missing or broken file is retried on the next request: handlers may appear while running.
  loading.catch(() => handlerCache.delete(routeId));
  return loading;
}

async function invoke(
  handler: ProxyHandler,
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<APIGatewayProxyResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvocationFailed(problems.timeout, 'integration timeout')),
      INTEGRATION_TIMEOUT_MS,
    );
  });
  try {
    const result = await Promise.race([handler(event, context), timeout]);
    if (!isProxyResult(result))
      throw new InvocationFailed(problems.badGateway, 'malformed Lambda proxy response');
    return result;
  } catch (error) {
    if (error instanceof InvocationFailed) throw error;
    throw new InvocationFailed(problems.badGateway, `handler threw ${(error as Error)?.name ?? 'a value'}`);
  } finally {
    clearTimeout(timer);
  }
}

function sendResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string): number {
  const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  const body = result.body ?? '';
  res.writeHead(result.statusCode, headers);
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  return result.statusCode;
}

function sourceIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** Starts the front; resolves once it listens. */
export async function startFront(options: FrontOptions): Promise<Front> {
  const envKey = JSON.stringify(options.env);
  if (loadedWithEnv !== undefined && loadedWithEnv !== envKey && handlerCache.size > 0) {
    // Handlers read their environment at import: a second stack here would talk to the first.
    throw new Error(
      'handlers are already loaded for another local stack in this process: use one per process',
    );
  }
  loadedWithEnv = envKey;
  const restoreEnv = applyEnvironment(options.env);

  const router = createRouter(options.routes ?? routesOf(loadCatalogue(options.profile)));
  for (const local of PAGE_PATHS) {
    if (router.match('GET', local).kind !== 'no-path') throw new Error(`a route shadows the page ${local}`);
  }
  for (const local of [DOCS_PATH, JWKS_PATH]) {
    if (router.match('GET', local).kind !== 'no-path')
      throw new Error(`a route shadows the local path ${local}`);
  }
  const handlersDir = options.handlersDir ?? HANDLERS_DIR;
  const catalogue = loadCatalogue(options.profile);
  void prepareLocalPages().catch(() => undefined);
  const signIn = createSignIn({
    issuerKey: options.issuerKey,
    issuer: () => issuer,
    port: () => port,
    methods: catalogue.signIn,
    endpoint: options.env[ENV.endpoint] ?? '',
    userPoolId: options.env[ENV.userPoolId] ?? '',
    pagePaths: PAGE_PATHS,
  });
  const sendSignIn = (res: ServerResponse, answer: SignInResponse) => {
    const html = answer.headers['content-type']?.startsWith('text/html');
    res.writeHead(answer.status, { ...FRONT_HEADERS, ...(html ? pageHeaders() : {}), ...answer.headers });
    res.end(answer.body);
    return answer.status;
  };
  // Cognito runs the post-authentication trigger at sign-in; locally a token's first use on a
  // Seoul day stands for the sign-in, and the same trigger handler records it. A token carrying
  // an earlier or later sign-in (auth_time) runs no trigger: see below.
  const signedInOn = new Map<string, string>();
  const recordSignIn = async (claims: Record<string, string>) => {
    const today = seoulDay(new Date());
    if (!claims.sub || signedInOn.get(claims.sub) === today) return;
    const trigger = (await loadHandler(handlersDir, SIGN_IN_TRIGGER)) as unknown as (
      e: unknown,
    ) => Promise<unknown>;
    await asFunction({ handler: SIGN_IN_TRIGGER, env: options.env }, () =>
      trigger({
        version: '1',
        triggerSource: 'PostAuthentication_Authentication',
        region: 'ap-northeast-2',
        userPoolId: 'local',
        userName: claims.sub,
        callerContext: { awsSdkVersion: 'local', clientId: LOCAL_AUDIENCE },
        request: { userAttributes: { sub: claims.sub }, newDeviceUsed: false },
        response: {},
      }),
    );
    signedInOn.set(claims.sub, today);
  };
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const openapiPath = routeById(OPENAPI_ROUTE_ID).path;
  let issuer = '';
  let port = 0;

  /** Serves the front's own pages; returns the log id and status, or undefined when none matches. */
  const localEndpoint = async (path: string, res: ServerResponse) => {
    if (path === JWKS_PATH) {
      const status = sendBody(
        res,
        200,
        'application/json',
        JSON.stringify({ keys: [options.issuerKey.publicJwk] }),
      );
      return { id: 'jwks', status };
    }
    if (path === `${new URL(issuer).pathname}/.well-known/openid-configuration`) {
      const discovery = {
        issuer,
        jwks_uri: `http://localhost:${port}${JWKS_PATH}`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
      };
      return { id: 'issuer', status: sendBody(res, 200, 'application/json', JSON.stringify(discovery)) };
    }
    const docs = await docsResponse(path, openapiPath);
    return docs ? { id: 'docs', status: sendBody(res, 200, docs.contentType, docs.body) } : undefined;
  };

  /** The pages and the local issuer's sign-in endpoints; undefined when the path is neither. */
  const pageEndpoint = async (method: string, url: URL, req: IncomingMessage, res: ServerResponse) => {
    const path = url.pathname;
    const issuerPath = new URL(issuer).pathname;
    if (isPagePath(path)) {
      if (method !== 'GET') return { id: 'page', status: sendProblem(res, methodNotAllowed(['GET'])) };
      const page = await pageResponse(path, url.search, { profile: options.profile, issuerPath });
      if (!page) return { id: 'page', status: sendProblem(res, problems.notFound) };
      res.writeHead(page.status, page.headers);
      res.end(page.body);
      return { id: 'page', status: page.status };
    }
    if (path === `${issuerPath}/authorize` && method === 'GET')
      return { id: 'sign-in', status: sendSignIn(res, signIn.page(url.searchParams)) };
    if (path === `${issuerPath}/sign-in.css` && method === 'GET')
      return { id: 'sign-in', status: sendBody(res, 200, 'text/css; charset=utf-8', SIGN_IN_CSS) };
    if ((path === `${issuerPath}/authorize` || path === `${issuerPath}/token`) && method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return { id: 'sign-in', status: sendProblem(res, problems.tooLarge) };
      const answer = path.endsWith('/token') ? signIn.token(body ?? '') : await signIn.submit(body ?? '');
      return { id: 'sign-in', status: sendSignIn(res, answer) };
    }
    return undefined;
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ id: string; status: number }> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const match = router.match(method, path);
    if (match.kind === 'no-path') {
      const page = await pageEndpoint(method, url, req, res);
      if (page) return page;
      const isLocal =
        path === JWKS_PATH ||
        path === DOCS_PATH ||
        path.startsWith(`${DOCS_PATH}/`) ||
        path.startsWith(`${new URL(issuer).pathname}/`);
      if (isLocal && method !== 'GET')
        return { id: '-', status: sendProblem(res, methodNotAllowed(['GET'])) };
      const local = method === 'GET' ? await localEndpoint(path, res) : undefined;
      return local ?? { id: '-', status: sendProblem(res, problems.notFound) };
    }
    if (match.kind === 'bad-path') return { id: '-', status: sendProblem(res, problems.badPath) };
    if (match.kind === 'no-method')
      return { id: '-', status: sendProblem(res, methodNotAllowed(match.allow)) };

    const route: Route = match.route;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return { id: route.id, status: sendProblem(res, problems.tooLarge) };

    let claims: Record<string, string> | undefined;
    if (route.access !== 'public') {
      const token = bearerToken(req);
      if (!token) return { id: route.id, status: sendProblem(res, problems.unauthorized) };
      let payload: JWTPayload;
      try {
        payload = await verifyIdToken(token, { key: options.issuerKey, issuer });
      } catch (error) {
        if (!(error instanceof TokenRejected)) throw error;
        return { id: route.id, status: sendProblem(res, problems.unauthorized) };
      }
      claims = apiGatewayClaims(payload);
      // A token issued after its sign-in (auth_time before or after iat) belongs to a sign-in made
      // elsewhere: Cognito runs no trigger on a refresh, and `npm run token -- --signed-in-at`
      // has recorded its own. Recording it again would move the sign-in to the real clock.
      if (options.recordSignIns !== false && payload.auth_time === payload.iat) {
        try {
          await recordSignIn(claims);
        } catch {
          // As in Cognito: a failing trigger fails the sign-in, and nothing else runs.
          return { id: route.id, status: sendProblem(res, problems.badGateway) };
        }
      }
    }

    const body = await readBody(req);
    if (body === undefined) return { id: route.id, status: sendProblem(res, problems.tooLarge) };

    const request: IncomingRequest = {
      method,
      path,
      search: url.searchParams,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: sourceIp(req),
      localPort: port,
    };
    const event = proxyEvent(request, route, match.pathParameters, claims);
    try {
      const handler = await loadHandler(handlersDir, route.id);
      const invokedAt = performance.now();
      const result = await asFunction({ handler: route.id, env: options.env }, () =>
        invoke(handler, event, lambdaContext(`${options.profile}-${route.id}`)),
      );
      options.onInvoked?.(route.id, performance.now() - invokedAt);
      return { id: route.id, status: sendResult(res, result, event.requestContext.requestId) };
    } catch (error) {
      const failure =
        error instanceof InvocationFailed
          ? error
          : new InvocationFailed(problems.badGateway, 'invocation failed');
      log(`  ${route.id}: ${failure.message}`);
      return { id: route.id, status: sendProblem(res, failure.problem) };
    }
  };

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    handle(req, res)
      .catch(() => ({
        id: '-',
        status: res.headersSent ? res.statusCode : sendProblem(res, problems.badGateway),
      }))
      .then(({ id, status }) => {
        // Method, route, status and time only: never paths, bodies or tokens.
        log(`${req.method} ${id} ${status} ${Math.round(performance.now() - started)}ms`);
      });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    restoreEnv();
    if (error.code === 'EADDRINUSE') throw new PortInUseError(`port ${options.port} is in use: pass --port`);
    throw error;
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://localhost:${port}`;
  issuer = issuerUrl(url);

  return {
    url,
    port,
    issuer,
    audience: LOCAL_AUDIENCE,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      restoreEnv();
    },
  };
}
