/**
 * Content negotiation on the Accept header (RFC 9110 §12.5.1): the client's ranges by quality,
 * best first, matched against the media types a route serves. No header, or any type, gets the
 * route's default; a header that admits none of them gets a 406.
 */
import { NotAcceptable } from '../runtime/errors';

interface Range {
  readonly type: string;
  readonly q: number;
  readonly order: number;
}

function ranges(accept: string): Range[] {
  return accept
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, q: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((r) => r.type.length > 0 && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
}

function matches(range: string, type: string): boolean {
  if (range === '*/*' || range === type) return true;
  return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
}

/**
 * The served type the Accept header prefers; `served[0]` when there is no header. Throws
 * {@link NotAcceptable} naming the served types when the header admits none.
 */
export function negotiate<T extends string>(accept: string | undefined, served: readonly [T, ...T[]]): T {
  if (accept === undefined || accept.trim() === '') return served[0];
  for (const range of ranges(accept)) {
    const hit = served.find((type) => matches(range.type, type));
    if (hit) return hit;
  }
  throw new NotAcceptable('Not acceptable', `This resource is available as ${served.join(', ')}.`, {
    available: [...served],
  });
}
