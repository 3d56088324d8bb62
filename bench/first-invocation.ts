/**
 * Cold start as Lambda sees it: for each function of the profile's stack, a fresh `node` process
 * loads the shipped bundle (the staged asset of the synthesized template, what `cdk deploy`
 * uploads) and serves its first invocation against a moto server started here, with the
 * environment the template gives the function (every token resolved to the emulator's resource of
 * the same model entry, as the artefact suite does), the variables the Lambda runtime sets and the
 * fake local credentials. Events are the generated ones of `npm run sam:events`, made about each
 * round's own member: the round's join seeds the member the later routes, workers and the
 * officer's routes act on, and the routes that end the member come last.
 *
 * A floor bundle (a bare DynamoDB client doing one GetItem, bench/floor.ts) runs the same way in
 * each round, right after the join, reading the member's profile item the join wrote; a round runs
 * every bundle once, so a burst of load hits every bundle alike. One unmeasured round goes
 * through the counting proxy: it warms the file cache, as a Lambda host's disk would be, and
 * counts each function's AWS calls (a refused route must still have reached one). The measured
 * rounds talk to moto directly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootstrap, LOCAL_CREDENTIALS, physicalNames, REGION } from '../local/bootstrap';
import { startMoto } from '../local/emulator';
import { membersTable } from '../model/members-table';
import { loadCatalogue, type ProfileName } from '../policy/catalogue';
import { putSamImportObject, type SamEvent, samEvents } from '../scripts/sam/events';
import { synthesizeForSam } from '../scripts/sam/template';
import { type ArtefactFunction, runtimeEnvironment } from '../test/support/artefact-runner';
import {
  emulatorResources,
  functionEnvironment,
  type TemplateJson,
} from '../test/support/template-resources';
import { bundleFloor } from './bundle';
import {
  type ColdRun,
  type ColdStart,
  coldStartOf,
  eventForRound,
  floorEvent,
  outcomeOf,
  roundMember,
} from './cold-start';
import { startCountingProxy } from './counting-proxy';

/** The floor's name in tables and results. */
export const FLOOR_NAME = '(floor) bare DynamoDB GetItem';

/**
 * The functions a quick run measures, in the order their events run: the public read, the join
 * (which seeds the round's member), a member read, a consent change, the export, an officer read,
 * the largest route, a worker, a job, a Cognito trigger, and the withdrawal last.
 */
export const QUICK_FUNCTIONS: readonly string[] = [
  'get-policy',
  'post-members',
  'get-me',
  'put-consent',
  'get-export',
  'get-admin-member',
  'post-request-action',
  'worker-inactivity',
  'job-retention',
  'post-authentication',
  'delete-me',
];

