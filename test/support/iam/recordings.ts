/**
 * Where recorded AWS calls live between the suites that make them and the IAM check that reads
 * them: a directory of JSON-lines files. A line is either a {@link RecordedCall} (the artefact
 * suite's proxy; in-process calls add the handler) or a {@link StackLine} naming the emulator
 * resources of the calls with the same `source`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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
  /** Or the emulator counterpart of each template resource: what its Ref and GetAtt resolve to. */
  readonly logicalIds?: Readonly<Record<string, LogicalIdResource>>;
}

/** What one template resource resolves to in the emulator (the artefact suite's resource map). */
export interface LogicalIdResource {
  readonly ref: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** How the calls of one source resolve the template: a stack environment or a resource map. */
export interface RecordedStack {
  readonly profile: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly logicalIds?: Readonly<Record<string, LogicalIdResource>>;
}

/** A recorded call; in-process recordings name the handler, proxy recordings the access key. */
export type Call = RecordedCall & { readonly handler?: string };

/** What a recordings directory holds. */
export interface Recordings {
  readonly calls: readonly Call[];
  /** Each source's stack: profile and environment. */
  readonly stacks: ReadonlyMap<string, RecordedStack>;
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

/** The recordings file of the artefact suite's run of `profile`. */
export function artefactRecordingOf(profile: string): string {
  return `artefacts-${profile}.jsonl`;
}

/** Creates the directory when missing and returns it. */
export function ensureCallsDir(): string {
  const dir = callsDir();
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Reads every `*.jsonl` file of `dir` and the `extra` files that exist; a line that is neither a
 * call nor a stack throws.
 */
export function readRecordings(dir: string, extra: readonly string[] = []): Recordings {
  const inDir = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
    : [];
  const paths = [
    ...inDir.map((f) => join(dir, f)),
    ...extra.filter((f) => existsSync(f) && !inDir.includes(basename(f))),
  ];
  const files = paths.map((p) => basename(p));
  const calls: Call[] = [];
  const stacks = new Map<string, RecordedStack>();
  for (const path of paths) {
    const file = basename(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const value = JSON.parse(line) as Partial<StackLine> & Partial<Call>;
      if (value.kind === 'stack') {
        if (!value.source || !value.profile || !(value.env || value.logicalIds)) {
          throw new Error(`${file}:${i + 1}: a stack line needs source, profile and env or logicalIds`);
        }
        stacks.set(value.source, {
          profile: value.profile,
          ...(value.env ? { env: value.env } : {}),
          ...(value.logicalIds ? { logicalIds: value.logicalIds } : {}),
        });
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
    for (const [source, stack] of sidecarStacks(path, calls))
      if (!stacks.has(source)) stacks.set(source, stack);
  }
  return { calls, stacks, files };
}

/**
 * The artefact suite writes each profile's resource map next to its calls file, as
 * `<calls file>.<profile>.resources.json` (`{ profile, resources: { [logicalId]: { ref, attrs } } }`);
 * it stands for the stack of every source of that file ending in `:<profile>`.
 */
function sidecarStacks(path: string, calls: readonly Call[]): [string, RecordedStack][] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const found: [string, RecordedStack][] = [];
  for (const name of readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.resources.json'))) {
    const map = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      profile?: string;
      resources?: Record<string, LogicalIdResource>;
    };
    if (!map.profile || !map.resources)
      throw new Error(`${name}: a resource map needs profile and resources`);
    const sources = new Set(calls.map((c) => c.source).filter((s) => s.endsWith(`:${map.profile}`)));
    for (const source of sources) found.push([source, { profile: map.profile, logicalIds: map.resources }]);
  }
  return found;
}
