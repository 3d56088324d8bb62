/**
 * The edge of member routes: each call recorded in the access log (G3) and, where the route
 * table asks for it, the suspension check (L12). Only member handlers import it.
 */
import { recordAccess } from '../domain/access-log';
import { memberStatus } from '../domain/member-store';
import type { RouteEdge } from './http';

/** What every member route's edge holds; idempotent routes add `idempotency`. */
export const memberEdge = { recordAccess, memberStatus } as const satisfies RouteEdge;
