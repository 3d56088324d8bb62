/**
 * The route table: the one list of the API's operations. API Gateway (lib/constructs/api.ts),
 * the local front (local/front.ts), the OpenAPI document and each handler's middlewares are all
 * built from it, so a route, its authorization and its request schema are written once.
 */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import { ACCESS_LOG_GRANTS, type Grants, mergeGrants, POLICY_VERSION_GRANTS } from '../grants';
import { memberRoutes } from './member';
import { officerRoutes } from './officer';
import { POLICY_FORMATS, type Route } from './route';

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

/** Everything a route's function is granted: the route's own grants, the access log's, the versions'. */
export function routeGrants(route: Route): Grants {
  const own = route.followsPolicyVersion ? mergeGrants(route.grants, POLICY_VERSION_GRANTS) : route.grants;
  return recordsAccess(route) ? mergeGrants(own, ACCESS_LOG_GRANTS) : own;
}
