/**
 * The pages on the local front: built once per process by the same build the CDK app uses
 * (web/build.ts) and served with the security headers and CSP the stack sets, plus each page's
 * config.json naming the local issuer.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { buildPages, contentTypeOf, PAGES, pageHeaders } from '../web/build';
import type { PageConfig } from '../web/shared/config-shape';
import { LOCAL_AUDIENCE } from './issuer';

/** A response the front writes as it is. */
export interface PageResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

/** The paths the pages are served at: their redirect URIs. */
export const PAGE_PATHS: readonly string[] = PAGES.map((p) => `/${p}`);

let built: Promise<string> | undefined;

/** Builds the pages into a directory of this process (once). */
function builtDir(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'privacy-pages-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildPages(dir);
    return dir;
  })();
  built.catch(() => {
    built = undefined;
  });
  return built;
}

/** Starts the build early, so the first page request does not wait for it. */
export function prepareLocalPages(): Promise<unknown> {
  return builtDir();
}

/** Whether `path` belongs to the pages (answered here, even when missing). */
export function isPagePath(path: string): boolean {
  return PAGES.some((p) => path === `/${p}` || path.startsWith(`/${p}/`));
}

/** The page file for `path`, or undefined. `issuerPath` is the local issuer's path (/local-issuer). */
export async function pageResponse(
  path: string,
  search: string,
  context: { profile: string; issuerPath: string },
): Promise<PageResponse | undefined> {
  const page = PAGES.find((p) => path === `/${p}` || path.startsWith(`/${p}/`));
  if (!page) return undefined;
  const headers = pageHeaders();
  if (path === `/${page}/`) {
    return { status: 308, headers: { ...headers, location: `/${page}${search}` }, body: '' };
  }
  const dir = await builtDir();
  if (path === `/${page}`) {
    const body = await readFile(join(dir, page, 'index.html'));
    return {
      status: 200,
      headers: { ...headers, 'content-type': contentTypeOf('.html'), 'cache-control': 'no-store' },
      body,
    };
  }
  if (path === `/${page}/config.json`) {
    const config: PageConfig = {
      apiBase: '',
      authorizeUrl: `${context.issuerPath}/authorize`,
      tokenUrl: `${context.issuerPath}/token`,
      clientId: LOCAL_AUDIENCE,
      profile: context.profile,
    };
    return {
      status: 200,
      headers: { ...headers, 'content-type': contentTypeOf('.json'), 'cache-control': 'no-store' },
      body: JSON.stringify(config),
    };
  }
  const asset = /^\/[a-z]+\/assets\/([A-Za-z0-9_-]+\.(?:js|css))$/.exec(path)?.[1];
  if (asset) {
    const file = normalize(join(dir, page, 'assets', asset));
    try {
      const body = await readFile(file);
      return {
        status: 200,
        // Content-hashed names never change content: cached for a year.
        headers: {
          ...headers,
          'content-type': contentTypeOf(asset),
          'cache-control': 'public, max-age=31536000, immutable',
        },
        body,
      };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
