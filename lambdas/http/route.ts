/**
 * The HTTP edge of every API handler: one middy chain built from the route table. Handlers
 * give their route and a function from its validated, typed input to a result; everything else (who may
 * call, parsing, validation, problem responses, headers) happens here, once. What the edge does
 * with AWS (the access log, the suspension check, officers' access records, Idempotency-Key
 * support) the handler hands in as its {@link RouteEdge}, so each function bundles only what its
 * route uses; the route table decides which parts a route must have.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import {
  blockableUse,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  OFFICER_GROUP,
  type Route,
  recordsAccess,
} from '../../model/routes/route';
import { loadCatalogue } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';
import type { recordAccess } from '../features/access-log/access-log';
import type { appendAccessRecord } from '../features/access-records/access-records';
import type { memberStatus } from '../features/members/store';
import { suspendedRefusal } from '../features/members/suspension';
import { requireEnv } from '../runtime/env';
import { Forbidden, InvalidInput, NotAMember } from '../runtime/errors';
import { logger } from '../runtime/logger';
import type { Principal } from '../runtime/principal';
import { MAX_BODY_BYTES, SECURITY_HEADERS } from './constants';
import { principalOf } from './principal';
import { EdgeRefusal, problemFor } from './problems';

/**
 * An Idempotency-Key middleware factory (lambdas/adapters/idempotency.ts), given what decides
 * whether a stored response may still be replayed.
 */
export type IdempotencyMiddleware = (
  stillHolds?: (event: APIGatewayProxyEvent) => Promise<void>,
) => MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * The parts of the edge that call AWS, imported by each handler for its route. The route table
 * decides which a route must have: {@link httpRoute} refuses a handler that leaves one out.
 */
export interface RouteEdge {
  /** G3: records each admitted call; every route that is not public. */
  readonly recordAccess?: typeof recordAccess;
  /** L12: a member's status; member routes that are a use of the service a suspension may block. */
  readonly memberStatus?: typeof memberStatus;
  /** G17: an officer's handler access record; officer routes. */
  readonly appendAccessRecord?: typeof appendAccessRecord;
  /** Idempotency-Key support; idempotent routes, and only those (it is the largest part). */
  readonly idempotency?: IdempotencyMiddleware;
}

/** What a request part's schema parses to; a route without the schema takes an empty object. */
type Parsed<Build> = Build extends (catalogue: Catalogue) => z.ZodMiniType<infer Output>
  ? Output
  : Record<string, never>;

/** The validated body of route `R`, typed from its schema. */
export type BodyOf<R extends Route> = R extends { readonly body: infer Build }
  ? Parsed<Build>
  : Record<string, never>;

/** The validated query of route `R`, typed from its schema. */
export type QueryOf<R extends Route> = R extends { readonly query: infer Build }
  ? Parsed<Build>
  : Record<string, never>;

/** The caller of route `R`: always present unless the route is public (the edge refuses anyone else). */
export type CallerOf<R extends Route> = R['access'] extends 'public' ? Principal | undefined : Principal;

/** What the implementation of route `R` receives: validated parts of the request and the caller. */
export interface RouteInput<R extends Route = Route> {
  readonly body: BodyOf<R>;
  readonly query: QueryOf<R>;
  readonly path: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly principal: CallerOf<R>;
  readonly catalogue: Catalogue;
  readonly event: APIGatewayProxyEvent;
  /**
   * Officer routes only: writes the handler access record of this action (G17). Call it once,
   * before touching or returning any data; a route that returns without it fails.
   */
  readonly recordAccess: (details: AccessDetails) => Promise<void>;
}

/** What an officer action states about itself for its access record. */
export interface AccessDetails {
  readonly memberId?: string;
  readonly requestId?: string;
  readonly reason?: string;
  /** The action hands the member's data out (an export): the monthly review lists it. */
  readonly download?: boolean;
}

