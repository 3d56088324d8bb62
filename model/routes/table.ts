/**
 * The route table: the one list of the API's operations. API Gateway (lib/constructs/api.ts),
 * the local front (local/front.ts), the OpenAPI document and each handler's middlewares are all
 * built from it, so a route, its authorization and its request schema are written once.
 */
import type { Catalogue } from '../../policy/schema';
import { breachRoutes } from './breaches';
import { memberRoutes } from './member';
import { officerRoutes } from './officer';
import { photoRoutes } from './photos';
import { policyRoutes } from './policy';
import type { Route } from './route';
import { siloRoutes } from './silos';

/** Every route of the API. Order is the order of the OpenAPI document. */
export const routes = [
  ...policyRoutes,
  ...memberRoutes,
  ...photoRoutes,
  ...officerRoutes,
  ...breachRoutes,
  ...siloRoutes,
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