/** Options of {@link measureFirstInvocations}. */
export interface FirstInvocationOptions {
  readonly profile: ProfileName;
  /** Measured runs per function (the counted round comes on top). */
  readonly runs: number;
  /** Only these handlers (in the generated events' order); every function by default. */
  readonly only?: readonly string[];
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

/** What {@link measureFirstInvocations} measured: the floor first, then each function. */
export interface FirstInvocations {
  readonly floor: ColdStart;
  readonly functions: readonly ColdStart[];
  /** Wall time of the whole measure, synthesis and emulator included, in seconds. */
  readonly seconds: number;
}

/** A bundle to run, with the environment it runs in (endpoint apart). */
interface Runnable {
  readonly fn: ArtefactFunction;
  readonly trigger: SamEvent['trigger'] | 'floor';
  readonly event: (round: number) => unknown;
}

/**
 * The process each run starts: it reads the event from stdin, imports the bundle the way the
 * Lambda runtime does (`_HANDLER` names file and export), invokes the handler once, and reports
 * on file descriptor 3 (stdout and stderr carry the function's logs).
 */
function hostScript(assetDir: string, timeoutSeconds: number): string {
  return `
import { readFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
const report = (r) => writeSync(3, JSON.stringify(r));
const failed = (stage, e, initMs) => { report({ stage, initMs, error: String(e?.name ?? 'Error') + ': ' + String(e?.message ?? e).slice(0, 300) }); process.exit(1); };
const event = JSON.parse(readFileSync(0, 'utf8'));
const [file, name] = (process.env._HANDLER ?? 'index.handler').split('.');
const url = ${JSON.stringify(pathToFileURL(`${assetDir}/`).href)} + file + '.mjs';
let module;
const t0 = performance.now();
try { module = await import(url); } catch (e) { failed('init', e); }
const t1 = performance.now();
const fname = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
const deadline = Date.now() + ${timeoutSeconds * 1000};
const context = { callbackWaitsForEmptyEventLoop: true, functionName: fname, functionVersion: '$LATEST',
  invokedFunctionArn: fname, memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
  awsRequestId: randomUUID(), logGroupName: '/aws/lambda/' + fname, logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
let result;
try { result = await module[name](event, context); } catch (e) { failed('invoke', e, t1 - t0); }
const t2 = performance.now();
report({ initMs: t1 - t0, firstCallMs: t2 - t1, result: result ?? null });
process.exit(0);
`;
}

/** One fresh process: loads `r`'s bundle and serves one invocation of `event` against `endpoint`. */
function runOnce(r: Runnable, event: unknown, endpoint: string): Promise<ColdRun> {
  const env = {
    ...runtimeEnvironment(r.fn, { endpoint, region: REGION }),
    // The fake credentials the emulator accepts and AWS refuses.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', hostScript(r.fn.assetDir, r.fn.timeoutSeconds)],
      {
        env,
        cwd: r.fn.assetDir,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      },
    );
    let logs = '';
    const keep = (chunk: Buffer) => {
      logs = (logs + chunk.toString('utf8')).slice(-2_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const reported: Buffer[] = [];
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => reported.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), r.fn.timeoutSeconds * 1000 + 10_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const processMs = performance.now() - started;
      const text = Buffer.concat(reported).toString('utf8');
      // A process that ended without a report (a crash, the timeout) is an outcome, not the end of the bench.
      if (!text) {
        return resolve({
          initMs: Number.NaN,
          firstCallMs: Number.NaN,
          processMs,
          outcome: `crashed (${signal ?? code}): ${logs.replaceAll('\n', ' ').slice(-200)}`,
        });
      }
      const report = JSON.parse(text) as {
        initMs?: number;
        firstCallMs?: number;
        result?: unknown;
        stage?: string;
        error?: string;
      };
      if (report.error) {
        return resolve({
          initMs: report.initMs ?? Number.NaN,
          firstCallMs: Number.NaN,
          processMs,
          outcome: `${report.stage === 'init' ? 'init failed' : 'threw'}: ${report.error}`,
        });
      }
      resolve({
        initMs: report.initMs!,
        firstCallMs: report.firstCallMs!,
        processMs,
        outcome: outcomeOf(r.trigger, report.result),
      });
    });
    child.stdin!.end(JSON.stringify(event));
  });
}

