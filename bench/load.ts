/**
 * `npm run bench -- --load [--members 500] [--clients 16] [--seconds 60] [--shared 64] [--seed 1]`:
 * a bounded load test of the local stack (the one `npm start` runs: moto, the local issuer, the
 * front serving the real handlers), on loopback and free ports, stopped when it is done.
 *
 * N members join, then C clients send a mix of view, consent change, correction, export and
 * withdrawal for a fixed time. Each client owns the members whose index modulo C is its own, so
 * nothing else writes them and a 409 there is a failure; a shared set that every client picks
 * from makes true races possible, and the journal of every request (start, end, answer) tells a
 * 409 of a race from an unexplained one. Afterwards every member's state is read back, from the
 * tables and through the API, and checked against what the clients were told. Throughput is
 * reported as a ratio to moto's bare GetItem rate, measured in the same run.
 *
 * Each member's token is signed once, as at a sign-in, so the front runs the sign-in trigger on its
 * first use of the Seoul day (the join) and not again: a run across Seoul midnight (15:00 UTC)
 * would see those trigger writes mid-mix, outside the journal.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { API_DEFAULTS } from '../lib/defaults';
import { clientConfig, physicalNames } from '../local/bootstrap';
import { type Emulator, startMoto } from '../local/emulator';
import { generateIssuerKey, type IssuerKey, signIdToken } from '../local/issuer';
import { type LocalStack, startLocalStack } from '../local/stack';
import { MEMBER_ITEM_PREFIX, memberPk, PROFILE_SK } from '../model/members-table';
import type { TableName } from '../model/resources';
import type { ProfileName } from '../policy/catalogue';
import { seededRandom } from '../test/support/seeded-random';
import { type CallCounts, startCountingProxy } from './counting-proxy';
import {
  ACCEPTED_VERDICTS,
  busiestWindow,
  byMember,
  checkMember,
  classify,
  type Decision,
  type JoinState,
  type JournalEntry,
  LOAD_OPS,
  type LoadOp,
  type LoadSettings,
  LoadUsageError,
  type ObservedMember,
  parseLoadArgs,
  percentile,
  throttledRequests,
  type Verdict,
} from './load-check';
import { writeLoadResults } from './load-results';
import { table } from './table';

/** The profile the load runs on (the bench's operations profile). */
const PROFILE: ProfileName = 'littleone';
/** Optional purposes the clients decide on (withdrawing profile-photos would erase photos in S3). */
const PURPOSES = ['statistics', 'new-service-development'] as const;
/** The decisions each member joins with. */
const JOIN_CONSENTS: Readonly<Record<string, boolean>> = {
  membership: true,
  'service-delivery': true,
  'abuse-prevention': true,
  statistics: true,
  'new-service-development': false,
};
/** The share of each operation in the mix after the joins. */
const MIX: readonly (readonly [Exclude<LoadOp, 'join'>, number])[] = [
  ['view', 0.35],
  ['consent', 0.25],
  ['correction', 0.2],
  ['export', 0.15],
  ['withdrawal', 0.05],
];
/** How often a client picks a member of the shared set rather than one of its own. */
const SHARED_PICK = 0.5;
/** How long the bare GetItem loops run, before the mix and after it. */
const BARE_SECONDS = 3;
/** The deployed firewall's window for its per-IP rate rule. */
const FIREWALL_WINDOW_MS = 5 * 60_000;

/** The operation a draw in [0, 1) picks from the mix. */
function pickOp(draw: number): Exclude<LoadOp, 'join'> {
  let left = draw;
  for (const [op, share] of MIX) {
    left -= share;
    if (left < 0) return op;
  }
  return 'view';
}

/** Latency and answers of one operation. */
export interface RouteStats {
  readonly op: LoadOp;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly statuses: Readonly<Record<string, number>>;
}

function routeStats(entries: readonly JournalEntry[], op: LoadOp, seconds: number): RouteStats {
  const mine = entries.filter((e) => e.op === op);
  const latencies = mine.map((e) => e.end - e.start);
  const statuses: Record<string, number> = {};
  for (const e of mine) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
  return {
    op,
    requests: mine.length,
    perSecond: mine.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    statuses,
  };
}

