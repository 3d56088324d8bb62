/**
 * The pure parts of the load test (`npm run bench -- --load`): the clients' journal, latency
 * percentiles, the classifier that tells a 409 of a true race from an unexplained one, the check
 * of every member's final state against what the clients were told, and what the deployed
 * stack's throttle and firewall would have made of the same requests.
 */
import { parseArgs } from 'node:util';

/** The operations the load test's clients perform. */
export const LOAD_OPS = ['join', 'view', 'consent', 'correction', 'export', 'withdrawal'] as const;
/** An operation of the load test. */
export type LoadOp = (typeof LOAD_OPS)[number];

/** Operations that change the member: only these can make another request of the member lose a race. */
export const WRITE_OPS: ReadonlySet<LoadOp> = new Set(['join', 'consent', 'correction', 'withdrawal']);

/** The rights-request ledger type each self-service operation records (lambdas/features/requests). */
export const LEDGER_TYPE_OF: Readonly<Partial<Record<LoadOp, string>>> = {
  view: 'access',
  export: 'portability',
  correction: 'correction',
  withdrawal: 'deletion',
};

/** One request as a client saw it: what it asked, when, and what it was told. */
export interface JournalEntry {
  readonly client: number;
  readonly member: string;
  readonly op: LoadOp;
  /** Wall-clock milliseconds (Date.now), so they compare with the server's time stamps. */
  readonly start: number;
  readonly end: number;
  /** The HTTP status; 0 when no answer came. */
  readonly status: number;
  /** The problem kind of a problem answer (the last part of its `type` URN). */
  readonly problem?: string;
  /** consent: the purpose and the decision sent, and the decision's time stamp answered. */
  readonly purpose?: string;
  readonly granted?: boolean;
  readonly at?: string;
  /** correction: the userName sent. */
  readonly value?: string;
  /** withdrawal: the id of the receipt answered. */
  readonly receiptId?: string;
}

/** Whether the client was told the request took effect. */
export const acknowledged = (e: JournalEntry): boolean => e.status >= 200 && e.status < 300;

/** No answer or a server error: the request may or may not have taken effect. */
export const uncertain = (e: JournalEntry): boolean => e.status === 0 || e.status >= 500;

/** The nearest-rank percentile `p` (0–100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** What an answer means once every other request of the member is known. */
export type Verdict =
  /** 2xx. */
  | 'ok'
  /** 409 while another write of the same member was in flight: a true race. */
  | 'raced'
  /** 404 after a withdrawal of the member had started: it is gone, as it should be. */
  | 'gone'
  /** 409 with no other write of the member in flight. */
  | 'unexplained-409'
  /** 404 with no withdrawal of the member started before it ended. */
  | 'unexplained-404'
  | 'server-error'
  | 'no-answer'
  /** Any other status: the load test sends only valid requests. */
  | 'unexpected-status';

/** Verdicts the load test accepts. */
export const ACCEPTED_VERDICTS: ReadonlySet<Verdict> = new Set(['ok', 'raced', 'gone']);

const overlaps = (a: JournalEntry, b: JournalEntry) => a.start <= b.end && b.start <= a.end;

