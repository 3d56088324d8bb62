/**
 * `npm run import -- --profile <profile> --file <members.jsonl> [--rate <members/s>]
 * [--concurrency <n>] [--json]`: brings the operator's existing members into the running local
 * stack, one JSON member per line (the format is in the README). It runs the import job's own
 * use case, so a line is checked, sealed and written exactly as the deployed job does it. A
 * rerun (after a crash, or with corrected lines) imports only what is not there yet. The report
 * names bad lines by number and field, never their values; the exit code is 0 only when every
 * line is in.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../policy/catalogue';
import { applyEnvironment } from './bootstrap';
import { asFunction } from './invocation';
import { CliError, readState, runCli } from './state';

/** The lines of a file, read as a stream. */
async function* linesOf(path: string): AsyncGenerator<string> {
  const reader = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of reader) yield line;
}

/** Lines of a file that hold something, for the progress bar's total. */
async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const line of linesOf(path)) if (line.trim() !== '') n++;
  return n;
}

/** One line of progress: a bar, the counts and the rate; counts only, never a member's data. */
export function progressLine(
  p: { lines: number; imported: number; skipped: number; bad: number; failed: number },
  total: number,
  seconds: number,
): string {
  const width = 30;
  const done = total === 0 ? 1 : p.lines / total;
  const filled = Math.min(width, Math.round(done * width));
  const rate = seconds > 0 ? (p.imported + p.skipped) / seconds : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.lines}/${total} lines: ${p.imported} imported, ${p.skipped} skipped, ${p.bad} bad, ${p.failed} failed (${rate.toFixed(0)}/s)`;
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`--${flag} must be a positive number, not "${value}".`);
  return n;
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const { values } = parseArgs({
      options: {
        profile: { type: 'string' },
        file: { type: 'string' },
        rate: { type: 'string' },
        concurrency: { type: 'string' },
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const usage = 'npm run import -- --profile <profile> --file <members.jsonl> [--rate <members/s>]';
    if (!values.profile || !values.file) throw new CliError(`Usage: ${usage}.`);
    const state = await readState();
    if (state.profile !== values.profile) {
      throw new CliError(
        `The running local stack serves "${state.profile}", not "${values.profile}": restart it with \`npm start -- --profile ${values.profile}\`.`,
      );
    }
    try {
      await access(values.file);
    } catch {
      throw new CliError(
        `Cannot read ${values.file}: give the path of the members file (one JSON member per line).`,
      );
    }
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new CliError(`--now must be an ISO date, not "${values.now}".`);
    const { IMPORT_DEFAULTS } = await import('../lambdas/features/import/import');
    const ratePerSecond = positiveNumber('rate', values.rate, IMPORT_DEFAULTS.ratePerSecond);
    const concurrency = positiveNumber('concurrency', values.concurrency, IMPORT_DEFAULTS.concurrency);

    applyEnvironment(state.env);
    // The use case reads the environment the stack gave its functions: load it after it is set.
    const { importLines } = await import('../lambdas/features/import/import');
    const { formatReport } = await import('../lambdas/features/import/rules');
    const total = await countLines(values.file);
    const tty = process.stderr.isTTY === true;
    const started = Date.now();
    let printed = 0;
    // Off a terminal: a line per percent done, so a log shows how far a run got.
    const step = Math.max(1, Math.ceil(total / 100));
    const file = values.file;
    const report = await asFunction({ handler: 'job-import', env: state.env }, () =>
      importLines(loadCatalogue(state.profile), linesOf(file), {
        now,
        ratePerSecond,
        concurrency,
        onProgress: (p) => {
          const line = progressLine(p, total, (Date.now() - started) / 1000);
          if (tty) process.stderr.write(`\r${line}`);
          else if (p.lines >= printed + step) {
            printed = p.lines - (p.lines % step);
            process.stderr.write(`${line}\n`);
          }
        },
      }),
    );
    if (tty) process.stderr.write('\n');
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    if (report.bad.length > 0 || report.failed.length > 0) process.exitCode = 1;
  });
}
