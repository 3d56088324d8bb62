/**
 * A million members on paper, by simulation (docs/scale.md): synthetic days of a million-member
 * stack are written through the real key builders and bucket rules, and every write is counted
 * per partition key and per second, on the members table and on its `inactivity` index, with the
 * day buckets sharded (as shipped) and unsharded (as before). Pure and seeded: no emulator, the
 * same figures on every machine, a few seconds of CPU.
 */

import { importedBucket } from '../lambdas/features/import/rules';
import { activeBucket, destroyDueAt } from '../lambdas/features/inactivity/rules';
import { seoulDay } from '../model/calendar';
import { INACTIVITY_SHARDS, inactivityBucket, membersTable } from '../model/members-table';
import { importJob, queues } from '../model/workloads';
import { loadCatalogue } from '../policy/catalogue';
import type { Catalogue } from '../policy/schema';
import { seededRandom } from '../test/support/seeded-random';

/** What one DynamoDB partition takes per second (DynamoDB developer guide, partitions). */
export const PARTITION_WRITES_PER_SECOND = 1_000;
/**
 * The KMS quota "Cryptographic operations (symmetric) request rate" assumed in Seoul: the default
 * of regions outside the listed larger ones, shared by every key and caller of the account in the
 * Region, adjustable in Service Quotas. GenerateDataKey, Decrypt and GenerateMac all count.
 */
export const KMS_SYMMETRIC_QUOTA = 10_000;
/** Members in the simulated stack. */
export const MEMBERS = 1_000_000;
/** The profile simulated: the larger catalogue. */
export const MILLION_PROFILE = 'littleone';
/** The seed of every synthetic day, so the figures (and the test asserting them) never move. */
export const MILLION_SEED = 20_261_201;

/** The hottest partition key of one target: its writes in its busiest second. */
export interface Hottest {
  readonly key: string;
  readonly second: number;
  readonly writes: number;
}

/**
 * Counts writes per partition key per second. Writes must come in time order (each scenario
 * generates them so), so only the current second's counts are held.
 */
class PartitionCounter {
  private second = -1;
  private current = new Map<string, number>();
  private readonly perDay = new Map<string, number>();
  hottest: Hottest = { key: '—', second: 0, writes: 0 };
  total = 0;

  add(key: string, at: number, writes = 1): void {
    const second = Math.floor(at);
    if (second < this.second) throw new Error('writes out of time order');
    if (second !== this.second) {
      this.second = second;
      this.current = new Map();
    }
    const n = (this.current.get(key) ?? 0) + writes;
    this.current.set(key, n);
    if (n > this.hottest.writes) this.hottest = { key, second, writes: n };
    this.perDay.set(key, (this.perDay.get(key) ?? 0) + writes);
    this.total += writes;
  }

  /** Writes to `key` during the day. */
  writesTo(key: string): number {
    return this.perDay.get(key) ?? 0;
  }

  /** Partition keys written during the day. */
  get keys(): number {
    return this.perDay.size;
  }
}

/** What one simulated day wrote. */
export interface DayResult {
  readonly scenario: string;
  readonly description: string;
  /** Members the day's main event concerns (imported, signed in, noticed). */
  readonly members: number;
  /** Seconds from the first write to the last. */
  readonly seconds: number;
  /** The members table (base): hottest partition key, by item writes. */
  readonly base: Hottest;
  /** The `inactivity` index with each day's bucket one key (before the shards). */
  readonly indexUnsharded: Hottest & { readonly keys: number };
  /** The `inactivity` index as shipped: `<day>#<shard>`. */
  readonly indexSharded: Hottest & { readonly keys: number };
  /** KMS symmetric requests per second at the day's peak, and the share of the assumed quota. */
  readonly kmsPerSecond: number;
  readonly kmsShareOfQuota: number;
  /** Index writes to the bucket of the day's own date (an import: the members already due). */
  readonly todaysBucket: number;
}

/** One index write: a new key, and the key it left (a changed key is a delete and a put). */
interface IndexMove {
  readonly memberId: string;
  readonly day: string;
  readonly fromDay?: string;
}