/** Groups entries by member, each group in the order the requests started. */
export function byMember(entries: readonly JournalEntry[]): Map<string, JournalEntry[]> {
  const groups = new Map<string, JournalEntry[]>();
  for (const e of entries) {
    const group = groups.get(e.member);
    if (group) group.push(e);
    else groups.set(e.member, [e]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.start - b.start);
  return groups;
}

/**
 * The verdict on each entry, in the journal's order. A 409 is a race only when another write of
 * the same member (by any client) that may have committed overlapped it in time: a member's
 * writes are guarded by its revision, so a lost race needs a write that committed while the loser
 * ran. A 404 is right only once a withdrawal of the member that may have succeeded had started.
 */
export function classify(entries: readonly JournalEntry[]): Verdict[] {
  const groups = byMember(entries);
  return entries.map((e) => {
    if (acknowledged(e)) return 'ok';
    if (e.status === 0) return 'no-answer';
    if (e.status >= 500) return 'server-error';
    // Only a write that may have committed (answered 2xx, or not answered) can make another lose.
    const others = (groups.get(e.member) ?? []).filter((o) => o !== e && (acknowledged(o) || uncertain(o)));
    if (e.status === 409)
      return others.some((o) => WRITE_OPS.has(o.op) && overlaps(o, e)) ? 'raced' : 'unexplained-409';
    if (e.status === 404)
      return others.some((o) => o.op === 'withdrawal' && o.start <= e.end) ? 'gone' : 'unexplained-404';
    return 'unexpected-status';
  });
}

/** A consent decision as a record holds it. */
export interface Decision {
  readonly purpose: string;
  readonly granted: boolean;
  readonly at: string;
}

/** What the tables and the API hold of one member after the run (tables read before the API). */
export interface ObservedMember {
  /** GET /v1/me's status after the run; undefined when the member was read from the tables only. */
  readonly viewStatus?: number;
  /** The profile's status in the members table; undefined when there is no profile. */
  readonly profileStatus?: string;
  /** Items left under the member's partition of the members table. */
  readonly partitionItems: number;
  /** The decisions the profile holds, by purpose. */
  readonly consents: Readonly<Record<string, { readonly granted: boolean; readonly at: string }>>;
  /** userName as GET /v1/me shows it. */
  readonly userName?: string;
  /** ConsentChanged lifecycle events, written in the transaction of each change. */
  readonly consentEvents: readonly Decision[];
  /** The history's `change` entries under the member's partition (none once withdrawn). */
  readonly consentHistory: readonly Decision[];
  /** MemberWithdrawn lifecycle events. */
  readonly withdrawnEvents: number;
  /** Ids of the withdrawal receipts the vault keeps for the member. */
  readonly receiptIds: readonly string[];
  /** The receipt ids the silo-erasure requests of the member's withdrawal name (one per withdrawal). */
  readonly siloErasures: readonly string[];
  /** The member's own ledger records by request type: completed, and any other status. */
  readonly ledger: Readonly<Record<string, { readonly completed: number; readonly other: number }>>;
}

/** What a member was given at join, against which untouched state is checked. */
export interface JoinState {
  readonly consents: Readonly<Record<string, boolean>>;
  readonly userName: string;
}

/**
 * The values a state may end with after these writes (each a whole-value write): those of the
 * acknowledged or uncertain writes that no acknowledged write started after the end of, and the
 * join's when none was acknowledged. Refused writes (409, 404) changed nothing.
 */
export function possibleFinalValues<T>(
  writes: readonly JournalEntry[],
  valueIn: (e: JournalEntry) => T,
  initial: T,
): Set<T> {
  const counted = writes.filter((w) => acknowledged(w) || uncertain(w));
  const acked = counted.filter(acknowledged);
  // The last write to commit is never one an acknowledged write started after the end of.
  const live = counted.filter((w) => !acked.some((later) => later.start > w.end));
  const values = new Set(live.map(valueIn));
  // With none acknowledged, every write may have failed: the join's value may still stand.
  if (acked.length === 0) values.add(initial);
  return values;
}

/** Compares decisions recorded against the acknowledged ones; returns what is lost or extra. */
function recordedDecisions(
  where: string,
  purpose: string,
  recorded: readonly Decision[],
  acked: readonly JournalEntry[],
  uncertainCount: number,
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const r of recorded) seen.set(r.at, (seen.get(r.at) ?? 0) + 1);
  for (const [at, n] of seen)
    if (n > 1) problems.push(`${where}: ${purpose} decision at ${at} recorded ${n} times`);
  for (const a of acked) {
    const match = recorded.find((r) => r.at === a.at);
    if (!match) problems.push(`${where}: acknowledged ${purpose} decision at ${a.at} is missing`);
    else if (match.granted !== a.granted)
      problems.push(
        `${where}: ${purpose} decision at ${a.at} recorded as ${match.granted}, answered ${a.granted}`,
      );
  }
  const unexplained = [...seen.keys()].filter((at) => !acked.some((a) => a.at === at)).length;
  if (unexplained > uncertainCount)
    problems.push(
      `${where}: ${unexplained} ${purpose} decisions no answer acknowledged (${uncertainCount} unanswered)`,
    );
  return problems;
}

