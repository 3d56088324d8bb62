/** Facts of the HTTP contract shared by the handlers' edge and the local front. */

/** Largest JSON body accepted, in bytes; API Gateway caps payloads at 10 MB, we far lower. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Headers every response carries. No Set-Cookie, ever (G14). */
export const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
} as const;
