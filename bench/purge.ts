/**
 * Purge scaling: a population of N records of which 1% are due, one run of a purge job, and what
 * it cost — items read to find what is due (from the wire), wall time, and records purged per
 * second against the rate at which the same emulator deletes bare items with the same
 * concurrency, measured in the same run. Each job is a {@link PurgeTarget}: the vault retention
 * sweep, and the inactivity purge (the job finds members due for destruction, its worker
 * destroys each one through withdrawal).
 */

import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { activeBucket, destroyDueAt, type InactivityState } from '../lambdas/features/inactivity/rules';
import { join } from '../lambdas/features/members/join';
import { SWEEP_LOOKBACK_DAYS } from '../lambdas/features/vault/sweeper';
import { clientConfig, physicalNames } from '../local/bootstrap';
import { drainQueue } from '../local/queue-worker';
import { epochSeconds, seoulDay, shiftInSeoul } from '../model/calendar';
import { inactivityBucket, membersTable } from '../model/members-table';
import { type QueueName, type TableName, tables } from '../model/resources';
import { type JobDefinition, type JobName, jobs, queues } from '../model/workloads';
import { loadCatalogue, type ProfileName } from '../policy/catalogue';
import type { SignInMethod } from '../policy/schema';
import type { BenchStack } from './stack';

/** What seeding left for the measurement. */
export interface Seeded {
  /** The physical table the baseline deletes from. */
  readonly table: string;
  /** Keys of records that are not due: the bare-delete baseline deletes some of them. */
  readonly keep: readonly Record<string, unknown>[];
  /** Counts the candidates the run purged. */
  purged(jobCounts: Readonly<Record<string, number>>): Promise<number>;
}

/** What a target's seeding may use. */
export interface SeedContext {
  readonly stack: BenchStack;
  /** A document client straight to the emulator: seeding is not measured. */
  readonly direct: DynamoDBDocumentClient;
}

/** A purge job as the bench drives it. */
export interface PurgeTarget {
  /** Shown in the table, e.g. `retention (vault)`. */
  readonly name: string;
  /** The job of the resource model that finds (and, without a worker, purges) what is due. */
  readonly job: JobName;
  /** Tables dropped and recreated before each size. */
  readonly tables: readonly TableName[];
  /** Deletes in flight at once in the purge; the bare-delete baseline matches it. */
  readonly concurrency: number;
  /**
   * The largest population the bench purges; above it, a run only finds and queues what is due
   * (the budgeted figure) and purges nothing, with the reason in {@link PurgeTarget.notPurgedAbove}.
   * @default - every size is purged
   */
  readonly purgesUpTo?: number;
  /** Why larger populations are not purged. */
  readonly notPurgedAbove?: string;
  /**
   * Writes `records` records of which `candidates` are due at `now`. When `purge` is false the run
   * only finds the candidates, so they need only be found, not purgeable.
   */
  seed(ctx: SeedContext, records: number, candidates: number, now: Date, purge: boolean): Promise<Seeded>;
}

