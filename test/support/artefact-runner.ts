/**
 * Runs the shipped bundles: each function in a Node process of its own (test/support/lambda-host.mjs)
 * started with exactly the environment a deployed function would see — the template's variables,
 * resolved, plus what the Lambda runtime sets — and nothing of the test process's. A process
 * stays warm for the function's next invocations; at most `warm` live at once, the least
 * recently used is ended first, so a suite touching forty functions holds a handful of processes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOST = fileURLToPath(new URL('./lambda-host.mjs', import.meta.url));

/** A function of the template, ready to run. */
export interface ArtefactFunction {
  /** The function's logical id; also its access key id, so its calls can be told apart. */
  readonly logicalId: string;
  /** The staged asset directory holding `index.mjs`. */
  readonly assetDir: string;
  /** `Handler` of the template, e.g. `index.handler`. */
  readonly handler: string;
  /** The template's variables, every token resolved. */
  readonly variables: Readonly<Record<string, string>>;
  /** `Timeout` of the template, seconds. */
  readonly timeoutSeconds: number;
  /** `MemorySize` of the template, MB. */
  readonly memorySize: number;
}

/** A function that threw, failed to load, timed out or crashed its process. */
export class ArtefactFailure extends Error {
  override name = 'ArtefactFailure';
}

interface Warm {
  readonly child: ChildProcess;
  /** The tail of what the function wrote to stdout and stderr, for a failure's message. */
  output: string;
  readonly pending: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
  readonly ready: Promise<void>;
  exited: boolean;
}

/** Options of {@link ArtefactRunner}. */
export interface ArtefactRunnerOptions {
  /** Where every function's SDK clients go: the recording proxy in front of the emulator. */
  readonly endpoint: string;
  /** The region the template's functions run in. */
  readonly region: string;
  /** At most this many function processes live at once. @default 4 */
  readonly warm?: number;
}

/** The variables the Lambda runtime sets for a function, with credentials naming the function. */
export function runtimeEnvironment(
  fn: ArtefactFunction,
  options: ArtefactRunnerOptions,
): Record<string, string> {
  return {
    ...fn.variables,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: fn.logicalId,
    AWS_SECRET_ACCESS_KEY: 'artefact',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: 'INFO',
    LAMBDA_TASK_ROOT: fn.assetDir,
    _HANDLER: fn.handler,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: '/usr/local/bin:/usr/bin:/bin',
    // Not set in AWS: the one switch that keeps every call on the emulator.
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs functions' bundles, each in its own process; see the module comment. */
export class ArtefactRunner {
  private readonly live = new Map<string, Warm>();
  private next = 1;
  /** Invocations by logical id. */
  readonly invocations = new Map<string, number>();

  constructor(private readonly options: ArtefactRunnerOptions) {}

  /** Invokes `fn` with `event`; resolves to what the handler returned, rejects with {@link ArtefactFailure}. */
  async invoke(fn: ArtefactFunction, event: unknown): Promise<unknown> {
    const warm = await this.warmOf(fn);
    this.invocations.set(fn.logicalId, (this.invocations.get(fn.logicalId) ?? 0) + 1);
    const id = this.next++;
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        warm.pending.delete(id);
        this.end(fn.logicalId);
        reject(new ArtefactFailure(`${fn.logicalId} timed out after ${fn.timeoutSeconds} s${tail(warm)}`));
      }, timeoutMs + 5_000);
      warm.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      warm.child.send({ type: 'invoke', id, event, timeoutMs });
    });
  }

  private async warmOf(fn: ArtefactFunction): Promise<Warm> {
    const found = this.live.get(fn.logicalId);
    if (found && !found.exited) {
      // Most recently used last: Map keeps insertion order.
      this.live.delete(fn.logicalId);
      this.live.set(fn.logicalId, found);
      await found.ready;
      return found;
    }
    while (this.live.size >= (this.options.warm ?? 4)) this.end(this.live.keys().next().value!);
    const child = fork(HOST, [], {
      env: runtimeEnvironment(fn, this.options),
      execArgv: [],
      cwd: fn.assetDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const warm: Warm = {
      child,
      output: '',
      pending: new Map(),
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failReady = reject;
      }),
      exited: false,
    };
    const keep = (chunk: Buffer) => {
      warm.output = (warm.output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on(
      'message',
      (m: {
        id: number;
        ok: boolean;
        result?: unknown;
        error?: { name: string; message: string; stack: string };
      }) => {
        if (m.id === 0) return markReady();
        const failure = (e: NonNullable<typeof m.error>) =>
          new ArtefactFailure(`${fn.logicalId} failed: ${e.name}: ${e.message}\n${e.stack}${tail(warm)}`);
        if (m.id === -1) {
          for (const p of warm.pending.values()) p.reject(failure(m.error!));
          warm.pending.clear();
          return;
        }
        const waiting = warm.pending.get(m.id);
        warm.pending.delete(m.id);
        if (m.ok) waiting?.resolve(m.result);
        else waiting?.reject(failure(m.error!));
      },
    );
    child.on('exit', (code, signal) => {
      warm.exited = true;
      const why = new ArtefactFailure(`${fn.logicalId}'s process ended (${signal ?? code})${tail(warm)}`);
      failReady(why);
      for (const p of warm.pending.values()) p.reject(why);
      warm.pending.clear();
      if (this.live.get(fn.logicalId) === warm) this.live.delete(fn.logicalId);
    });
    this.live.set(fn.logicalId, warm);
    await warm.ready;
    return warm;
  }

  private end(logicalId: string): void {
    const warm = this.live.get(logicalId);
    this.live.delete(logicalId);
    if (warm && !warm.exited) warm.child.kill('SIGTERM');
  }

  /** Ends every function process and waits until they have exited. */
  async close(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exited) return resolve();
            w.child.once('exit', () => resolve());
            w.child.kill('SIGTERM');
          }),
      ),
    );
  }
}

function tail(warm: Warm): string {
  return warm.output ? `\n--- function output (tail) ---\n${warm.output}` : '';
}
