/**
 * The edge of officer routes: each call recorded in the access log (G3) and the handler access
 * record every officer action writes (G17). Only officer handlers import it.
 */
import { recordAccess } from '../features/access-log/access-log';
import { appendAccessRecord } from '../features/access-records/access-records';
import type { RouteEdge } from './route';

/** What every officer route's edge holds; idempotent routes add `idempotency`. */
export const officerEdge = { recordAccess, appendAccessRecord } as const satisfies RouteEdge;
