/**
 * Where recorded AWS calls live between the suites that make them and the IAM check that reads
 * them: a directory of JSON-lines files. A line is either a {@link RecordedCall} (the artefact
 * suite's proxy; in-process calls add the handler) or a {@link StackLine} naming the emulator
 * resources of the calls with the same `source`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedCall } from '../call-recorder';

/** The variable naming the recordings directory; by default one per checkout under the temp dir. */
export const CALLS_DIR_ENV = 'IAM_CALLS_DIR';

/** The emulator resources of one stack the calls of `source` went to. */
export interface StackLine {
  readonly kind: 'stack';
  readonly source: string;
  readonly profile: string;
  /** The stack's handler environment (local/bootstrap.ts): table names, key ids, queue URLs… */
  readonly env?: Readonly<Record<string, string>>;
  /** The whole bootstrap result (its `env` is used) when the writer has that instead. */
  readonly resources?: { readonly env: Readonly<Record<string, string>> };
}

/** A recorded call; in-process recordings name the handler, proxy recordings the access key. */
export type Call = RecordedCall & { readonly handler?: string };

/** What a recordings directory holds. */
export interface Recordings {
  readonly calls: readonly Call[];
  /** Each source's stack: profile and environment. */
  readonly stacks: ReadonlyMap<string, { profile: string; env: Readonly<Record<string, string>> }>;
  /** The files read, by name. */
  readonly files: readonly string[];
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The recordings directory of this checkout (two checkouts on one machine never share one). */
export function callsDir(): string {
  const configured = process.env[CALLS_DIR_ENV];
  if (configured) return configured;
  const checkout = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  return join(tmpdir(), `privacy-iam-calls-${checkout}`);
}

/** The recordings file of an integration test file (e.g. `lgcns.test.ts`). */
export function integrationRecordingOf(testFile: string): string {
  return `integration-${testFile.replace(/\.test\.ts$/, '')}.jsonl`;
}

/** Creates the directory when missing and returns it. */
export function ensureCallsDir(): string {
  const dir = callsDir();
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Reads every `*.jsonl` file of `dir`; a line that is neither a call nor a stack throws. */
export function readRecordings(dir: string): Recordings {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
    : [];
  const calls: Call[] = [];
  const stacks = new Map<string, { profile: string; env: Readonly<Record<string, string>> }>();
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const value = JSON.parse(line) as Partial<StackLine> & Partial<Call>;
      if (value.kind === 'stack') {
        const env = value.env ?? value.resources?.env;
        if (!value.source || !value.profile || !env)
          throw new Error(`${file}:${i + 1}: a stack line needs source, profile and env`);
        stacks.set(value.source, { profile: value.profile, env });
      } else if (
        typeof value.service === 'string' &&
        typeof value.action === 'string' &&
        typeof value.source === 'string'
      ) {
        calls.push(value as Call);
      } else {
        throw new Error(`${file}:${i + 1}: neither a recorded call nor a stack line`);
      }
    });
  }
  return { calls, stacks, files };
}
