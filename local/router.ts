/**
 * Matching requests against the route table the way API Gateway does: path templates with
 * `{param}` segments (and a greedy `{param+}`), then the method.
 */
import type { HttpMethod, Route } from '../model/routes/route';

/** The outcome of matching a request. */
export type Match =
  | { readonly kind: 'route'; readonly route: Route; readonly pathParameters: Record<string, string> }
  | { readonly kind: 'no-path' }
  | { readonly kind: 'no-method'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'bad-path' };

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal segments rank before parameters, as in API Gateway (/v1/me before /v1/{id}). */
  readonly specificity: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  let specificity = 0;
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(segment);
      if (!param) {
        specificity += 1;
        return escapeRegExp(segment);
      }
      names.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    });
  return { route, pattern: new RegExp(`^/${segments.join('/')}$`), names, specificity };
}

/** A matcher over `routes`. */
export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  return {
    /** Matches a raw (still percent-encoded) path and a method. */
    match(method: string, rawPath: string): Match {
      const candidates = compiled
        .map((c) => ({ c, groups: c.pattern.exec(rawPath) }))
        .filter((x): x is { c: CompiledRoute; groups: RegExpExecArray } => x.groups !== null);
      if (candidates.length === 0) return { kind: 'no-path' };
      // The most specific template that matches the path decides which methods exist.
      const best = candidates[0]!.c.pattern.source;
      const sameResource = candidates.filter((x) => x.c.pattern.source === best);
      const hit = sameResource.find((x) => x.c.route.method === method);
      if (!hit) return { kind: 'no-method', allow: sameResource.map((x) => x.c.route.method) };
      const pathParameters: Record<string, string> = {};
      try {
        hit.c.names.forEach((name, i) => {
          pathParameters[name] = decodeURIComponent(hit.groups[i + 1]!);
        });
      } catch {
        return { kind: 'bad-path' };
      }
      return { kind: 'route', route: hit.c.route, pathParameters };
    },
  };
}
