/**
 * `npm run job -- <name> [--now <ISO date>]`: runs one scheduled job once against the running
 * local stack, as its schedule would (moto cannot invoke Lambda functions).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Context } from 'aws-lambda';
import { type JobDefinition, type JobEvent, type JobName, jobs } from '../model/workloads';
import { applyEnvironment } from './bootstrap';
import { HANDLERS_DIR } from './front';
import { asFunction } from './invocation';
import { lambdaContext } from './lambda-event';
import { drainQueue } from './queue-worker';
import { CliError, readState, runCli } from './state';

/** A job handler as the Scheduler target would call it. */
type JobHandler = (event: JobEvent, context: Context) => Promise<unknown>;

/** How long a job Lambda may run. */
const JOB_TIMEOUT_MS = 15 * 60_000;

function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobs, name);
}

/** A job's name as typed: `policy-notices` and `policyNotices` alike. */
export function jobNameOf(typed: string): string {
  return typed.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Runs `name` with the stack's environment in this process; returns what the handler returned.
 * A job that fans out to a queue also has the queue drained through its worker, as Lambda would.
 */
export async function runJob(
  name: JobName,
  env: Readonly<Record<string, string>>,
  profile: string,
  now?: string,
): Promise<unknown> {
  applyEnvironment(env);
  const file = join(HANDLERS_DIR, `${jobs[name].handler}.ts`);
  const module = (await import(pathToFileURL(file).href)) as { handler?: JobHandler };
  if (typeof module.handler !== 'function') throw new CliError(`${file} exports no handler.`);
  const event: JobEvent = { job: name, ...(now ? { now } : {}) };
  const handler = module.handler;
  const result = await asFunction({ handler: jobs[name].handler, env }, () =>
    handler(event, lambdaContext(`${profile}-${jobs[name].handler}`, JOB_TIMEOUT_MS)),
  );
  const job: JobDefinition = jobs[name];
  if (!job.drains) return result;
  const worker = await drainQueue(job.drains, env, profile);
  return { ...(result as Record<string, number>), ...worker };
}

/**
 * A job's per-class counts (`deleted:<class>`, as the retention job reports them) as lines such as
 * "deleted by class: payment-records 2, withdrawal-receipt 1"; "deleted by class: none" when the
 * job counts `deleted` but deleted nothing.
 */
export function countsByClass(result: unknown): string[] {
  if (typeof result !== 'object' || result === null) return [];
  const groups = new Map<string, string[]>();
  for (const [key, value] of Object.entries(result)) {
    const colon = key.indexOf(':');
    if (colon === -1) continue;
    const count = key.slice(0, colon);
    groups.set(count, [...(groups.get(count) ?? []), `${key.slice(colon + 1)} ${value}`]);
  }
  if (groups.size === 0 && (result as Record<string, unknown>).deleted === 0)
    return ['deleted by class: none'];
  return [...groups].map(([count, parts]) => `${count} by class: ${parts.sort().join(', ')}`);
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { now: { type: 'string' } },
    });
    const names = Object.keys(jobs).join(', ');
    const name = positionals[0] === undefined ? undefined : jobNameOf(positionals[0]);
    if (!name) throw new CliError(`Usage: npm run job -- <name> [--now <ISO date>]; jobs: ${names}.`);
    if (!isJobName(name)) throw new CliError(`Unknown job "${name}": the jobs are ${names}.`);
    if (values.now !== undefined && Number.isNaN(new Date(values.now).getTime())) {
      throw new CliError(`--now must be an ISO date such as 2026-01-01T04:00:00+09:00, not "${values.now}".`);
    }
    const state = await readState();
    const started = Date.now();
    const result = await runJob(name, state.env, state.profile, values.now);
    process.stdout.write(
      `${name} (${state.profile}) finished in ${Date.now() - started} ms: ${JSON.stringify(result)}\n`,
    );
    for (const line of countsByClass(result)) process.stdout.write(`  ${line}\n`);
  });
}