/** The counters of one day. */
class Day {
  baseHottest: Hottest = { key: '—', second: 0, writes: 0 };
  readonly unsharded = new PartitionCounter();
  readonly sharded = new PartitionCounter();
  kmsPeak = 0;
  private kmsSecond = -1;
  private kmsNow = 0;
  first = Number.POSITIVE_INFINITY;
  last = 0;

  /**
   * Writes `keys` of the members table at `at` (one item each), and the index move. Every
   * base-table key a member's write names is the member's own (`M#`, `I#`) or one of its
   * identifiers' (`L#` by MAC), so a base partition's writes in a second are those of one
   * write: they are tallied per write, which spares a map of millions of keys.
   */
  write(keys: readonly string[], at: number, index?: IndexMove): void {
    this.first = Math.min(this.first, at);
    this.last = Math.max(this.last, at);
    for (let i = 0; i < keys.length; i++) {
      let writes = 0;
      for (let j = i; j < keys.length; j++) if (keys[j] === keys[i]) writes++;
      if (writes > this.baseHottest.writes) {
        this.baseHottest = { key: keys[i]!, second: Math.floor(at), writes };
      }
    }
    if (!index) return;
    this.unsharded.add(index.day, at);
    this.sharded.add(inactivityBucket(index.day, index.memberId), at);
    if (index.fromDay !== undefined && index.fromDay !== index.day) {
      this.unsharded.add(index.fromDay, at);
      this.sharded.add(inactivityBucket(index.fromDay, index.memberId), at);
    }
  }

  kms(at: number, calls: number): void {
    const second = Math.floor(at);
    if (second !== this.kmsSecond) {
      this.kmsSecond = second;
      this.kmsNow = 0;
    }
    this.kmsNow += calls;
    this.kmsPeak = Math.max(this.kmsPeak, this.kmsNow);
  }

  result(scenario: string, description: string, members: number): DayResult {
    return {
      scenario,
      description,
      members,
      seconds: Math.round(this.last - this.first) + 1,
      base: this.baseHottest,
      indexUnsharded: { ...this.unsharded.hottest, keys: this.unsharded.keys },
      indexSharded: { ...this.sharded.hottest, keys: this.sharded.keys },
      kmsPerSecond: this.kmsPeak,
      kmsShareOfQuota: this.kmsPeak / KMS_SYMMETRIC_QUOTA,
      todaysBucket: this.unsharded.writesTo(seoulDay(DAY_START)),
    };
  }
}

const DAY_MS = 86_400_000;
/** The simulated day: it starts at 00:00 Seoul. */
const DAY_START = new Date('2027-03-01T00:00:00+09:00');

/** A synthetic member id, shaped as the sign-in subjects are. */
const memberIdOf = (i: number) => `member-${String(i).padStart(7, '0')}`;

/** The catalogue's lookup items (a MAC each at join and import) and its purposes (a consent event each). */
function shapeOf(c: Catalogue) {
  const lookups = Object.entries(c.items)
    .filter(([, item]) => item.lookup)
    .map(([id]) => id);
  return { lookups, purposes: Object.keys(c.purposes) };
}

/**
 * When an exported member last signed in, days before the import: an operator's export of a
 * service a few years old holds a recent core and a long tail of dormant accounts. 35% within
 * a month, 20% within a year, 45% earlier (up to five years).
 */
function lastSignInDaysAgo(next: () => number): number {
  const r = next();
  if (r < 0.35) return next() * 30;
  if (r < 0.55) return 30 + next() * 335;
  return 365 + next() * 1460;
}

/**
 * A rule of the Seoul calendar, computed once per whole day: the catalogue's periods are whole
 * days, months and years, so an instant's bucket depends on its Seoul day only (the simulated
 * day starts at 00:00 Seoul, so `DAY_START - k days + a time of day` is Seoul day k days back).
 */
function perDay<T>(compute: (instant: Date) => T): (daysAgo: number) => T {
  const cache = new Map<number, T>();
  return (daysAgo) => {
    const k = Math.ceil(daysAgo);
    let value = cache.get(k);
    if (value === undefined) {
      value = compute(new Date(DAY_START.getTime() - k * DAY_MS + DAY_MS / 2));
      cache.set(k, value);
    }
    return value;
  };
}