/**
 * Every discrepancy between a member's final state and the journal of its requests: an effect
 * the client was told of but that is missing (lost), one recorded more often than made
 * (duplicated), a value that no order of the acknowledged writes can leave, a withdrawal not
 * done exactly once or leaving the member behind. Empty when the state is what the clients did.
 */
export function checkMember(
  entries: readonly JournalEntry[],
  joined: JoinState,
  observed: ObservedMember,
): string[] {
  const problems: string[] = [];
  const of = (op: LoadOp) => entries.filter((e) => e.op === op);
  const joinEnd = Math.max(...of('join').map((e) => e.end), Number.NEGATIVE_INFINITY);

  // Withdrawal: done exactly once, and nothing of the member left but the vault's receipt.
  const withdrawals = of('withdrawal');
  const ackedWithdrawals = withdrawals.filter(acknowledged);
  const unsure = withdrawals.some(uncertain);
  const gone = observed.profileStatus === undefined;
  if (ackedWithdrawals.length > 0 || (unsure && gone)) {
    if (observed.viewStatus !== undefined && observed.viewStatus !== 404)
      problems.push(`withdrawn, but GET /v1/me answered ${observed.viewStatus}`);
    if (observed.partitionItems > 0)
      problems.push(`withdrawn, but ${observed.partitionItems} items are left`);
    if (observed.withdrawnEvents !== 1)
      problems.push(`withdrawn, with ${observed.withdrawnEvents} MemberWithdrawn events`);
    if (observed.receiptIds.length !== 1)
      problems.push(`withdrawn, with ${observed.receiptIds.length} receipts in the vault`);
    const answered = new Set(ackedWithdrawals.map((w) => w.receiptId));
    if (answered.size > 1) problems.push(`withdrawals answered ${answered.size} different receipts`);
    for (const id of answered)
      if (!observed.receiptIds.includes(id ?? ''))
        problems.push('a receipt answered is not the one the vault keeps');
    if (observed.siloErasures.length > 1)
      problems.push(`withdrawn, with ${observed.siloErasures.length} silo erasures started`);
    if (observed.siloErasures.some((id) => !observed.receiptIds.includes(id)))
      problems.push("a silo erasure names another receipt than the vault's");
  } else {
    if (observed.viewStatus !== undefined && observed.viewStatus !== 200)
      problems.push(`not withdrawn, but GET /v1/me answered ${observed.viewStatus}`);
    if (observed.profileStatus !== 'active')
      problems.push(`not withdrawn, but the profile is ${observed.profileStatus}`);
    if (observed.withdrawnEvents > 0 || observed.receiptIds.length > 0 || observed.siloErasures.length > 0)
      problems.push('not withdrawn, but a withdrawal was recorded');
  }

  // The ledger: one completed record per acknowledged request, a refused or open one only for a
  // request that was not acknowledged.
  for (const [op, type] of Object.entries(LEDGER_TYPE_OF) as [LoadOp, string][]) {
    const mine = of(op);
    const acked = mine.filter(acknowledged).length;
    const slack = mine.filter(uncertain).length;
    const refusedAnswers = mine.filter((e) => !acknowledged(e)).length;
    const { completed = 0, other = 0 } = observed.ledger[type] ?? {};
    if (completed < acked)
      problems.push(`ledger: ${completed} completed ${type} records for ${acked} acknowledged`);
    if (completed > acked + slack)
      problems.push(
        `ledger: ${completed} completed ${type} records for ${acked} acknowledged (${slack} unanswered)`,
      );
    if (other > refusedAnswers)
      problems.push(`ledger: ${other} unfinished ${type} records for ${refusedAnswers} refusals`);
  }

  // Consents: every acknowledged change recorded once, nothing else, and a final value some order
  // of the acknowledged changes leaves.
  const consents = of('consent');
  for (const purpose of new Set(consents.map((c) => c.purpose ?? ''))) {
    const writes = consents.filter((c) => c.purpose === purpose);
    // A repeat of the join's decision answers the join's time stamp, which no change records.
    const ackedChanges = writes.filter((w) => acknowledged(w) && Date.parse(w.at ?? '') > joinEnd);
    const slack = writes.filter(uncertain).length;
    const events = observed.consentEvents.filter((d) => d.purpose === purpose);
    problems.push(...recordedDecisions('events', purpose, events, ackedChanges, slack));
    if (!gone) {
      const history = observed.consentHistory.filter((d) => d.purpose === purpose);
      problems.push(...recordedDecisions('history', purpose, history, ackedChanges, slack));
      const allowed = possibleFinalValues(writes, (w) => w.granted, joined.consents[purpose]);
      const final = observed.consents[purpose]?.granted;
      if (!allowed.has(final))
        problems.push(`${purpose} ends ${final}, which no order of the answered writes leaves`);
    }
  }
  const touched = new Set(consents.map((c) => c.purpose));
  const strays = observed.consentEvents.filter((d) => !touched.has(d.purpose));
  if (strays.length > 0) problems.push(`${strays.length} consent changes no client asked for`);

  // Corrections: the final userName is one some order of the acknowledged corrections leaves.
  const corrections = of('correction');
  if (!gone && observed.viewStatus !== undefined) {
    const allowed = possibleFinalValues(corrections, (c) => c.value, joined.userName as string | undefined);
    if (!allowed.has(observed.userName))
      problems.push('userName ends with a value no order of the answered corrections leaves');
  }
  return problems;
}