/** Runs `work` on `count` workers until each returns false. */
async function workers(count: number, work: (worker: number) => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, worker) => {
      while (await work(worker)) {}
    }),
  );
}

/** The load test's results, as bench/results.json keeps them under `load`. */
export interface LoadResults {
  readonly date: string;
  readonly settings: LoadSettings;
  readonly joinSeconds: number;
  readonly loadSeconds: number;
  /** moto's bare GetItem rate: before the mix, after it, and their mean (the baseline). */
  readonly bareGetItemPerSecond: number;
  readonly bareGetItemPerSecondBeforeAfter: readonly [number, number];
  readonly requestsPerSecond: number;
  /** Emulator calls the handlers made during the mix, by service and operation (when counted). */
  readonly mixCalls?: {
    readonly total: number;
    readonly perRequest: number;
    readonly perSecond: number;
    readonly byOperation: Readonly<Record<string, number>>;
  };
  readonly ratioToBare: number;
  readonly routes: readonly RouteStats[];
  readonly verdicts: Readonly<Record<string, number>>;
  readonly races: { readonly shared: number; readonly owned: number };
  readonly raceKinds: Readonly<Record<string, number>>;
  /** Items in the tables after the mix: moto answers a Query by going through all of a table's. */
  readonly tableItems: Readonly<Record<string, number>>;
  readonly membersChecked: number;
  readonly membersReadThroughApi: number;
  readonly membersWithdrawn: number;
  readonly problems: readonly string[];
  readonly limits: {
    readonly stageRatePerSecond: number;
    readonly stageBurst: number;
    readonly wouldBeThrottled: number;
    readonly firewallPerIpPer5Minutes: number;
    readonly busiest5Minutes: number;
    readonly localFrontEnforces: string;
  };
}

/**
 * `npm run bench -- --load`: starts the local stack, runs the load with the flags in `argv`,
 * reports, stops the stack; resolves to the process's exit code.
 */