const DAY_MS = 86_400_000;
const SEED_BATCH = 25;
const SEED_CONCURRENCY = 8;

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** Writes items straight to the emulator in batches. */
async function writeAll(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += SEED_BATCH) batches.push(items.slice(i, i + SEED_BATCH));
  await inParallel(batches, SEED_CONCURRENCY, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

/** Whether record `i` of `records` is one of the `candidates` due, spread evenly. */
function isCandidate(i: number, records: number, candidates: number): boolean {
  const step = records / candidates;
  return Math.floor(i % step) === 0 && i / step < candidates;
}

/** Vault records (job `retention`): due ones expired within the sweep's look-back, others years away. */
const vaultRetention: PurgeTarget = {
  name: 'retention (vault)',
  job: 'retention',
  tables: ['vault'],
  // The sweeper's delete concurrency.
  concurrency: 16,
  async seed({ stack, direct }, records, candidates, now) {
    const table = physicalNames.table(stack.profile, 'vault');
    const items = Array.from({ length: records }, (_, i) => {
      const due = isCandidate(i, records, candidates);
      // Due records spread over the look-back days; the others over ten years of future days.
      const expires = due
        ? new Date(now.getTime() - (i % SWEEP_LOOKBACK_DAYS) * DAY_MS - 60_000)
        : new Date(now.getTime() + (1 + (i % 3650)) * DAY_MS);
      const memberId = `bench-${String(i).padStart(7, '0')}`;
      return {
        due,
        item: {
          pk: `V#${memberId}`,
          sk: 'contract-records#withdrawal',
          memberId,
          retentionClass: 'contract-records',
          // A sealed payload of realistic size (the real one is AES-GCM ciphertext in base64).
          payload: 'x'.repeat(400),
          wrappedKey: 'k'.repeat(250),
          createdAt: now.toISOString(),
          [tables.vault.ttlAttribute]: epochSeconds(expires),
          [tables.vault.indexes[0].partitionKey.name]: seoulDay(expires),
        },
      };
    });
    await writeAll(
      direct,
      table,
      items.map((r) => r.item),
    );
    return {
      table,
      keep: items.filter((r) => !r.due).map(({ item }) => ({ pk: item.pk, sk: item.sk })),
      purged: async (jobCounts) => jobCounts.deleted ?? 0,
    };
  },
};

const inactivityIndex = tables.members.indexes.find((i) => i.name === 'inactivity')!;

/** How bench members join, per profile: a sign-in method and items with the address notices go to. */
const joiners: Record<ProfileName, { method: SignInMethod; items: (id: string) => Record<string, string> }> =
  {
    littleone: {
      method: 'apple',
      items: (id) => ({
        userName: `User ${id}`,
        appleMemberNumber: `${id}.apple`,
        email: `${id}@example.com`,
      }),
    },
    lgcns: {
      method: 'password',
      items: (id) => ({ loginId: `login-${id}`, name: `Name ${id}`, email: `${id}@example.com` }),
    },
  };

/**
 * Members (job `inactivity`, then its worker): candidates joined through the real join a year
 * before the run, noticed more than the minimum notice ago, so the run destroys each one through
 * withdrawal; the others signed in later, their notice months away. Candidates join before the
 * others are written, since moto copies a table for every transaction item.
 */
const inactivityPurge: PurgeTarget = {
  name: 'inactivity (members)',
  job: 'inactivity',
  tables: ['members', 'keys', 'vault'],
  // The local drain runs the worker one batch at a time.
  concurrency: 1,
  purgesUpTo: 10_000,
  notPurgedAbove:
    'moto copies the whole members table for every transaction item, and a withdrawal writes in transactions, so a purge slows with the population (compare the smaller sizes): 1,000 purges among 100,000 members would take over an hour. Finding them is measured.',
  async seed({ stack, direct }, records, candidates, now, purge) {
    const c = loadCatalogue(stack.profile);
    const joiner = joiners[stack.profile];
    const table = physicalNames.table(stack.profile, 'members');
    const rule = c.inactivity;
    const signIn = new Date(shiftInSeoul(now, rule.period, -1).getTime() - 3_600_000);
    const attemptAt = new Date(shiftInSeoul(now, rule.minimumNotice, -1).getTime() - 3_600_000);
    const destroyAt = destroyDueAt(rule, signIn, attemptAt);
    const ids = Array.from({ length: candidates }, (_, i) => `purge-${String(i).padStart(6, '0')}`);
    const notified = (): InactivityState => ({
      state: 'notified',
      attemptId: randomUUID(),
      attemptAt: attemptAt.toISOString(),
      delivery: 'sent',
      destroyAt: destroyAt.toISOString(),
    });
    const bucket = inactivityIndex.partitionKey.name;
    if (purge) {
      const consents = Object.fromEntries(Object.keys(c.purposes).map((id) => [id, true]));
      // One at a time: moto answers concurrent transactions with a server error now and then.
      for (const memberId of ids) {
        await join(
          c,
          {
            memberId,
            groups: [],
            method: joiner.method,
            signInIds: { username: `login-${memberId}`, 'provider-user-id': `${memberId}.apple` },
          },
          { items: joiner.items(memberId), consents, ageAffirmation: true, policyVersion: c.policy.version },
          signIn,
        );
        await direct.send(
          new UpdateCommand({
            TableName: table,
            Key: membersTable.profile(memberId),
            UpdateExpression: 'SET inactivity = :notified, #bucket = :day',
            ExpressionAttributeNames: { '#bucket': bucket },
            ExpressionAttributeValues: {
              ':notified': notified(),
              ':day': inactivityBucket(seoulDay(destroyAt), memberId),
            },
          }),
        );
      }
    } else {
      // Found, never purged: the profile the job's index query returns is all they need.
      await writeAll(
        direct,
        table,
        ids.map((memberId) => ({
          ...membersTable.profile(memberId),
          memberId,
          status: 'active',
          lastSignInAt: signIn.toISOString(),
          inactivity: notified(),
          [bucket]: inactivityBucket(seoulDay(destroyAt), memberId),
        })),
      );
    }
    const others = Array.from({ length: records - candidates }, (_, i) => {
      // Signed in 40 to 330 days before the run: their notices fall due after it.
      const signedIn = new Date(now.getTime() - (40 + (i % 290)) * DAY_MS);
      const memberId = `active-${String(i).padStart(7, '0')}`;
      return {
        ...membersTable.profile(memberId),
        memberId,
        status: 'active',
        lastSignInAt: signedIn.toISOString(),
        [bucket]: inactivityBucket(activeBucket(rule, signedIn), memberId),
      };
    });
    await writeAll(direct, table, others);
    return {
      table,
      keep: others.map((item) => ({ pk: item.pk, sk: item.sk })),
      purged: async () => {
        let gone = 0;
        for (const memberId of ids) {
          const out = await direct.send(
            new GetCommand({ TableName: table, Key: membersTable.profile(memberId) }),
          );
          if (!out.Item) gone++;
        }
        return gone;
      },
    };
  },
};

/** The purge jobs measured. */
export const purgeTargets: readonly PurgeTarget[] = [vaultRetention, inactivityPurge];

/** The purge-scaling budget: items read to find what is due, at most this many times the candidates. */
export const ITEMS_READ_PER_CANDIDATE = 1.1;

/** Share of records that are due in each size. */
export const CANDIDATE_SHARE = 0.01;

/** One size of one target. */
export interface PurgeResult {
  readonly target: string;
  readonly records: number;
  readonly candidates: number;
  /** Candidates the run purged; absent where the bench only finds them (see `notPurged`). */
  readonly purged?: number;
  /** Why this size was found but not purged. */
  readonly notPurged?: string;
  /** What the job (and its worker) reported. */
  readonly jobCounts: Readonly<Record<string, number>>;
  /** Items the job read to find what is due: the budgeted figure. */
  readonly itemsRead: number;
  /** Items the worker read purging them (each member's own partition), where a worker purges. */
  readonly purgeItemsRead: number;
  readonly calls: Readonly<Record<string, number>>;
  /** The job, and its worker where it purges. */
  readonly wallMs: number;
  readonly purgedPerSecond?: number;
  /** Bare DeleteItem calls per second, same emulator, same table size, same concurrency. */
  readonly bareDeletesPerSecond: number;
}

/** Empties a work queue the bench filled without draining it. */
async function purgeQueue(stack: BenchStack, queue: QueueName): Promise<void> {
  const sqs = new SQSClient(clientConfig(stack.emulator.endpoint));
  try {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: stack.resources.env[queues[queue].env] }));
  } finally {
    sqs.destroy();
  }
}

