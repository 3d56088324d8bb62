/**
 * The route table: the one list of the API's operations. API Gateway (lib/constructs/api.ts),
 * the local front (local/front.ts), the OpenAPI document and each handler's middlewares are all
 * built from it, so a route, its authorization and its request schema are written once.
 */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import type { KeyDomain, QueueName, TableName } from '../resources';
import { memberRoutes } from './member';
import { officerRoutes } from './officer';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, a signed-in member, or a member of the officers' group. */
export type Access = 'public' | 'member' | 'officer';

/** The Cognito group whose members may call officer routes. */
export const OFFICER_GROUP = 'privacy-officer';

/**
 * What a handler may do with a table's items. `append` only adds items (PutItem), never changes
 * or deletes one: what recording a call in the access log needs. `append-update` also updates
 * items (UpdateItem) but never deletes one: what opening and closing a ledger record needs.
 */
export type TableAccess = 'read' | 'write' | 'readwrite' | 'append' | 'read-append' | 'append-update';

/** What a handler may do with a resource; the function construct grants exactly this. */
export interface Grants {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  readonly keys?: Partial<Record<KeyDomain, readonly KeyUse[]>>;
  readonly sendEmail?: boolean;
  /** Finds and deletes members' sign-in accounts in the user pool (withdrawal). */
  readonly deleteAccounts?: boolean;
  /** Work queues the function sends messages to. */
  readonly queues?: Partial<Record<QueueName, 'send'>>;
}

/** Uses of a KMS key, mapped to IAM actions by the function construct. */
export type KeyUse = 'encrypt' | 'decrypt' | 'generate-data-key' | 'mac' | 'sign' | 'verify';

/** A zod/mini schema of a request part. */
export type RequestSchema = z.ZodMiniType<Record<string, unknown>>;

/** One operation of the API. */
export interface Route {
  /** Stable id: the OpenAPI operationId and the handler file under lambdas/handlers/. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /v1/me/babies/{babyId}. */
  readonly path: string;
  readonly access: Access;
  readonly summary: string;
  readonly tags: readonly string[];
  /** The JSON body schema, built from the catalogue because items differ per profile. */
  readonly body?: (catalogue: Catalogue) => RequestSchema;
  /** The query-string schema. */
  readonly query?: (catalogue: Catalogue) => RequestSchema;
  /** Successful responses, by status, as described in the OpenAPI document. */
  readonly responses: Readonly<Record<number, { description: string; contentTypes?: readonly string[] }>>;
  /** Mutations accept an Idempotency-Key header. */
  readonly idempotent?: boolean;
  /** Whether the profile has this route at all (e.g. babies only where the catalogue has baby items). */
  readonly enabled?: (catalogue: Catalogue) => boolean;
  /** Member routes a suspended member may still call (L12): view, export and withdraw. */
  readonly allowedWhileSuspended?: boolean;
  /**
   * The route states or records the policy version, so its handler reads the version in force
   * (L18) rather than the deployed catalogue; its function may read the published versions.
   */
  readonly followsPolicyVersion?: boolean;
  readonly grants: Grants;
}

/** Formats in which the published policy is available. */
export const POLICY_FORMATS = ['html', 'markdown', 'json'] as const;

/** Every route of the API. Order is the order of the OpenAPI document. */
export const routes = [
  {
    id: 'get-policy',
    method: 'GET',
    path: '/v1/policy',
    access: 'public',
    summary: 'The privacy policy in force, rendered from the catalogue (HTML, Markdown or JSON).',
    tags: ['policy'],
    query: () => z.strictObject({ format: z.optional(z.enum(POLICY_FORMATS)) }),
    responses: {
      200: {
        description:
          'The policy in force and, when a change is announced, the upcoming version (L18); the format follows ?format= or the Accept header (default HTML).',
        contentTypes: ['text/html', 'text/markdown', 'application/json'],
      },
    },
    followsPolicyVersion: true,
    grants: {},
  },
  {
    id: 'get-openapi',
    method: 'GET',
    path: '/v1/openapi.json',
    access: 'public',
    summary: 'This API as an OpenAPI 3.1 document.',
    tags: ['policy'],
    responses: { 200: { description: 'The OpenAPI document.', contentTypes: ['application/json'] } },
    grants: {},
  },
  ...memberRoutes,
  ...officerRoutes,
] as const satisfies readonly Route[];

