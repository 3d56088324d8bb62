/**
 * The pages people use, measured: each page's files as built (bytes and gzip bytes, what a
 * phone downloads on first visit) and its first paint in Chromium, loaded from the local front
 * with a cold cache in a fresh browser context at a phone's size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildPagesSync, PAGES, type Page } from '../web/build';

/** The Chromium the CI installs (see .ci/run). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** One page's figures. */
export interface PageResult {
  readonly page: Page;
  /** Every file the page loads: HTML, script, style sheet. */
  readonly files: { path: string; bytes: number; gzipBytes: number }[];
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median over the runs, in milliseconds after navigation start (Paint Timing). */
  readonly firstPaintMs: number;
  readonly firstContentfulPaintMs: number;
  /** Median time until the page's own heading is on screen (the app rendered). */
  readonly headingMs: number;
  readonly runs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Sizes of each page's built files. */
export function pageSizes(): Pick<PageResult, 'page' | 'files' | 'bytes' | 'gzipBytes'>[] {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-pages-'));
  try {
    const built = buildPagesSync(outDir);
    return PAGES.map((page) => {
      const files = built.files
        .filter((f) => f.path.startsWith(`${page}/`))
        .map((f) => {
          const body = readFileSync(join(outDir, f.path));
          return {
            path: f.path.replace(/-[A-Z0-9]{8}\./, '.'),
            bytes: body.length,
            gzipBytes: gzipSync(body, { level: 9 }).length,
          };
        });
      return {
        page,
        files,
        bytes: files.reduce((n, f) => n + f.bytes, 0),
        gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
      };
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Sizes and paint times of every page served at `baseUrl`, `runs` cold loads each. */
export async function measurePages(baseUrl: string, runs: number): Promise<PageResult[]> {
  const sizes = pageSizes();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const results: PageResult[] = [];
    for (const size of sizes) {
      const paint: number[] = [];
      const contentful: number[] = [];
      const heading: number[] = [];
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
        const page = await context.newPage();
        await page.goto(`${baseUrl}/${size.page}`);
        await page.waitForSelector('h1');
        const timing = (await page.evaluate(`(() => {
          const entries = performance.getEntriesByType('paint');
          const at = (name) => entries.find((e) => e.name === name)?.startTime ?? NaN;
          return { paint: at('first-paint'), contentful: at('first-contentful-paint'), heading: performance.now() };
        })()`)) as { paint: number; contentful: number; heading: number };
        paint.push(timing.paint);
        contentful.push(timing.contentful);
        heading.push(timing.heading);
        await context.close();
      }
      results.push({
        ...size,
        firstPaintMs: median(paint),
        firstContentfulPaintMs: median(contentful),
        headingMs: median(heading),
        runs,
      });
    }
    return results;
  } finally {
    await browser.close();
  }
}
