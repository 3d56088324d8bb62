/**
 * The load test's place in bench/results.json: the key `load`, written by `--load` alone and kept
 * by the other bench runs, which rewrite the rest of the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../local/state';

/** The bench's results file. */
export const RESULTS_FILE = join(ROOT, 'bench', 'results.json');

/** The load results the file holds now, if any (for a run that rewrites the file to keep). */
export function keptLoadResults(file = RESULTS_FILE): { load?: unknown } {
  if (!existsSync(file)) return {};
  try {
    const load = (JSON.parse(readFileSync(file, 'utf8')) as { load?: unknown }).load;
    return load === undefined ? {} : { load };
  } catch {
    return {};
  }
}

/** Writes `load` under the key `load`, leaving the rest of the file as it is. */
export function writeLoadResults(load: unknown, file = RESULTS_FILE): void {
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...current, load }, null, 2)}\n`);
}