/** What a route implementation returns: JSON bodies are serialized, strings sent as they are. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The body a declared response carries: its schema's output (or a rendered text where it also
 * names other content types), any document where it names other content types, else none.
 */
type ResponseBody<Declared> = Declared extends {
  readonly schema: (catalogue: Catalogue) => z.ZodMiniType<infer Output>;
}
  ? Fields<Output> | (Declared extends { readonly contentTypes: readonly string[] } ? string : never)
  : Declared extends { readonly contentTypes: readonly string[] }
    ? unknown
    : undefined;

/**
 * A response schema's output without the index signatures of its open objects: the fields it
 * names must be there with their types, and an implementation's own types need no index signature.
 */
type Fields<T> = T extends readonly (infer Element)[]
  ? readonly Fields<Element>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Fields<T[K]> }
    : T;

/** A result's body field: required when every declared response has one. */
type BodyField<Body> = undefined extends Body ? { readonly body?: Body } : { readonly body: Body };

/**
 * What the implementation of route `R` may return: a body its response schemas describe, so the
 * OpenAPI document and the handler cannot drift. (The status stays a number: a literal status
 * would widen inside a generic callback; the contract test checks each status is declared.)
 */
export type ResultOf<R extends Route> = number extends keyof R['responses']
  ? RouteResult // a route typed only as Route declares no particular response
  : RouteResult &
      BodyField<
        { [Status in keyof R['responses']]: ResponseBody<R['responses'][Status]> }[keyof R['responses']]
      >;

/** Turns thrown errors into problem responses, through the one table of {@link problemFor}. */
export function problemResponses(route: Route): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const onError: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>['onError'] = (request) => {
    // An officer named the member id: "join with POST /v1/members" is for the member only.
    const error =
      route.access === 'officer' && request.error instanceof NotAMember
        ? request.error.forOfficer()
        : request.error;
    const outcome = problemFor(error);
    if (outcome.status < 500)
      logger.info('request refused', { route: route.id, status: outcome.status, ...outcome.log });
    else logger.error('request failed', { route: route.id, status: outcome.status, ...outcome.log });
    request.response = outcome.response;
  };
  return { onError };
}

/** Refuses callers the route does not admit. Cognito only validates tokens; groups are ours. */
export function authorize(route: Route): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const before: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>['before'] = (request) => {
    if (route.access === 'public') return;
    const principal = principalOf(request.event);
    if (!principal) throw new EdgeRefusal(401, 'Unauthorized', 'A valid bearer token is required.');
    if (route.access === 'officer' && !principal.groups.includes(OFFICER_GROUP)) {
      throw new Forbidden('Forbidden', `This route requires the ${OFFICER_GROUP} group.`);
    }
  };
  return { before };
}

/**
 * Records each admitted call that names a member in the access log (G3) before the handler
 * runs, so a call that cannot be recorded fails closed (503) and changes nothing; calls the
 * handler refuses (400, 409, 422) are calls too, and are recorded. The IP address goes to the record sealed, never to a log line.
 */
export function accessLogging(
  route: Route,
  catalogue: Catalogue,
  recordAccess: RouteEdge['recordAccess'],
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const before: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>['before'] = async (request) => {
    if (!recordAccess || !recordsAccess(route)) return;
    const principal = principalOf(request.event);
    if (!principal) return;
    const sourceIp = request.event.requestContext?.identity?.sourceIp;
    if (!sourceIp) throw new Error('The request carries no source IP address');
    await recordAccess(catalogue, {
      memberId: principal.memberId,
      route: `${route.method} ${route.path}`,
      sourceIp,
      requestId: request.event.requestContext.requestId ?? request.context.awsRequestId,
      at: new Date(),
    });
  };
  return { before };
}

/**
 * L12: a suspension blocks the uses of the service its catalogue declares, never a privacy
 * right. One read of the profile's status, before the handler runs, on routes that are such a use.
 */