export async function runLoadBench(argv: readonly string[]): Promise<number> {
  let settings: LoadSettings;
  try {
    settings = parseLoadArgs(argv);
  } catch (error) {
    if (!(error instanceof LoadUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const started = performance.now();
  const progress = (what: string) =>
    process.stderr.write(`[load ${((performance.now() - started) / 1000).toFixed(0)} s] ${what}\n`);
  progress(
    `${settings.members} members, ${settings.clients} clients, ${settings.seconds} s, ${settings.shared} shared`,
  );
  const issuerKey = await generateIssuerKey();
  // The handlers reach moto through the counting proxy, so the report can say how many emulator
  // calls a request costs; the baseline and the read-back go to moto directly.
  const moto = await startMoto();
  const proxy = await startCountingProxy(moto.endpoint).catch(async (error: unknown) => {
    await moto.stop();
    throw error;
  });
  const emulator: Emulator = {
    endpoint: proxy.url,
    owned: true,
    stop: () => proxy.close().finally(() => moto.stop()),
  };
  const stack = await startLocalStack({ profile: PROFILE, issuerKey, port: 0, emulator, log: () => {} });
  try {
    const results = await runLoad(stack, issuerKey, settings, {
      progress,
      emulatorEndpoint: moto.endpoint,
      takeCalls: () => proxy.take(),
    });
    report(results);
    writeLoadResults(results);
    return results.problems.length === 0 && Object.keys(results.verdicts).every((v) => isAccepted(v)) ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

const isAccepted = (v: string) => ACCEPTED_VERDICTS.has(v as Verdict);

/** The local stack the load runs against. */
type Stack = Pick<LocalStack, 'emulator' | 'front'>;

/** How to run the load beyond its settings. */
export interface RunOptions {
  readonly progress?: (what: string) => void;
  /** @default 3 s before the mix and 3 s after; a smoke test shortens it */
  readonly bareSeconds?: number;
  /** moto itself, when the stack's handlers reach it through a proxy. @default the stack's emulator */
  readonly emulatorEndpoint?: string;
  /** The calls a counting proxy between the handlers and moto saw since the last take. */
  readonly takeCalls?: () => CallCounts;
}

/**
 * Runs the load against a local stack started with `issuerKey` (the profile {@link PROFILE}) and
 * checks every member afterwards.
 */
export async function runLoad(
  stack: Stack,
  issuerKey: IssuerKey,
  settings: LoadSettings,
  options: RunOptions = {},
): Promise<LoadResults> {
  const progress = options.progress ?? (() => {});
  const bareSeconds = options.bareSeconds ?? BARE_SECONDS;
  const motoEndpoint = options.emulatorEndpoint ?? stack.emulator.endpoint;
  const base = `http://127.0.0.1:${stack.front.port}`;
  const ids = Array.from({ length: settings.members }, (_, i) => `load-${i}`);
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (member: string) => {
    let token = tokens.get(member);
    if (!token) {
      token = signIdToken(issuerKey, stack.front.issuer, member, { method: 'apple' });
      tokens.set(member, token);
    }
    return token;
  };
  const journal: JournalEntry[] = [];
  let sequence = 0;

  /** One request, journalled with what the client was told. */
  const send = async (
    client: number,
    member: string,
    op: LoadOp,
    method: string,
    path: string,
    body?: unknown,
    extra: Partial<JournalEntry> = {},
  ): Promise<JournalEntry> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(member)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (op !== 'view' && op !== 'export') headers['idempotency-key'] = `load-${client}-${++sequence}`;
    const start = Date.now();
    let status = 0;
    let json: Record<string, unknown> | undefined;
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      const text = await response.text();
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
    } catch {
      status = 0;
    }
    const end = Date.now();
    const type = typeof json?.type === 'string' ? json.type : undefined;
    const entry: JournalEntry = {
      client,
      member,
      op,
      start,
      end,
      status,
      ...(status >= 400 && type ? { problem: type.split(':').at(-1)! } : {}),
      ...extra,
      ...(op === 'consent' && status === 200 ? { at: String(json?.at) } : {}),
      ...(op === 'withdrawal' && status === 200
        ? { receiptId: String((json?.receipt as { receiptId?: unknown } | undefined)?.receiptId) }
        : {}),
    };
    journal.push(entry);
    return entry;
  };

  // 1. The members join, each client its share.
  progress(`joining ${settings.members} members`);
  const joinStarted = Date.now();
  let nextJoin = 0;
  const joined = new Set<string>();
  await workers(settings.clients, async (client) => {
    const i = nextJoin++;
    if (i >= ids.length) return false;
    const e = await send(client, ids[i]!, 'join', 'POST', '/v1/members', {
      items: { userName: `Member ${i}`, email: `load-${i}@example.com` },
      consents: JOIN_CONSENTS,
      ageAffirmation: true,
      policyVersion: '1.0',
    });
    if (e.status === 201) joined.add(e.member);
    return true;
  });
  const joinSeconds = (Date.now() - joinStarted) / 1000;

  // 2. The emulator's bare rate: GetItem of one profile, from as many loops as clients, before the
  // mix and again after it (the machine's load drifts; their mean is the baseline).
  const dynamodb = new DynamoDBClient(clientConfig(motoEndpoint));
  const bareRate = async () => {
    progress(`moto's bare GetItem rate, ${settings.clients} loops for ${bareSeconds} s`);
    let calls = 0;
    const bareStarted = Date.now();
    const bareUntil = bareStarted + bareSeconds * 1000;
    await workers(settings.clients, async () => {
      if (Date.now() >= bareUntil) return false;
      await dynamodb.send(
        new GetItemCommand({
          TableName: physicalNames.table(PROFILE, 'members'),
          Key: { pk: { S: memberPk(ids[0]!) }, sk: { S: PROFILE_SK } },
        }),
      );
      calls++;
      return true;
    });
    return calls / ((Date.now() - bareStarted) / 1000);
  };
  const bareBefore = await bareRate();

  // 3. The mix, for the fixed time.
  const sharedIds = ids.slice(0, settings.shared).filter((m) => joined.has(m));
  const owned = Array.from({ length: settings.clients }, (_, client) =>
    ids.slice(settings.shared).filter((m, i) => i % settings.clients === client && joined.has(m)),
  );
  const withdrawing = new Set<string>();
  const pickers = Array.from({ length: settings.clients }, (_, client) =>
    seededRandom(settings.seed * 7919 + client),
  );
  progress(`the mix from ${settings.clients} clients for ${settings.seconds} s`);
  options.takeCalls?.();
  const loadStarted = Date.now();
  const loadUntil = loadStarted + settings.seconds * 1000;
  let correction = 0;
  await workers(settings.clients, async (client) => {
    if (Date.now() >= loadUntil) return false;
    const next = pickers[client]!;
    const mine = owned[client]!.filter((m) => !withdrawing.has(m));
    const shared = sharedIds.filter((m) => !withdrawing.has(m));
    const pool = shared.length > 0 && (mine.length === 0 || next() < SHARED_PICK) ? shared : mine;
    if (pool.length === 0) return false;
    const member = pool[Math.floor(next() * pool.length)]!;
    const op = pickOp(next());
    switch (op) {
      case 'view':
        await send(client, member, op, 'GET', '/v1/me');
        break;
      case 'export':
        await send(client, member, op, 'GET', '/v1/me/export');
        break;
      case 'consent': {
        const purpose = PURPOSES[Math.floor(next() * PURPOSES.length)]!;
        const granted = next() < 0.5;
        await send(
          client,
          member,
          op,
          'PUT',
          `/v1/me/consents/${purpose}`,
          { granted },
          { purpose, granted },
        );
        break;
      }
      case 'correction': {
        const value = `Name ${client}-${++correction}`;
        await send(client, member, op, 'PATCH', '/v1/me', { items: { userName: value } }, { value });
        break;
      }
      case 'withdrawal': {
        withdrawing.add(member);
        const e = await send(client, member, op, 'DELETE', '/v1/me');
        // Refused (e.g. a lost race): the member stays, and may be picked again.
        if (e.status === 409) withdrawing.delete(member);
        break;
      }
    }
    return true;
  });
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  const mixCalls = options.takeCalls?.();
  const bareAfter = await bareRate();
  const bareGetItemPerSecond = (bareBefore + bareAfter) / 2;

  // 4. Every member's state: the tables first (the API's own reads add ledger records), then the API.
  progress('reading every member back');
  const { observed, tableItems } = await observe(motoEndpoint, [...joined]);
  let nextView = 0;
  // Through the API, those the mix reached (GET /v1/me shows the userName, sealed in the table);
  // the others' state is their join's, which the tables show.
  const reached = new Set(journal.filter((e) => e.op !== 'join').map((e) => e.member));
  const members = [...joined].filter((m) => reached.has(m));
  await workers(settings.clients, async () => {
    const i = nextView++;
    if (i >= members.length) return false;
    const member = members[i]!;
    const response = await fetch(`${base}/v1/me`, {
      headers: { authorization: `Bearer ${await tokenOf(member)}` },
    });
    const body = (await response.json().catch(() => undefined)) as
      | { items?: { id: string; value?: unknown }[] }
      | undefined;
    const o = observed.get(member)!;
    const userName = body?.items?.find((item) => item.id === 'userName')?.value;
    observed.set(member, {
      ...o,
      viewStatus: response.status,
      ...(typeof userName === 'string' ? { userName } : {}),
    });
    return true;
  });

  // 5. The verdicts and the checks.
  const loadEntries = journal.filter((e) => e.op !== 'join');
  const verdicts = classify(journal);
  const verdictCounts: Record<string, number> = {};
  const races = { shared: 0, owned: 0 };
  /** The refused operation and the problem it was answered with, per true race. */
  const raceKinds: Record<string, number> = {};
  const sharedSet = new Set(sharedIds);
  verdicts.forEach((v, i) => {
    verdictCounts[v] = (verdictCounts[v] ?? 0) + 1;
    if (v !== 'raced') return;
    const e = journal[i]!;
    races[sharedSet.has(e.member) ? 'shared' : 'owned']++;
    const kind = `${e.op} ${e.problem ?? '409'}`;
    raceKinds[kind] = (raceKinds[kind] ?? 0) + 1;
  });
  const problems: string[] = [];
  for (const [i, v] of verdicts.entries()) {
    if (isAccepted(v)) continue;
    const e = journal[i]!;
    problems.push(`${e.op} of ${e.member}: ${v} (${e.status}${e.problem ? ` ${e.problem}` : ''})`);
  }
  const groups = byMember(journal);
  const joinState = (member: string): JoinState => ({
    consents: JOIN_CONSENTS,
    userName: `Member ${ids.indexOf(member)}`,
  });
  for (const member of joined) {
    for (const p of checkMember(groups.get(member) ?? [], joinState(member), observed.get(member)!))
      problems.push(`${member}: ${p}`);
  }
  const arrivals = journal.map((e) => e.start);
  const requestsPerSecond = loadEntries.length / loadSeconds;
  return {
    date: new Date().toISOString().slice(0, 10),
    settings,
    joinSeconds,
    loadSeconds,
    bareGetItemPerSecond,
    bareGetItemPerSecondBeforeAfter: [bareBefore, bareAfter],
    requestsPerSecond,
    ratioToBare: requestsPerSecond / bareGetItemPerSecond,
    ...(mixCalls ? { mixCalls: callSummary(mixCalls, loadEntries.length, loadSeconds) } : {}),
    routes: LOAD_OPS.map((op) => routeStats(journal, op, op === 'join' ? joinSeconds : loadSeconds)),
    verdicts: verdictCounts,
    races,
    raceKinds,
    tableItems,
    membersChecked: joined.size,
    membersReadThroughApi: members.length,
    membersWithdrawn: [...joined].filter((m) => observed.get(m)?.profileStatus === undefined).length,
    problems,
    limits: {
      stageRatePerSecond: API_DEFAULTS.throttlingRateLimit,
      stageBurst: API_DEFAULTS.throttlingBurstLimit,
      wouldBeThrottled: throttledRequests(
        arrivals,
        API_DEFAULTS.throttlingRateLimit,
        API_DEFAULTS.throttlingBurstLimit,
      ),
      firewallPerIpPer5Minutes: API_DEFAULTS.requestsPerIpPer5Minutes,
      busiest5Minutes: busiestWindow(arrivals, FIREWALL_WINDOW_MS),
      localFrontEnforces: 'none: the local front has no stage throttle and no firewall',
    },
  };
}

function callSummary(
  counts: CallCounts,
  requests: number,
  seconds: number,
): NonNullable<LoadResults['mixCalls']> {
  const total = Object.values(counts.calls).reduce((n, c) => n + c, 0);
  return {
    total,
    perRequest: total / Math.max(1, requests),
    perSecond: total / seconds,
    byOperation: Object.fromEntries(Object.entries(counts.calls).sort(([, a], [, b]) => b - a)),
  };
}

/** Every item of a table, as plain objects. */
async function scan(doc: DynamoDBDocumentClient, table: TableName): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: physicalNames.table(PROFILE, table), ExclusiveStartKey: startKey }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** What the tables hold of each member (GET /v1/me's answer is filled in afterwards). */
async function observe(
  endpoint: string,
  members: readonly string[],
): Promise<{ observed: Map<string, ObservedMember>; tableItems: Record<string, number> }> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(endpoint)));
  const [memberItems, requests, vault, outbox] = await Promise.all([
    scan(doc, 'members'),
    scan(doc, 'requests'),
    scan(doc, 'vault'),
    scan(doc, 'outbox'),
  ]);
  const observed = new Map<string, ObservedMember>();
  for (const member of members) {
    const pk = memberPk(member);
    const partition = memberItems.filter((i) => i.pk === pk);
    const profile = partition.find((i) => i.sk === PROFILE_SK) as
      | { status?: string; consents?: Record<string, { granted: boolean; at: string }> }
      | undefined;
    const history: Decision[] = partition
      .filter((i) => String(i.sk).startsWith(MEMBER_ITEM_PREFIX.consentEvent) && i.event === 'change')
      .map((i) => ({ purpose: String(i.purpose), granted: i.granted === true, at: String(i.at) }));
    const ledger: Record<string, { completed: number; other: number }> = {};
    const mine = requests.filter((r) => r.memberId === member);
    // A withdrawal opens a second record, the erasure in the operator's silos, open until they answer.
    const siloErasures = mine
      .filter((r) => r.silos !== undefined && r.receiptId !== undefined)
      .map((r) => String(r.receiptId));
    for (const r of mine.filter((r) => r.silos === undefined)) {
      const counts = ledger[String(r.type)] ?? { completed: 0, other: 0 };
      ledger[String(r.type)] = counts;
      if (r.status === 'completed') counts.completed++;
      else counts.other++;
    }
    observed.set(member, {
      ...(profile ? { profileStatus: profile.status ?? 'active' } : {}),
      partitionItems: partition.length,
      consents: profile?.consents ?? {},
      consentHistory: history,
      consentEvents: [],
      withdrawnEvents: 0,
      receiptIds: vault
        .filter((v) => v.memberId === member && (v.signed as { receipt?: unknown } | undefined)?.receipt)
        .map((v) => String((v.signed as { receipt: { receiptId: string } }).receipt.receiptId)),
      siloErasures,
      ledger,
    });
  }
  for (const item of outbox) {
    const detail = JSON.parse(String(item.detail)) as {
      memberId: string;
      purpose?: string;
      granted?: boolean;
      occurredAt: string;
    };
    const o = observed.get(detail.memberId);
    if (!o) continue;
    if (item.detailType === 'ConsentChanged')
      observed.set(detail.memberId, {
        ...o,
        consentEvents: [
          ...o.consentEvents,
          { purpose: String(detail.purpose), granted: detail.granted === true, at: detail.occurredAt },
        ],
      });
    else if (item.detailType === 'MemberWithdrawn')
      observed.set(detail.memberId, { ...o, withdrawnEvents: o.withdrawnEvents + 1 });
  }
  const tableItems = {
    members: memberItems.length,
    requests: requests.length,
    vault: vault.length,
    outbox: outbox.length,
  };
  return { observed, tableItems };
}

