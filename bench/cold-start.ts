/**
 * Cold start as Lambda sees it, the pure part: the events of a round, what an invocation's answer
 * says, medians and 90th percentiles, and the verdict against the floor. The measuring itself
 * (the shipped bundles, moto, one fresh process per run) is bench/first-invocation.ts.
 */
import { SAM_MEMBER, type TriggerKind } from '../scripts/sam/events';

/** The goal: a function's median init and first call each at most this many times the floor's. */
export const COLD_START_GOAL = 1.2;

/** The q-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** A median and a 90th percentile, in milliseconds. */
export interface Spread {
  readonly medianMs: number;
  readonly p90Ms: number;
}

/** The median and 90th percentile of `values`. */
export function spread(values: readonly number[]): Spread {
  return { medianMs: quantile(values, 0.5), p90Ms: quantile(values, 0.9) };
}

/** One measured run: a fresh process that loaded a bundle and served one invocation. */
export interface ColdRun {
  /** The bundle's import, timed inside the process: the module load of Lambda's init. */
  readonly initMs: number;
  /** The first invocation, handler called to promise settled: client set-up, credentials, connection, calls. */
  readonly firstCallMs: number;
  /** Spawn to the report: runtime start, init and the first invocation. */
  readonly processMs: number;
  /** What the invocation answered, in a word (see {@link outcomeOf}). */
  readonly outcome: string;
}

/** One function's cold starts over every measured run. */
export interface ColdStart {
  /** The handler name, or the floor's label. */
  readonly name: string;
  readonly trigger: TriggerKind | 'floor';
  readonly runs: number;
  readonly init: Spread;
  readonly firstCall: Spread;
  /** Init plus first call, per run. */
  readonly total: Spread;
  readonly process: Spread;
  /** How many runs answered each outcome. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** AWS calls of the counted (unmeasured) round, by `service:Operation`. */
  readonly awsCalls: Readonly<Record<string, number>>;
}

/** Summarizes a function's runs; a run that failed before it could be timed counts in the outcomes only. */
export function coldStartOf(
  name: string,
  trigger: ColdStart['trigger'],
  runs: readonly ColdRun[],
  awsCalls: Readonly<Record<string, number>>,
): ColdStart {
  const outcomes: Record<string, number> = {};
  for (const r of runs) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const timed = (values: number[]) => spread(values.filter(Number.isFinite));
  return {
    name,
    trigger,
    runs: runs.length,
    init: timed(runs.map((r) => r.initMs)),
    firstCall: timed(runs.map((r) => r.firstCallMs)),
    total: timed(runs.map((r) => r.initMs + r.firstCallMs)),
    process: timed(runs.map((r) => r.processMs)),
    outcomes,
    awsCalls,
  };
}

/** A function's medians as ratios to the floor's, and whether each is within the goal. */
export interface ColdVerdict {
  readonly initRatio: number;
  readonly firstCallRatio: number;
  readonly totalRatio: number;
  /** Init and first call both within the goal. */
  readonly meets: boolean;
}

/** Compares `fn`'s medians with the floor's measured in the same run. */
export function verdictOf(fn: ColdStart, floor: ColdStart, goal = COLD_START_GOAL): ColdVerdict {
  const initRatio = fn.init.medianMs / floor.init.medianMs;
  const firstCallRatio = fn.firstCall.medianMs / floor.firstCall.medianMs;
  return {
    initRatio,
    firstCallRatio,
    totalRatio: fn.total.medianMs / floor.total.medianMs,
    meets: initRatio <= goal && firstCallRatio <= goal,
  };
}

/**
 * What an invocation answered, in a word: a route's status code; `ok` for a batch with no item
 * failed, a job's counts, a trigger's event, an import's report with no line failed; otherwise
 * what failed.
 */
export function outcomeOf(trigger: TriggerKind | 'floor', result: unknown): string {
  // biome-ignore lint/suspicious/noExplicitAny: each trigger answers in its own shape
  const r = result as any;
  switch (trigger) {
    case 'api':
      return typeof r?.statusCode === 'number' ? String(r.statusCode) : 'no status';
    case 'sqs':
    case 'stream': {
      const failed = r?.batchItemFailures;
      if (!Array.isArray(failed)) return 'no batch response';
      return failed.length === 0 ? 'ok' : `${failed.length} failed`;
    }
    case 'schedule':
      return r && typeof r === 'object' && Object.values(r).every((n) => typeof n === 'number')
        ? 'ok'
        : 'no counts';
    case 'invoke':
      return Array.isArray(r?.failed)
        ? r.failed.length === 0
          ? 'ok'
          : `${r.failed.length} failed`
        : 'no report';
    case 'cognito':
      return r && typeof r === 'object' && typeof r.triggerSource === 'string' ? 'ok' : 'no event';
    case 'sns':
      return r === null || r === undefined ? 'ok' : 'unexpected answer';
    case 'floor':
      return r && typeof r === 'object' ? 'ok' : 'no answer';
  }
}