export function suspensionGuard(
  route: Route,
  catalogue: Catalogue,
  memberStatus: RouteEdge['memberStatus'],
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const use = blockableUse(route);
  const blocked = use !== undefined && catalogue.suspension.blocks.includes(use);
  const before: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>['before'] = async (request) => {
    if (!memberStatus || !blocked) return;
    const principal = principalOf(request.event);
    if (!principal) return;
    if ((await memberStatus(principal.memberId)) === 'suspended') throw suspendedRefusal();
  };
  return { before };
}

/**
 * What a member route's replay needs: the member still there. A response about a membership
 * since withdrawn or destroyed is not the answer any more (404), except the withdrawal's own,
 * whose receipt is exactly the state it left.
 */
export function replayNeedsMember(
  route: Route,
  memberStatus: RouteEdge['memberStatus'],
): ((event: APIGatewayProxyEvent) => Promise<void>) | undefined {
  if (route.access !== 'member' || route.use === 'withdraw' || !memberStatus) return undefined;
  return async (event) => {
    const principal = principalOf(event);
    if (!principal) return;
    const status = await memberStatus(principal.memberId);
    if (status === undefined || status === 'withdrawing') throw new NotAMember();
  };
}

/**
 * An Idempotency-Key is at most {@link MAX_IDEMPOTENCY_KEY_LENGTH} characters, as the OpenAPI
 * document declares: checked before the key is looked up or stored (an empty one is none).
 */
export function idempotencyKeyLimit(
  route: Route,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const before: MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>['before'] = (request) => {
    if (!route.idempotent) return;
    const key = request.event.headers?.['idempotency-key'];
    if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new InvalidInput([
        { field: 'Idempotency-Key', problem: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
  };
  return { before };
}

/** The parts of the edge `route` must have, by the route table; throws naming what is missing or extra. */
export function checkEdge(route: Route, edge: RouteEdge): void {
  const needs: Record<keyof RouteEdge, boolean> = {
    recordAccess: recordsAccess(route),
    memberStatus: blockableUse(route) !== undefined,
    appendAccessRecord: route.access === 'officer',
    idempotency: route.idempotent === true,
  };
  for (const [part, needed] of Object.entries(needs) as [keyof RouteEdge, boolean][]) {
    if (needed && !edge[part]) throw new Error(`Route ${route.id} needs ${part} in its edge`);
    // An idempotency middleware on a route that is not idempotent would only cost bundle size.
    if (part === 'idempotency' && !needed && edge[part]) {
      throw new Error(`Route ${route.id} is not idempotent: leave idempotency out of its edge`);
    }
  }
}

/** The field path of a zod issue, as clients name it. */
function fieldOf(path: readonly PropertyKey[], key?: string): string {
  const parts = [...path.map(String), ...(key ? [key] : [])];
  return parts.length > 0 ? parts.join('.') : '(body)';
}

/** Field-level problems, never echoing the submitted values. */
export function validationErrors(error: z.core.$ZodError): { field: string; problem: string }[] {
  return error.issues.flatMap((issue) => {
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ field: fieldOf(issue.path, key), problem: 'unknown field' }));
      case 'invalid_type':
        return [
          {
            field: fieldOf(issue.path),
            problem: issue.input === undefined ? 'required' : `must be ${issue.expected}`,
          },
        ];
      case 'invalid_value':
        return [
          { field: fieldOf(issue.path), problem: `must be one of ${issue.values.map(String).join(', ')}` },
        ];
      case 'too_small':
        return [{ field: fieldOf(issue.path), problem: `must be at least ${issue.minimum}` }];
      case 'too_big':
        return [{ field: fieldOf(issue.path), problem: `must be at most ${issue.maximum}` }];
      case 'invalid_format':
        return [{ field: fieldOf(issue.path), problem: `must be a valid ${issue.format}` }];
      case 'invalid_union': {
        // A discriminated union names the values its discriminator takes (e.g. the actions a
        // profile offers); other unions have nothing shorter to say.
        const options = (issue as { options?: readonly unknown[] }).options;
        if (options && options.length > 0)
          return [
            { field: fieldOf(issue.path), problem: `must be one of ${options.map(String).join(', ')}` },
          ];
        return [{ field: fieldOf(issue.path), problem: 'invalid' }];
      }
      default:
        return [{ field: fieldOf(issue.path), problem: 'invalid' }];
    }
  });
}

