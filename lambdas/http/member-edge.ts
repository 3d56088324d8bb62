/**
 * The edge of member routes: each call recorded in the access log (G3) and, where the route
 * table asks for it, the suspension check (L12). Only member handlers import it.
 */
import { recordAccess } from '../features/access-log/access-log';
import { memberStatus } from '../features/members/store';
import type { RouteEdge } from './route';

/** What every member route's edge holds; idempotent routes add `idempotency`. */
export const memberEdge = { recordAccess, memberStatus } as const satisfies RouteEdge;