/** KMS symmetric calls of one imported member: a MAC per lookup item and a new data key. */
export function kmsPerImportedMember(c: Catalogue): number {
  return shapeOf(c).lookups.length + 1;
}

/**
 * An import of `members`, `rate` members started per second in all (the job's pacer spaces them
 * evenly; parallel invocations over split objects add up), each written as `importMember` writes
 * it: the profile with its bucket, the consent history, the lookups, the marker.
 */
export function simulateImport(
  c: Catalogue,
  members: number,
  rate: number,
  scenario: string,
  description: string,
): DayResult {
  const next = seededRandom(MILLION_SEED);
  const { lookups, purposes } = shapeOf(c);
  const kms = kmsPerImportedMember(c);
  const day = new Day();
  const now = DAY_START;
  const bucketOf = perDay((lastSignIn) => importedBucket(c, lastSignIn, now));
  const joinedAt = now.toISOString();
  for (let i = 0; i < members; i++) {
    const at = i / rate;
    const memberId = memberIdOf(i);
    const bucketDay = bucketOf(lastSignInDaysAgo(next));
    const keys = [
      membersTable.profile(memberId).pk,
      ...purposes.map((p) => membersTable.consentEvent(memberId, joinedAt, p).pk),
      ...lookups.map((id) => membersTable.lookup(id, `${memberId}-${id}`).pk),
      membersTable.imported(memberId).pk,
    ];
    day.write(keys, at, { memberId, day: bucketDay });
    day.kms(at, kms);
  }
  return day.result(scenario, description, members);
}

/**
 * Share of a day's sign-ins in each Seoul hour (00–23): quiet nights, a lunch rise and an
 * evening peak, as a parenting app sees them.
 */
const HOURLY = [2, 1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 4, 4, 4, 4.5, 5, 4.5, 4, 4, 4.5, 5, 5.5, 6.5, 7.5, 8, 7, 4];

/**
 * A normal day of a million members: `share` of them sign in (the first sign-in of the day moves
 * the member from the bucket of their previous sign-in to today's), with `burst` of the day's
 * sign-ins in the five minutes after an evening push notification.
 */
export function simulateSignIns(c: Catalogue, share: number, burst: number): DayResult {
  const next = seededRandom(MILLION_SEED + 1);
  const count = Math.round(MEMBERS * share);
  const weights = HOURLY.map((w) => w / HOURLY.reduce((a, b) => a + b, 0));
  const cumulative = weights.map((_, h) => weights.slice(0, h + 1).reduce((a, b) => a + b, 0));
  const events: { at: number; member: number; previousDaysAgo: number }[] = [];
  for (let i = 0; i < count; i++) {
    const member = Math.floor(next() * MEMBERS);
    let at: number;
    if (next() < burst) {
      at = 20 * 3_600 + next() * 300;
    } else {
      const r = next();
      const hour = cumulative.findIndex((cum) => r < cum);
      at = (hour < 0 ? 23 : hour) * 3_600 + next() * 3_600;
    }
    events.push({ at, member, previousDaysAgo: 1 + Math.floor(next() * 330) });
  }
  events.sort((a, b) => a.at - b.at);
  const day = new Day();
  // Every sign-in is today, and a previous one `k` days back is day -k.
  const bucketOf = perDay((signedIn) => activeBucket(c.inactivity, signedIn));
  const today = bucketOf(0);
  for (const e of events) {
    const memberId = memberIdOf(e.member);
    day.write([membersTable.profile(memberId).pk], e.at, {
      memberId,
      day: today,
      fromDay: bucketOf(Math.floor(e.previousDaysAgo)),
    });
  }
  return day.result(
    'normal day: sign-ins',
    `${(share * 100).toFixed(0)}% of ${MEMBERS.toLocaleString('en')} sign in, ${(burst * 100).toFixed(0)}% of them in 5 minutes after a push`,
    count,
  );
}

/**
 * The inactivity night after an import: every member imported into today's bucket is noticed at
 * the worker's configured sending rate; each notice claims (today's bucket) and records (the
 * bucket of the destruction day), as the engine's transitions write them.
 */
