/**
 * Bundles Lambda functions exactly as the CDK construct does (lib/bundling.ts: ESM, minified,
 * node22, module-first main fields, the AWS SDK bundled) and measures them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { routes } from '../lambdas/api/routes';
import { jobs, triggers } from '../lambdas/shared/resources';
import { BUNDLE_ALIAS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET, ESM_REQUIRE_BANNER } from '../lib/bundling';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The bundle-size budget of every function, minified (issue: ≤ 300 KB). */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;

/** Every Lambda function the stack deploys, by handler name: routes, jobs and Cognito triggers. */
export function functionHandlers(): string[] {
  const names = [
    ...routes.map((r) => r.id),
    ...Object.values(jobs).map((j) => j.handler),
    ...Object.values(triggers).map((t) => t.handler),
  ];
  return [...new Set<string>(names)].sort();
}

/** One bundled function and its sizes. */
export interface BundleResult {
  readonly name: string;
  /** The bundle file (index.mjs of its directory). */
  readonly file: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Input bytes in the bundle per top-level package (or `project`), largest first. */
  readonly inputs: readonly { readonly origin: string; readonly bytes: number }[];
}

function originOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return 'project';
  const rest = path.slice(at + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/** Bundles one entry file into `outDir/index.mjs` with the stack's options. */
export async function bundleEntry(name: string, entry: string, outDir: string): Promise<BundleResult> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: BUNDLE_MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { ...BUNDLE_ALIAS },
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const byOrigin = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const origin = originOf(path);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + input.bytesInOutput);
  }
  const code = readFileSync(file);
  return {
    name,
    file,
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code).length,
    inputs: [...byOrigin.entries()]
      .map(([origin, bytes]) => ({ origin, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

/** Bundles the named handlers (every function by default) under `outDir/<name>/`. */
export async function bundleFunctions(outDir: string, names = functionHandlers()): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  // Two at a time: these machines have two cores.
  for (let i = 0; i < names.length; i += 2) {
    results.push(
      ...(await Promise.all(
        names
          .slice(i, i + 2)
          .map((n) => bundleEntry(n, join(ROOT, 'lambdas', 'handlers', `${n}.ts`), join(outDir, n))),
      )),
    );
  }
  return results;
}

/** The floor: a bundle holding only a bare DynamoDB client doing a GetItem. */
export function bundleFloor(outDir: string): Promise<BundleResult> {
  return bundleEntry('(floor) bare DynamoDB GetItem', join(ROOT, 'bench', 'floor.ts'), join(outDir, 'floor'));
}
