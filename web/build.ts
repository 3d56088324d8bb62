/**
 * The pages' build: each page (web/<page>/main.tsx) bundled by esbuild into content-hashed
 * JavaScript and CSS, and an index.html naming them. The local front and the CDK app both call
 * {@link buildPages}, so what the tests drive is what the stack serves.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const WEB = dirname(fileURLToPath(import.meta.url));

/** The pages people use, each served at /<page> (the page's own path is its redirect URI). */
export const PAGES = ['privacy', 'console'] as const;
/** A page of {@link PAGES}. */
export type Page = (typeof PAGES)[number];

/** The document titles before the script runs (Korean first: the default language). */
const TITLES: Record<Page, string> = {
  privacy: '개인정보 보호 센터 · Privacy center',
  console: '개인정보 보호책임자 콘솔 · Privacy officer console',
};

/**
 * The Content-Security-Policy of every page: scripts and styles only from the page's own files
 * (no `unsafe-inline`), API calls to the same origin plus `connectOrigins` (the hosted sign-in's
 * token endpoint when deployed), nothing framed, no plugins.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connectOrigins.map((o) => ` ${o}`).join('')}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

/** Headers a page and its assets carry, besides content type and caching. */
export function pageHeaders(connectOrigins: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(connectOrigins),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  };
}

/** One file of the build, relative to its output directory (e.g. privacy/assets/main-AB12.js). */
export interface BuiltFile {
  readonly path: string;
  readonly bytes: number;
}

/** What {@link buildPages} wrote. */
export interface BuiltPages {
  readonly outDir: string;
  readonly files: readonly BuiltFile[];
}

function indexHtml(page: Page, scripts: readonly string[], styles: readonly string[]): string {
  // Asset paths are relative to the page's own URL (/<stage>/privacy has no trailing slash), so
  // the same file works at the local front's root and under the API stage's prefix.
  const links = styles.map((s) => `<link rel="stylesheet" href="${page}/${s}">`);
  const tags = scripts.map((s) => `<script type="module" src="${page}/${s}"></script>`);
  return asciiHtml(`<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${TITLES[page]}</title>
${links.join('\n')}
${tags.join('\n')}
</head>
<body>
<div id="app"><p class="boot">${TITLES[page]}</p></div>
<noscript><p class="boot">JavaScript is needed for this page. 이 페이지는 JavaScript가 필요합니다.</p></noscript>
</body>
</html>
`);
}

/** Non-ASCII characters as HTML character references: the page is ASCII, like its assets. */
function asciiHtml(html: string): string {
  return [...html]
    .map((c) => (c.codePointAt(0)! > 0x7f ? `&#x${c.codePointAt(0)!.toString(16)};` : c))
    .join('');
}

/**
 * Builds every page into `outDir` (emptied first): `<page>/index.html` and
 * `<page>/assets/<name>-<hash>.{js,css}`. Synchronous, because CDK synthesis is.
 */
export function buildPagesSync(outDir: string, options: { minify?: boolean } = {}): BuiltPages {
  rmSync(outDir, { recursive: true, force: true });
  const files: BuiltFile[] = [];
  for (const page of PAGES) {
    const assets = join(outDir, page, 'assets');
    const result = buildSync({
      entryPoints: [join(WEB, page, 'main.tsx')],
      bundle: true,
      outdir: assets,
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      format: 'esm',
      platform: 'browser',
      target: ['chrome120', 'firefox120', 'safari16'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      minify: options.minify ?? true,
      sourcemap: false,
      metafile: true,
      write: true,
      legalComments: 'none',
      // ASCII output (non-ASCII escaped), so every file survives any transport byte for byte.
      charset: 'ascii',
      logLevel: 'silent',
      // No personal data and no environment ever reach the bundle through process.env.
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const outputs = Object.entries(result.metafile.outputs);
    const scripts = outputs.filter(([, o]) => o.entryPoint).map(([p]) => basename(p));
    const styles = outputs.filter(([p]) => p.endsWith('.css')).map(([p]) => basename(p));
    for (const [path, output] of outputs)
      files.push({ path: relative(outDir, path).split('\\').join('/'), bytes: output.bytes });
    const html = indexHtml(
      page,
      scripts.map((s) => `assets/${s}`),
      styles.map((s) => `assets/${s}`),
    );
    mkdirSync(join(outDir, page), { recursive: true });
    writeFileSync(join(outDir, page, 'index.html'), html);
    files.push({ path: `${page}/index.html`, bytes: Buffer.byteLength(html) });
  }
  return { outDir, files };
}

/** {@link buildPagesSync}, for callers that can wait. */
export async function buildPages(outDir: string, options: { minify?: boolean } = {}): Promise<BuiltPages> {
  return buildPagesSync(outDir, options);
}

/** The content type of a built file, by extension. */
export function contentTypeOf(path: string): string {
  if (path.endsWith('.html')) return 'text/html; charset=utf-8';
  if (path.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (path.endsWith('.css')) return 'text/css; charset=utf-8';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.svg')) return 'image/svg+xml';
  if (path.endsWith('.woff2')) return 'font/woff2';
  return 'application/octet-stream';
}
