/** One operation of the API: the shape every entry of the route table has. */
import type * as z from 'zod/mini';
import { type Catalogue, type PrivacyRight, type ServiceUse, serviceUses } from '../../policy/schema';
import { ACCESS_LOG_GRANTS, type Grants, mergeGrants, POLICY_VERSION_GRANTS } from '../grants';
import type { RaisedProblems } from './problems';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, a signed-in member, or a member of the officers' group. */
export type Access = 'public' | 'member' | 'officer';

/** The Cognito group whose members may call officer routes. */
export const OFFICER_GROUP = 'privacy-officer';
/** The longest Idempotency-Key accepted; the edge refuses a longer one with 400. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

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
  readonly responses: Readonly<Record<number, SuccessResponse>>;
  /**
   * The problems the route's own code can raise, with the cases each covers. The edge's own
   * (400, 401, the officer group's 403, 413, 415, 500, 503, Idempotency-Key reuse and races) are
   * added from the route's shape; together they are every status the route answers.
   */
  readonly raises: RaisedProblems;
  /** Mutations accept an Idempotency-Key header. */
  readonly idempotent?: boolean;
  /** Whether the profile has this route at all (e.g. babies only where the catalogue has baby items). */
  readonly enabled?: (catalogue: Catalogue) => boolean;
  /**
   * Member routes: what the member does through it. A privacy right stays open while suspended;
   * a use of the service is refused when the catalogue's `suspension.blocks` names it (L12).
   * `join` happens before there is a membership; `decide-consent` is a right or a use by its
   * body (withdrawing or granting), so its use case applies the catalogue.
   */
  readonly use?: PrivacyRight | ServiceUse | 'join' | 'decide-consent';
  /**
   * The route states or records the policy version, so its handler reads the version in force
   * (L18) rather than the deployed catalogue; its function may read the published versions.
   */
  readonly followsPolicyVersion?: boolean;
  readonly grants: Grants;
}

/** A JSON response schema, built from the catalogue where items differ per profile. */
export type ResponseSchema = (catalogue: Catalogue) => z.ZodMiniType;

/** A successful response as the OpenAPI document describes it. */
export interface SuccessResponse {
  readonly description: string;
  readonly contentTypes?: readonly string[];
  /** The JSON body's schema; handlers return through it (lambdas/http/route.ts types the body). */
  readonly schema?: ResponseSchema;
  /** OpenAPI links to later operations: name -> operationId and parameters from this response. */
  readonly links?: Readonly<Record<string, { operationId: string; parameters: Record<string, string> }>>;
}

/** Formats in which the published policy is available. */
export const POLICY_FORMATS = ['html', 'markdown', 'json'] as const;

/** Whether a route's calls are recorded in the access log (G3): every call that names a member. */
export function recordsAccess(route: Route): boolean {
  return route.access !== 'public';
}

/** The use of the service route `route` is, if it is one a suspension may block (L12). */
export function blockableUse(route: Route): ServiceUse | undefined {
  return route.access === 'member' && isServiceUse(route.use) ? route.use : undefined;
}

function isServiceUse(use: Route['use']): use is ServiceUse {
  return (serviceUses as readonly string[]).includes(use ?? '');
}

/** Everything a route's function is granted: the route's own grants, the access log's, the versions'. */
export function routeGrants(route: Route): Grants {
  const own = route.followsPolicyVersion ? mergeGrants(route.grants, POLICY_VERSION_GRANTS) : route.grants;
  return recordsAccess(route) ? mergeGrants(own, ACCESS_LOG_GRANTS) : own;
}