/** The routes a profile has. */
export function routesOf(catalogue: Catalogue): Route[] {
  return (routes as readonly Route[]).filter((r) => r.enabled?.(catalogue) ?? true);
}

/** The route with the given id; throws when there is none (a programming error). */
export function routeById(id: string): Route {
  const route = (routes as readonly Route[]).find((r) => r.id === id);
  if (!route) throw new Error(`No route with id ${id}`);
  return route;
}

/** Whether a route's calls are recorded in the access log (G3): every call that names a member. */
export function recordsAccess(route: Route): boolean {
  return route.access !== 'public';
}

/** What recording a call needs: add a record, and a logs data key to seal its IP address with. */
export const ACCESS_LOG_GRANTS = {
  tables: { accessLog: 'append' },
  keys: { logs: ['generate-data-key'] },
} as const satisfies Grants;

/** What each table access level allows; `write` includes adding items. */
const TABLE_CAPABILITIES: Readonly<Record<TableAccess, readonly ('read' | 'write' | 'append' | 'update')[]>> =
  {
    read: ['read'],
    write: ['write'],
    readwrite: ['read', 'write'],
    append: ['append'],
    'read-append': ['read', 'append'],
    'append-update': ['append', 'update'],
  };

function mergeTableAccess(a: TableAccess | undefined, b: TableAccess | undefined): TableAccess {
  const caps = new Set([a, b].flatMap((x) => (x ? TABLE_CAPABILITIES[x] : [])));
  const read = caps.has('read');
  if (caps.has('write')) return read ? 'readwrite' : 'write';
  // No level reads, adds and updates without deleting: reading widens to readwrite.
  if (caps.has('update')) return read ? 'readwrite' : 'append-update';
  if (caps.has('append')) return read ? 'read-append' : 'append';
  return 'read';
}

/** Two grants as one: the union of what each allows, and nothing more. */
export function mergeGrants(a: Grants, b: Grants): Grants {
  const tableNames = new Set([
    ...Object.keys(a.tables ?? {}),
    ...Object.keys(b.tables ?? {}),
  ]) as Set<TableName>;
  const keyDomains = new Set([...Object.keys(a.keys ?? {}), ...Object.keys(b.keys ?? {})]) as Set<KeyDomain>;
  const tables = Object.fromEntries(
    [...tableNames].map((t) => [t, mergeTableAccess(a.tables?.[t], b.tables?.[t])]),
  ) as Grants['tables'];
  const keys = Object.fromEntries(
    [...keyDomains].map((k) => [k, [...new Set([...(a.keys?.[k] ?? []), ...(b.keys?.[k] ?? [])])]]),
  ) as Grants['keys'];
  return {
    ...(tableNames.size > 0 ? { tables } : {}),
    ...(keyDomains.size > 0 ? { keys } : {}),
    ...(a.sendEmail || b.sendEmail ? { sendEmail: true } : {}),
    ...(a.deleteAccounts || b.deleteAccounts ? { deleteAccounts: true } : {}),
    ...(a.queues || b.queues ? { queues: { ...a.queues, ...b.queues } } : {}),
  };
}

/** What following the policy version in force needs: reading the published versions. */
export const POLICY_VERSION_GRANTS = { tables: { policyVersions: 'read' } } as const satisfies Grants;

/** Everything a route's function is granted: the route's own grants, the access log's, the versions'. */
export function routeGrants(route: Route): Grants {
  const own = route.followsPolicyVersion ? mergeGrants(route.grants, POLICY_VERSION_GRANTS) : route.grants;
  return recordsAccess(route) ? mergeGrants(own, ACCESS_LOG_GRANTS) : own;
}
