/**
 * A million members, by simulation (docs/scale.md): the seeded synthetic days of bench/million.ts,
 * written through the real key builders, keep every partition of the sharded inactivity index
 * under DynamoDB's per-partition write limit, where the unsharded day bucket broke it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DayResult,
  KMS_SYMMETRIC_QUOTA,
  kmsPerImportedMember,
  MILLION_PROFILE,
  PARTITION_WRITES_PER_SECOND,
  simulateImport,
  simulateMillion,
} from '../../bench/million';
import {
  INACTIVITY_SHARDS,
  inactivityBucket,
  inactivityBucketsOf,
  inactivityShard,
} from '../../model/members-table';
import { importJob } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';

describe('the sharded inactivity bucket', () => {
  it('G9: names the day and a shard fixed by the member, and spreads members evenly', () => {
    expect(inactivityBucket('2027-03-01', 'member-1')).toMatch(/^2027-03-01#0[0-7]$/);
    expect(inactivityBucket('2027-03-01', 'member-1')).toBe(inactivityBucket('2027-03-01', 'member-1'));
    const counts = new Array<number>(INACTIVITY_SHARDS).fill(0);
    for (let i = 0; i < 80_000; i++) counts[inactivityShard(`member-${i}`)]! += 1;
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(400);
  });

  it('G9: a day is read from every shard and from the bare day written before the shards', () => {
    const buckets = inactivityBucketsOf('2027-03-01');
    expect(buckets).toHaveLength(INACTIVITY_SHARDS + 1);
    expect(buckets).toContain('2027-03-01');
    for (let i = 0; i < 100; i++) expect(buckets).toContain(inactivityBucket('2027-03-01', `m-${i}`));
  });
});

describe('a million members, simulated (seeded)', () => {
  let days: DayResult[];
  const day = (scenario: string) => days.find((d) => d.scenario === scenario)!;
  beforeAll(() => {
    days = simulateMillion();
  }, 120_000);

  it('every simulated day keeps every partition of the sharded index, and of the table, under 1,000 writes a second', () => {
    for (const d of days) {
      expect(d.indexSharded.writes, d.scenario).toBeLessThan(PARTITION_WRITES_PER_SECOND);
      expect(d.base.writes, d.scenario).toBeLessThan(PARTITION_WRITES_PER_SECOND);
    }
  });

  it("an import at the KMS quota's rate overran the unsharded day bucket, and fits the shards with room to spare", () => {
    const fast = day('import at the KMS quota');
    expect(fast.members).toBe(1_000_000);
    expect(fast.indexUnsharded.writes).toBeGreaterThan(PARTITION_WRITES_PER_SECOND);
    expect(fast.indexSharded.writes).toBeLessThan(PARTITION_WRITES_PER_SECOND / 2);
    expect(fast.kmsPerSecond).toBeLessThanOrEqual(KMS_SYMMETRIC_QUOTA);
    expect(fast.indexSharded.keys).toBe(fast.indexUnsharded.keys * INACTIVITY_SHARDS);
  });

  it('the import at its configured rate stays far under both limits', () => {
    const slow = day('import at the configured rate');
    const c = loadCatalogue(MILLION_PROFILE);
    expect(slow.seconds).toBe(1_000_000 / importJob.ratePerSecond + 1);
    expect(slow.kmsPerSecond).toBe(importJob.ratePerSecond * kmsPerImportedMember(c));
    expect(slow.indexUnsharded.writes).toBeLessThanOrEqual(importJob.ratePerSecond);
  });

  it('the same seed gives the same day', () => {
    const c = loadCatalogue(MILLION_PROFILE);
    const once = simulateImport(c, 50_000, 2_000, 'a', 'b');
    expect(simulateImport(c, 50_000, 2_000, 'a', 'b')).toEqual(once);
  });
});
