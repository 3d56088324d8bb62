/**
 * Bundles Lambda functions exactly as the CDK construct does (lib/bundling.ts: ESM, minified,
 * node22, module-first main fields, the AWS SDK bundled and tree-shaken) and measures them.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleFunctions as bundleHandlers, handlerEntries } from '../lib/bundling';
import { routes } from '../model/routes/table';
import { feedback, importJob, jobs, outboxPublisher, queues, triggers } from '../model/workloads';
import type { ProfileName } from '../policy/catalogue';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Every Lambda function the stack deploys, by handler name: routes, jobs, workers, triggers,
 * feedback, the outbox publisher and the member import.
 */
export function functionHandlers(): string[] {
  const names = [
    ...routes.map((r) => r.id),
    ...Object.values(jobs).map((j) => j.handler),
    ...Object.values(queues).map((q) => q.handler),
    ...Object.values(triggers).map((t) => t.handler),
    ...Object.values(feedback).map((f) => f.handler),
    outboxPublisher.handler,
    importJob.handler,
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

/**
 * Bundles each entry (name → file) for `profile` with the stack's options into
 * `outDir/<name>/index.mjs` and measures it.
 */
export async function bundleEntries(
  entries: Readonly<Record<string, string>>,
  outDir: string,
  profile: ProfileName,
): Promise<BundleResult[]> {
  const metafile = await bundleHandlers(entries, outDir, profile);
  return Object.keys(entries).map((name) => {
    const file = join(outDir, name, 'index.mjs');
    const output = Object.entries(metafile.outputs).find(([path]) => resolve(path) === file)?.[1];
    if (!output) throw new Error(`esbuild wrote no bundle for ${name}`);
    const byOrigin = new Map<string, number>();
    for (const [path, input] of Object.entries(output.inputs)) {
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
  });
}

/** Bundles the named handlers (every function by default) for `profile` under `outDir/<name>/`, in one build. */
export function bundleFunctions(
  outDir: string,
  profile: ProfileName,
  names = functionHandlers(),
): Promise<BundleResult[]> {
  const all = handlerEntries();
  return bundleEntries(Object.fromEntries(names.map((n) => [n, all[n]!])), outDir, profile);
}

/** The floor: a bundle holding only a bare DynamoDB client doing a GetItem. */
export async function bundleFloor(outDir: string): Promise<BundleResult> {
  // The floor reads no catalogue: any profile bundles it alike.
  const [floor] = await bundleEntries(
    { floor: join(ROOT, 'bench', 'floor.ts') },
    join(outDir, 'floor-build'),
    'littleone',
  );
  return { ...floor!, name: '(floor) bare DynamoDB GetItem' };
}