/**
 * Requests a token bucket (API Gateway's stage throttle: `rate` per second, `burst` deep) would
 * refuse with 429, given the times (ms) the requests arrived.
 */
export function throttledRequests(arrivals: readonly number[], rate: number, burst: number): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let tokens = burst;
  let last = times[0] ?? 0;
  let refused = 0;
  for (const t of times) {
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
    last = t;
    if (tokens >= 1) tokens -= 1;
    else refused++;
  }
  return refused;
}

/**
 * The most requests that arrived within any `windowMs` (arrival times in ms): what a rate-based
 * firewall rule counts per source address, all of the load test's coming from one.
 */
export function busiestWindow(arrivals: readonly number[], windowMs: number): number {
  const times = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[first]! >= windowMs) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
}

/** The load test's settings. */
export interface LoadSettings {
  readonly members: number;
  readonly clients: number;
  readonly seconds: number;
  /** Members every client may pick; the others each belong to one client. */
  readonly shared: number;
  readonly seed: number;
}

/** A flag the load test cannot use; the message names it and the fix. */
export class LoadUsageError extends Error {
  override name = 'LoadUsageError';
}

/** Reads the load flags (the bench's own, --load and --quick, are let through). */
export function parseLoadArgs(argv: readonly string[]): LoadSettings {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        load: { type: 'boolean' },
        quick: { type: 'boolean' },
        members: { type: 'string' },
        clients: { type: 'string' },
        seconds: { type: 'string' },
        shared: { type: 'string' },
        seed: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new LoadUsageError(
      `${(error as Error).message.split('\n')[0]} (flags: --members N --clients C --seconds T --shared S --seed K)`,
    );
  }
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new LoadUsageError(`--${name} must be a whole number from ${min} to ${max}, not ${String(raw)}`);
    return n;
  };
  const members = whole('members', 500, 2, 100_000);
  const clients = whole('clients', 16, 1, 256);
  // Tokens are signed once, for an hour: the run must end within it.
  const seconds = whole('seconds', 60, 1, 1_800);
  const shared = whole('shared', Math.max(0, Math.min(members - clients, clients)), 0, members);
  const seed = whole('seed', 1, 0, 2 ** 31);
  if (members - shared < clients && shared < members)
    throw new LoadUsageError(
      `--members must leave each client one member of its own: at least ${shared + clients}`,
    );
  return { members, clients, seconds, shared, seed };
}
