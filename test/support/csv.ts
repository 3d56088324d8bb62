/**
 * Reading CSV back in tests with Python's standard csv module: a reader we did not write, so a
 * test of what we render does not share its mistakes.
 */
import { spawnSync } from 'node:child_process';

/** The rows of `text`, as Python's `csv.reader` reads them. */
export function parseCsv(text: string): string[][] {
  const out = spawnSync(
    'python3',
    [
      '-c',
      'import csv,io,json,sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))',
    ],
    { input: text, encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as string[][];
}
