/**
 * Where the running local stack leaves word of itself (.local/stack.json), so `npm run token`,
 * `npm run job` and `npm run outbox` can find it from another terminal.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProfileName, profiles } from '../policy/catalogue';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Local, git-ignored files: the state file and the issuer's private key. */
export const LOCAL_DIR = join(ROOT, '.local');
/** The state file of the running stack; LOCAL_STACK_STATE names another (the CLI tests' own stacks). */
export const STATE_FILE = process.env.LOCAL_STACK_STATE || join(LOCAL_DIR, 'stack.json');
/** The local issuer's private key, kept across restarts. */
export const ISSUER_KEY_FILE = join(LOCAL_DIR, 'issuer-key.json');

/** What a running local stack tells the other CLIs. */
export interface StackState {
  readonly profile: string;
  /** The front's base URL, e.g. http://localhost:3000 */
  readonly url: string;
  readonly port: number;
  /** The emulator endpoint. */
  readonly endpoint: string;
  /** Whether `npm start` runs the emulator itself (false: AWS_ENDPOINT_URL named one). */
  readonly emulatorOwned: boolean;
  readonly issuer: string;
  readonly audience: string;
  readonly issuerKeyPath: string;
  /** The handler environment from bootstrap. */
  readonly env: Readonly<Record<string, string>>;
  readonly pid: number;
  readonly startedAt: string;
}

/** Records the running stack. */
export async function writeState(state: StackState, path = STATE_FILE): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the stack, if this process is the one that recorded it. */
export async function removeState(pid = process.pid, path = STATE_FILE): Promise<void> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as StackState;
    if (state.pid === pid) await rm(path, { force: true });
  } catch {
    // nothing recorded, or unreadable: nothing to remove
  }
}

/** A CLI cannot proceed; the message is the one line to print. */
export class CliError extends Error {
  override name = 'CliError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running stack's state; a {@link CliError} telling to `npm start` when there is none. */
export async function readState(path = STATE_FILE): Promise<StackState> {
  let state: StackState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as StackState;
  } catch {
    throw new CliError('No local stack is running: start one with `npm start` (in another terminal).');
  }
  if (!alive(state.pid)) {
    throw new CliError(`The local stack recorded in ${path} has stopped: start it again with \`npm start\`.`);
  }
  return state;
}

/** Validates a --profile value; the error names the shipped profiles. */
export function requireProfile(name: string): string {
  if (!isProfileName(name)) {
    throw new CliError(`Unknown profile "${name}": choose one of ${Object.keys(profiles).join(', ')}.`);
  }
  return name;
}

/** Parses a --port style value. */
export function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliError(`${flag} must be a port number.`);
  return port;
}

/** Errors whose message already tells the user what to do. */
const USER_FACING = new Set(['EmulatorError', 'PortInUseError', 'CatalogueError']);

/** Runs a CLI's main: a {@link CliError} or a bad flag becomes one line on stderr and exit code 1. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const badFlag = String((error as { code?: unknown })?.code ?? '').startsWith('ERR_PARSE_ARGS');
    const forUser = error instanceof Error && USER_FACING.has(error.name);
    const message =
      error instanceof CliError || badFlag || forUser
        ? (error as Error).message
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  });
}
