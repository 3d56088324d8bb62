/**
 * Purge scaling: a table of N records of which 1% are due, one run of a purge job, and what it
 * cost — items read (from the wire), wall time, and records purged per second against the rate
 * at which the same emulator deletes bare items with the same concurrency, measured in the same
 * run. Each job is a {@link PurgeTarget}; the inactivity purge plugs in as a second target (see
 * `purgeTargets` below) once its job exists.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, seoulDay } from '../lambdas/domain/clock';
import { SWEEP_LOOKBACK_DAYS } from '../lambdas/domain/vault-sweeper';
import { type JobName, jobs, type TableName, tables } from '../lambdas/shared/resources';
import { clientConfig, physicalNames } from '../local/bootstrap';
import type { BenchStack } from './stack';

/** A purge job as the bench drives it. */
export interface PurgeTarget {
  /** Shown in the table, e.g. `retention (vault)`. */
  readonly name: string;
  /** The job of the resource model that purges. */
  readonly job: JobName;
  /** The table it purges; dropped and recreated between sizes. */
  readonly table: TableName;
  /** Item `i` of `n`: a record that is due at `now` when `due`, else one that is not. */
  record(i: number, due: boolean, now: Date): Record<string, unknown>;
  /** The key of an item made by {@link record}, for the bare-delete baseline. */
  keyOf(item: Record<string, unknown>): Record<string, unknown>;
}

const DAY_MS = 86_400_000;

/** Vault records (job `retention`): due ones expired within the sweep's look-back, others years away. */
const vaultRetention: PurgeTarget = {
  name: 'retention (vault)',
  job: 'retention',
  table: 'vault',
  record(i, due, now) {
    // Due records spread over the look-back days; the others over ten years of future days.
    const expires = due
      ? new Date(now.getTime() - (i % SWEEP_LOOKBACK_DAYS) * DAY_MS - 60_000)
      : new Date(now.getTime() + (1 + (i % 3650)) * DAY_MS);
    const memberId = `bench-${String(i).padStart(7, '0')}`;
    return {
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
    };
  },
  keyOf: (item) => ({ pk: item.pk, sk: item.sk }),
};

/**
 * The purge jobs measured. The inactivity purge (job over the sparse `inactivity` index of the
 * members table) joins here as one more target: its `record` writes members whose `inactiveOn`
 * day is due (candidates) or not, `keyOf` returns `{ pk, sk }`.
 */
export const purgeTargets: readonly PurgeTarget[] = [vaultRetention];

/** The purge-scaling budget: items read per run at most this many times the candidates. */
export const ITEMS_READ_PER_CANDIDATE = 1.1;

/** Share of records that are due in each size. */
export const CANDIDATE_SHARE = 0.01;

/** One size of one target. */
export interface PurgeResult {
  readonly target: string;
  readonly records: number;
  readonly candidates: number;
  /** What the job reported. */
  readonly jobCounts: Readonly<Record<string, number>>;
  readonly itemsRead: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly wallMs: number;
  readonly purgedPerSecond: number;
  /** Bare DeleteItem calls per second, same emulator, same table size, same concurrency. */
  readonly bareDeletesPerSecond: number;
}

const SEED_BATCH = 25;
const SEED_CONCURRENCY = 8;
/** The sweeper's delete concurrency, matched by the baseline. */
const BARE_CONCURRENCY = 16;

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** Writes items straight to the emulator (not through the proxy: seeding is not measured). */
async function seed(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
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

/** Runs `target`'s job once over a fresh table of `records` records; `now` is the job's clock. */
export async function measurePurge(
  stack: BenchStack,
  target: PurgeTarget,
  records: number,
  now: Date,
): Promise<PurgeResult> {
  const raw = new DynamoDBClient(clientConfig(stack.emulator.endpoint));
  const direct = DynamoDBDocumentClient.from(raw);
  const viaProxy = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.proxy.url)));
  const table = physicalNames.table(stack.profile, target.table);
  try {
    await raw.send(new DeleteTableCommand({ TableName: table }));
    await stack.rebootstrap();
    const candidates = Math.round(records * CANDIDATE_SHARE);
    const step = records / candidates;
    const items = Array.from({ length: records }, (_, i) =>
      target.record(i, Math.floor(i % step) === 0 && i / step < candidates, now),
    );
    await seed(direct, table, items);

    const { handler } = (await import(`../lambdas/handlers/${jobs[target.job].handler}.ts`)) as {
      handler: (event: { job: JobName; now: string }) => Promise<Record<string, number>>;
    };
    stack.proxy.take();
    const started = performance.now();
    const jobCounts = await handler({ job: target.job, now: now.toISOString() });
    const wallMs = performance.now() - started;
    const counts = stack.proxy.take();
    const purged = jobCounts.deleted ?? jobCounts.purged ?? 0;

    // Baseline: delete as many of the records that stayed, through the same proxy, same concurrency.
    const kept = items.filter((_, i) => !(Math.floor(i % step) === 0 && i / step < candidates));
    const sample = kept.slice(0, Math.max(candidates, 1));
    const bareStarted = performance.now();
    await inParallel(sample, BARE_CONCURRENCY, async (item) => {
      await viaProxy.send(new DeleteCommand({ TableName: table, Key: target.keyOf(item) }));
    });
    const bareMs = performance.now() - bareStarted;
    stack.proxy.take();

    return {
      target: target.name,
      records,
      candidates,
      jobCounts,
      itemsRead: counts.itemsRead,
      calls: counts.calls,
      wallMs,
      purgedPerSecond: purged / (wallMs / 1000),
      bareDeletesPerSecond: sample.length / (bareMs / 1000),
    };
  } finally {
    raw.destroy();
    viaProxy.destroy();
  }
}