const ms = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(0)} ms`);

function report(r: LoadResults): void {
  const s = r.settings;
  table(
    `Load held (${s.members} members joined in ${r.joinSeconds.toFixed(0)} s, then ${s.clients} clients for ${r.loadSeconds.toFixed(0)} s; ${s.shared} members shared by every client)`,
    ['operation', 'requests', 'per second', 'p50', 'p95', 'p99', 'answers'],
    r.routes.map((x) => [
      x.op,
      x.requests,
      x.perSecond.toFixed(1),
      ms(x.p50Ms),
      ms(x.p95Ms),
      ms(x.p99Ms),
      Object.entries(x.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(' '),
    ]),
  );
  const l = r.limits;
  console.log(
    `\nThroughput ${r.requestsPerSecond.toFixed(1)} requests/s after the joins; moto's bare GetItem ${r.bareGetItemPerSecond.toFixed(0)}/s in the same run (${r.bareGetItemPerSecondBeforeAfter.map((v) => v.toFixed(0)).join(' before, ')} after): ratio ${r.ratioToBare.toFixed(3)}.`,
  );
  console.log(
    `Tables after the mix: ${Object.entries(r.tableItems)
      .map(([t, n]) => `${t} ${n} items`)
      .join(', ')} (moto goes through every item of a table to answer a Query of one partition).`,
  );
  if (r.mixCalls)
    console.log(
      `Emulator calls during the mix: ${r.mixCalls.total} (${r.mixCalls.perRequest.toFixed(1)} per request, ${r.mixCalls.perSecond.toFixed(0)}/s): ${Object.entries(
        r.mixCalls.byOperation,
      )
        .slice(0, 8)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}.`,
    );
  console.log(
    `Answers: ${Object.entries(r.verdicts)
      .map(([v, n]) => `${v} ${n}`)
      .join(', ')}; 409s of true races: ${r.races.shared} on shared members, ${r.races.owned} on owned ones${
      Object.keys(r.raceKinds).length > 0
        ? ` (${Object.entries(r.raceKinds)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ')})`
        : ''
    }.`,
  );
  console.log(
    `Every member read back (${r.membersChecked} from the tables, the ${r.membersReadThroughApi} the mix reached through the API too; ${r.membersWithdrawn} withdrawn): ${r.problems.length === 0 ? 'no lost or duplicated effect, no unexplained answer' : `${r.problems.length} problems`}.`,
  );
  for (const p of r.problems.slice(0, 20)) console.log(`- ${p}`);
  console.log(
    `Limits: the local front enforces none. Deployed, the stage throttle (${l.stageRatePerSecond}/s, burst ${l.stageBurst}) would have refused ${l.wouldBeThrottled} of these requests, and the firewall's per-IP rule (${l.firewallPerIpPer5Minutes} per 5 minutes; all of this load comes from one address) saw ${l.busiest5Minutes} in the busiest 5 minutes${l.busiest5Minutes > l.firewallPerIpPer5Minutes ? ': it would have blocked the rest' : ''}.`,
  );
}