function parseJsonBody(event: APIGatewayProxyEvent): unknown {
  const raw =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw === '') {
    throw new EdgeRefusal(400, 'Invalid request', 'A JSON body is required.');
  }
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new EdgeRefusal(413, 'Payload too large', `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
  }
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new EdgeRefusal(415, 'Unsupported media type', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new EdgeRefusal(400, 'Invalid request', 'The body is not valid JSON.');
  }
}

function validate(schema: z.ZodMiniType, value: unknown): Record<string, unknown> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidInput(validationErrors(parsed.error));
  return parsed.data as Record<string, unknown>;
}

function serialize(result: RouteResult): APIGatewayProxyResult {
  const isText = typeof result.body === 'string';
  const contentType = result.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json');
  // G14: the API sets no cookies, whatever an implementation returns.
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'set-cookie'),
  );
  return {
    statusCode: result.status,
    headers: {
      ...(result.body === undefined ? {} : { 'content-type': contentType }),
      ...SECURITY_HEADERS,
      ...headers,
    },
    body: result.body === undefined ? '' : isText ? (result.body as string) : JSON.stringify(result.body),
  };
}

/**
 * The Lambda handler of one route: the access record, validation from the route's schemas,
 * authorization from its access level, and the implementation in between. `edge` holds the
 * parts that call AWS, as the route needs them ({@link checkEdge}); public routes need none.
 */
export function httpRoute<R extends Route>(
  route: R,
  implementation: (input: RouteInput<NoInfer<R>>) => Promise<ResultOf<NoInfer<R>>>,
  edge: RouteEdge = {},
) {
  checkEdge(route, edge);
  const catalogue = loadCatalogue(requireEnv(ENV.profile));
  const bodySchema = route.body?.(catalogue);
  // A route without a query schema takes no query parameters: unknown ones are refused.
  const querySchema = route.query?.(catalogue) ?? z.strictObject({});

  const core = async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    const body = bodySchema ? validate(bodySchema, parseJsonBody(event)) : {};
    const query = validate(querySchema, event.queryStringParameters ?? {});
    const principal = principalOf(event);
    let recorded = 0;
    const recordAccess = async (details: AccessDetails) => {
      if (route.access !== 'officer') throw new Error(`${route.id} is not an officer route`);
      if (recorded++ > 0) throw new Error(`${route.id} recorded its access twice`);
      await edge.appendAccessRecord!(catalogue, {
        officerId: principal!.memberId,
        sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
        action: route.id,
        ...details,
        at: new Date(),
      });
    };
    const result = await implementation({
      body: body as BodyOf<R>,
      query: query as QueryOf<R>,
      path: (event.pathParameters ?? {}) as Record<string, string>,
      headers: event.headers ?? {},
      // The edge has refused every call without a caller unless the route is public.
      principal: principal as CallerOf<R>,
      catalogue,
      event,
      recordAccess,
    });
    // G17: an officer action that wrote no access record returns nothing.
    if (route.access === 'officer' && recorded !== 1) throw new Error(`${route.id} wrote no access record`);
    return serialize(result);
  };

  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(core)
    .use(httpHeaderNormalizer())
    // Authorization first: a token refused there touches no data, and the gateway's own access
    // log keeps the attempt. Every admitted call is then recorded before anything else.
    .use(authorize(route))
    .use(accessLogging(route, catalogue, edge.recordAccess))
    .use(suspensionGuard(route, catalogue, edge.memberStatus))
    .use(idempotencyKeyLimit(route));
  if (edge.idempotency) handler.use(edge.idempotency(replayNeedsMember(route, edge.memberStatus)));
  return handler.use(problemResponses(route));
}
