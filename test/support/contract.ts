/**
 * The API's contract as the route table declares it, checked against real responses: each
 * status a response has is one the OpenAPI document declares for its operation, a problem names
 * a kind declared for that status, and a 2xx JSON body parses with the route's response schema.
 * The integration suites' calls go through it (test/integration/member-api.ts), so every status
 * they provoke, adversarial ones included, is checked against the declaration.
 */
import * as z from 'zod/mini';
import { problemsOf } from '../../model/routes/openapi';
import { PROBLEM_KINDS, problemType } from '../../model/routes/problems';
import type { Route } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import type { Catalogue } from '../../policy/schema';

/** A response as the check needs it. */
export interface ObservedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly retryAfter: string | null;
  readonly text: string;
}

const problemBody = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
});

/** The route serving `method path`, if any (the gateway answers the rest itself). */
export function routeOf(catalogue: Catalogue, method: string, path: string): Route | undefined {
  const bare = path.split('?')[0]!;
  return routesOf(catalogue).find(
    (r) =>
      r.method === method.toUpperCase() && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare),
  );
}

/** The statuses the OpenAPI document declares for `route`. */
export function declaredStatuses(route: Route): Set<number> {
  return new Set([
    ...Object.keys(route.responses).map(Number),
    ...[...problemsOf(route).keys()].map((kind) => PROBLEM_KINDS[kind].status),
  ]);
}

/** What `response` breaks of the declared contract; empty when it keeps it. */
export function contractViolations(catalogue: Catalogue, response: ObservedResponse): string[] {
  const route = routeOf(catalogue, response.method, response.path);
  // No route: the gateway's own 404/405, outside any operation.
  if (!route) return [];
  const where = `${route.id} answered ${response.status}`;
  // Gateway failures of the local front (an integration timeout) are not the API's answers.
  if (response.status === 502 || response.status === 504) return [];
  if (!declaredStatuses(route).has(response.status))
    return [`${where}, a status its operation does not declare`];
  const success = route.responses[response.status];
  if (success) {
    if (!success.schema || !response.contentType?.startsWith('application/json')) return [];
    const parsed = success.schema(catalogue).safeParse(JSON.parse(response.text));
    return parsed.success
      ? []
      : [
          `${where} with a body its response schema refuses: ${JSON.stringify(parsed.error.issues).slice(0, 500)}`,
        ];
  }
  if (!response.contentType?.startsWith('application/problem+json')) return [`${where} without problem+json`];
  const body = problemBody.safeParse(JSON.parse(response.text));
  if (!body.success) return [`${where} with a malformed problem body`];
  const kinds = [...problemsOf(route).keys()].filter(
    (kind) => PROBLEM_KINDS[kind].status === response.status,
  );
  if (!kinds.some((kind) => problemType(kind) === body.data.type)) {
    return [`${where} with problem type ${body.data.type}, not one declared for ${response.status}`];
  }
  if (body.data.type === problemType('concurrent-change') && response.retryAfter === null) {
    return [`${where}: a concurrent change without Retry-After`];
  }
  return [];
}