/** The template's functions, by handler name, as `ArtefactFunction`s with their resolved environment. */
async function shippedFunctions(profile: ProfileName, endpoint: string) {
  const sam = synthesizeForSam(profile, { bundle: true, local: false });
  const template = sam.template as TemplateJson;
  const boot = await bootstrap({ profile, endpoint });
  const resources = await emulatorResources(template, boot, { profile, endpoint });
  const byHandler = new Map<string, ArtefactFunction>();
  for (const f of sam.functions) {
    if (!f.handler) continue;
    const props = template.Resources[f.logicalId]!.Properties;
    const key = props?.Code?.S3Key;
    if (typeof key !== 'string') throw new Error(`${f.logicalId} has no code asset in the template`);
    byHandler.set(f.handler, {
      logicalId: f.logicalId,
      assetDir: join(sam.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`),
      handler: String(props.Handler),
      variables: functionEnvironment(template, f.logicalId, resources, sam.stackName),
      timeoutSeconds: Number(props.Timeout ?? 3),
      memorySize: Number(props.MemorySize ?? 128),
    });
  }
  return { byHandler, sam };
}

/** Measures every function's (or `only`'s) cold start and first invocation; see the module comment. */
export async function measureFirstInvocations(options: FirstInvocationOptions): Promise<FirstInvocations> {
  const began = performance.now();
  const { profile, runs } = options;
  const progress = options.progress ?? (() => {});
  const moto = await startMoto();
  const proxy = await startCountingProxy(moto.endpoint);
  const floorDir = mkdtempSync(join(tmpdir(), 'privacy-bench-floor-'));
  try {
    progress('first invocations: synthesizing the stack with its bundles, and its resources in moto');
    const { byHandler, sam } = await shippedFunctions(profile, moto.endpoint);
    const catalogue = loadCatalogue(profile);
    // The operator uploads an export before invoking the import job: here, one of no members.
    await putSamImportObject(moto.endpoint, profile);

    const floorBundle = await bundleFloor(floorDir);
    const anyFunction = [...byHandler.values()][0]!;
    const floor: Runnable = {
      trigger: 'floor',
      fn: {
        logicalId: 'Floor',
        assetDir: join(floorBundle.file, '..'),
        handler: 'index.handler',
        // The flags every function of the stack runs with, and nothing else.
        variables: { NODE_OPTIONS: anyFunction.variables.NODE_OPTIONS ?? '' },
        timeoutSeconds: 10,
        memorySize: anyFunction.memorySize,
      },
      // The round's member's profile item: the floor runs right after the join that writes it.
      event: (round) =>
        floorEvent(physicalNames.table(profile, 'members'), membersTable.profile(roundMember(round))),
    };
    const now = new Date();
    const events = samEvents(catalogue, now).filter((e) => !options.only || options.only.includes(e.handler));
    const runnables: Runnable[] = events.map((e) => {
      const fn = byHandler.get(e.handler);
      if (!fn) throw new Error(`the template has no function for ${e.handler}`);
      return { fn, trigger: e.trigger, event: (round) => eventForRound(e.event, round) };
    });
    // Every function of the template is measured: one without a generated event is an error, not a gap.
    const unmeasured = [...byHandler.keys()].filter((h) => !events.some((e) => e.handler === h));
    if (!options.only && unmeasured.length > 0) throw new Error(`no event for ${unmeasured.join(', ')}`);
    if (options.only) {
      const missing = options.only.filter((h) => !runnables.some((r) => r.fn === byHandler.get(h)));
      if (missing.length > 0) throw new Error(`no function ${missing.join(', ')} in ${sam.stackName}`);
    }
    const joinAt = events.findIndex((e) => e.handler === 'post-members');
    const all = [...runnables.slice(0, joinAt + 1), floor, ...runnables.slice(joinAt + 1)];

    progress(`first invocations: a counted round through the proxy, then ${runs} measured rounds`);
    const awsCalls = new Map<Runnable, Record<string, number>>();
    proxy.take();
    for (const r of all) {
      await runOnce(r, r.event(0), proxy.url);
      awsCalls.set(r, proxy.take().calls);
    }
    const samples = new Map<Runnable, ColdRun[]>(all.map((r) => [r, []]));
    for (let round = 1; round <= runs; round++) {
      for (const r of all) samples.get(r)!.push(await runOnce(r, r.event(round), moto.endpoint));
      if (round % 5 === 0) progress(`first invocations: ${round} of ${runs} rounds`);
    }
    const of = (r: Runnable, name: string) => coldStartOf(name, r.trigger, samples.get(r)!, awsCalls.get(r)!);
    return {
      floor: of(floor, FLOOR_NAME),
      functions: runnables.map((r, i) => of(r, events[i]!.handler)),
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    rmSync(floorDir, { recursive: true, force: true });
    await proxy.close();
    await moto.stop();
  }
}