/** Whether an outcome means the function failed rather than answered (a 5xx, a throw, a failed item). */
export function isFailure(outcome: string): boolean {
  return !/^(ok|[1-4]\d\d)$/.test(outcome);
}

/** The member of round `round`: each round joins its own, so no round finds another's state. */
export function roundMember(round: number): string {
  return `${SAM_MEMBER}-r${round}`;
}

/**
 * `event` (a generated event about the sample member) made about the round's member instead:
 * the claims' subject and user name (`google_<sub>`), path parameters, bodies and messages alike,
 * and the address derived from it.
 */
export function eventForRound<T>(event: T, round: number): T {
  const member = roundMember(round);
  return JSON.parse(
    JSON.stringify(event).replace(new RegExp(`(?<![A-Za-z0-9-])${SAM_MEMBER}(?![\\w-])`, 'g'), member),
  ) as T;
}

/** The floor's event: one GetItem of `key` in `table`. */
export function floorEvent(table: string, key: Readonly<Record<string, string>>) {
  return { table, key: { ...key } };
}

/**
 * Problems that void a function's figures: an answer that is a failure, or a route refused (4xx)
 * before it made any AWS call, so its first call would not measure one.
 */
export function problemsOf(fn: ColdStart): string[] {
  const problems: string[] = [];
  for (const outcome of Object.keys(fn.outcomes)) {
    if (isFailure(outcome))
      problems.push(`cold start ${fn.name}: ${fn.outcomes[outcome]} run(s) answered ${outcome}`);
  }
  const calls = Object.values(fn.awsCalls).reduce((a, b) => a + b, 0);
  const refused = Object.keys(fn.outcomes).some((o) => /^4\d\d$/.test(o));
  if (fn.trigger === 'api' && refused && calls === 0)
    problems.push(`cold start ${fn.name}: answered 4xx without reaching an AWS call`);
  return problems;
}

/** `200×14, 409×1`: the outcomes of a function's runs, most frequent first. */
export function outcomesText(outcomes: Readonly<Record<string, number>>): string {
  return Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([outcome, n]) => `${outcome}×${n}`)
    .join(', ');
}

/** `8 (dynamodb 4, kms 4)`: the AWS calls of the counted round, by service. */
export function callsText(calls: Readonly<Record<string, number>>): string {
  const byService: Record<string, number> = {};
  for (const [call, n] of Object.entries(calls)) {
    const service = call.split(':')[0]!;
    byService[service] = (byService[service] ?? 0) + n;
  }
  const total = Object.values(byService).reduce((a, b) => a + b, 0);
  if (total === 0) return '0';
  return `${total} (${Object.entries(byService)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ')})`;
}

/** The cold-start table: one row per bundle, the floor first, ratios to the floor's medians. */
export function coldStartTable(
  floor: ColdStart,
  functions: readonly ColdStart[],
  goal = COLD_START_GOAL,
): { head: string[]; rows: string[][] } {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const x = (v: number) => `${v.toFixed(2)}×`;
  const head = [
    'function',
    'trigger',
    'answered',
    'AWS calls',
    'init median',
    'p90',
    'init ÷ floor',
    'first call median',
    'p90',
    'first call ÷ floor',
    `≤ ${goal}×`,
  ];
  const rows = [floor, ...functions].map((fn) => {
    const v = verdictOf(fn, floor, goal);
    return [
      fn.name,
      fn.trigger,
      outcomesText(fn.outcomes),
      callsText(fn.awsCalls),
      ms(fn.init.medianMs),
      ms(fn.init.p90Ms),
      x(v.initRatio),
      ms(fn.firstCall.medianMs),
      ms(fn.firstCall.p90Ms),
      x(v.firstCallRatio),
      fn === floor
        ? '—'
        : v.meets
          ? 'yes'
          : v.initRatio <= goal
            ? 'init only'
            : v.firstCallRatio <= goal
              ? 'first call only'
              : 'no',
    ];
  });
  return { head, rows };
}