export function simulateNoticeNight(c: Catalogue, candidates: number): DayResult {
  const rate = queues.inactivity.sendsPerSecond;
  const day = new Day();
  const night = new Date(DAY_START.getTime() + DAY_MS + 3 * 3_600_000);
  const importDay = seoulDay(DAY_START);
  const today = seoulDay(night);
  const next = seededRandom(MILLION_SEED + 2);
  // Destruction is due the minimum notice after the attempt (their full period has passed), by
  // the engine's own arithmetic; computed per last sign-in day and hour of the night.
  const destroyDays = new Map<string, string>();
  for (let i = 0; i < candidates; i++) {
    const at = i / rate;
    const memberId = memberIdOf(i);
    const k = 365 + Math.floor(next() * 1460);
    const hour = Math.floor(at / 3_600);
    const cacheKey = `${k}|${hour}`;
    let destroyDay = destroyDays.get(cacheKey);
    if (destroyDay === undefined) {
      const lastSignIn = new Date(DAY_START.getTime() - k * DAY_MS + DAY_MS / 2);
      const attemptAt = new Date(night.getTime() + hour * 3_600_000);
      destroyDay = seoulDay(destroyDueAt(c.inactivity, lastSignIn, attemptAt));
      destroyDays.set(cacheKey, destroyDay);
    }
    const pk = membersTable.profile(memberId).pk;
    day.write([pk], at, { memberId, day: today, fromDay: importDay });
    day.write([pk], at + 0.5 / rate, { memberId, day: destroyDay, fromDay: today });
  }
  return day.result(
    'inactivity night after the import',
    `the overdue imported members noticed at ${rate}/s (the worker's configured rate)`,
    candidates,
  );
}

/** Every simulated day, as `npm run bench` reports them. */
export function simulateMillion(): DayResult[] {
  const c = loadCatalogue(MILLION_PROFILE);
  const kmsRate = Math.floor(KMS_SYMMETRIC_QUOTA / kmsPerImportedMember(c));
  const configured = simulateImport(
    c,
    MEMBERS,
    importJob.ratePerSecond,
    'import at the configured rate',
    `${MEMBERS.toLocaleString('en')} members at ${importJob.ratePerSecond}/s (one invocation at a time)`,
  );
  // The members the import put in its own day's bucket: their notice fell due by the import.
  const overdue = configured.todaysBucket;
  return [
    configured,
    simulateImport(
      c,
      MEMBERS,
      kmsRate,
      'import at the KMS quota',
      `${MEMBERS.toLocaleString('en')} members at ${kmsRate.toLocaleString('en')}/s: parallel invocations using the whole assumed KMS quota`,
    ),
    simulateSignIns(c, 0.3, 0.1),
    simulateNoticeNight(c, overdue),
  ];
}

/** Prints the simulated days as one table, through the bench's table printer. */
export function millionTable(
  days: readonly DayResult[],
  table: (title: string, head: string[], rows: (string | number)[][]) => void,
): void {
  const n = (value: number) => value.toLocaleString('en');
  const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
  table(
    `A million members, simulated (seeded, pure; writes per partition key per second; limit ${n(PARTITION_WRITES_PER_SECOND)}; KMS quota assumed ${n(KMS_SYMMETRIC_QUOTA)}/s; ${INACTIVITY_SHARDS} shards per day)`,
    [
      'day',
      'members',
      'seconds',
      'table: hottest partition',
      'index, one key a day: hottest',
      'index, sharded: hottest',
      'index keys written',
      'KMS/s (share of quota)',
    ],
    days.map((d) => [
      `${d.scenario}: ${d.description}`,
      n(d.members),
      n(d.seconds),
      n(d.base.writes),
      `${n(d.indexUnsharded.writes)} (${pct(d.indexUnsharded.writes / PARTITION_WRITES_PER_SECOND)})`,
      `${n(d.indexSharded.writes)} (${pct(d.indexSharded.writes / PARTITION_WRITES_PER_SECOND)})`,
      `${n(d.indexUnsharded.keys)} → ${n(d.indexSharded.keys)}`,
      `${n(d.kmsPerSecond)} (${pct(d.kmsShareOfQuota)})`,
    ]),
  );
}
