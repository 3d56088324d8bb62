/**
 * Cold import: a fresh `node` process imports a bundle, as the Lambda runtime does at init, with
 * the flags the stack sets (NODE_OPTIONS=--enable-source-maps). Runs are interleaved across
 * bundles, so a burst of load on the machine hits every bundle alike rather than one.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  ENV,
  type KeyDomain,
  keyDomains,
  keyEnv,
  type TableName,
  tableEnv,
  tables,
} from '../model/resources';

/** Medians and 90th percentiles of one bundle's cold imports, in milliseconds. */
export interface ColdStart {
  readonly name: string;
  readonly runs: number;
  /** Spawn to exit of `node` importing the bundle: runtime start plus module init. */
  readonly processMedianMs: number;
  readonly processP90Ms: number;
  /** The import alone, timed inside the process. */
  readonly importMedianMs: number;
  readonly importP90Ms: number;
}

/** The q-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Every variable the stack may set on a function, with placeholder values: init reads some of them. */
function functionEnvironment(profile: string): Record<string, string> {
  return {
    [ENV.profile]: profile,
    [ENV.senderAddress]: 'privacy@example.com',
    [ENV.configurationSet]: 'bench',
    ...Object.fromEntries(
      (Object.keys(tables) as TableName[]).map((t) => [tableEnv(t), `bench-${tableEnv(t)}`]),
    ),
    ...Object.fromEntries(
      (Object.keys(keyDomains) as KeyDomain[]).map((k) => [keyEnv(k), `bench-${keyEnv(k)}`]),
    ),
  };
}

function importOnce(file: string, profile: string): { processMs: number; importMs: number } {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      ...functionEnvironment(profile),
      AWS_REGION: 'ap-northeast-2',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    encoding: 'utf8',
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr.split('\n')[0]}`);
  return { processMs, importMs: Number(run.stdout) };
}

/** Imports each bundle `runs` times in fresh processes, interleaved; returns their timings. */
export function measureColdStarts(
  bundles: readonly { name: string; file: string }[],
  runs: number,
  profile: string,
): ColdStart[] {
  const samples = bundles.map(() => ({ process: [] as number[], import: [] as number[] }));
  // One unmeasured round warms the file cache, as a Lambda host's disk would be.
  for (const b of bundles) importOnce(b.file, profile);
  for (let r = 0; r < runs; r++) {
    bundles.forEach((b, i) => {
      const s = importOnce(b.file, profile);
      samples[i]!.process.push(s.processMs);
      samples[i]!.import.push(s.importMs);
    });
  }
  return bundles.map((b, i) => ({
    name: b.name,
    runs,
    processMedianMs: quantile(samples[i]!.process, 0.5),
    processP90Ms: quantile(samples[i]!.process, 0.9),
    importMedianMs: quantile(samples[i]!.import, 0.5),
    importP90Ms: quantile(samples[i]!.import, 0.9),
  }));
}