function merge(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Runs `target`'s job (and its worker) once over a fresh population; `now` is the job's clock. */
export async function measurePurge(
  stack: BenchStack,
  target: PurgeTarget,
  records: number,
  now: Date,
): Promise<PurgeResult> {
  const raw = new DynamoDBClient(clientConfig(stack.emulator.endpoint));
  const direct = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const viaProxy = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.proxy.url)));
  try {
    for (const name of target.tables) {
      await raw.send(new DeleteTableCommand({ TableName: physicalNames.table(stack.profile, name) }));
    }
    await stack.rebootstrap();
    const candidates = Math.max(1, Math.round(records * CANDIDATE_SHARE));
    const purge = records <= (target.purgesUpTo ?? Number.POSITIVE_INFINITY);
    const seeded = await target.seed({ stack, direct }, records, candidates, now, purge);

    const job: JobDefinition = jobs[target.job];
    const { handler } = (await import(`../lambdas/handlers/${job.handler}.ts`)) as {
      handler: (event: { job: JobName; now: string }) => Promise<Record<string, number>>;
    };
    stack.proxy.take();
    const started = performance.now();
    const found = await handler({ job: target.job, now: now.toISOString() });
    const finding = stack.proxy.take();
    let worker = {};
    if (job.drains) {
      if (purge) worker = await drainQueue(job.drains, stack.resources.env, stack.profile);
      else await purgeQueue(stack, job.drains);
    }
    const wallMs = performance.now() - started;
    const purging = stack.proxy.take();
    const jobCounts = { ...found, ...worker };
    const purged = purge ? await seeded.purged(jobCounts) : undefined;

    // Baseline: delete as many of the records that stayed, through the same proxy, same concurrency.
    const sample = seeded.keep.slice(0, Math.max(candidates, 1));
    const bareStarted = performance.now();
    await inParallel(sample, target.concurrency, async (Key) => {
      await viaProxy.send(new DeleteCommand({ TableName: seeded.table, Key }));
    });
    const bareMs = performance.now() - bareStarted;
    stack.proxy.take();

    return {
      target: target.name,
      records,
      candidates,
      ...(purged === undefined ? { notPurged: target.notPurgedAbove ?? 'not purged' } : { purged }),
      jobCounts,
      itemsRead: finding.itemsRead,
      purgeItemsRead: purging.itemsRead,
      calls: merge(finding.calls, purging.calls),
      wallMs,
      ...(purged === undefined ? {} : { purgedPerSecond: purged / (wallMs / 1000) }),
      bareDeletesPerSecond: sample.length / (bareMs / 1000),
    };
  } finally {
    raw.destroy();
    viaProxy.destroy();
  }
}
