/**
 * AWS-call budgets: each member operation runs through the local front against a real moto
 * server, and a counting proxy in front of moto counts every SDK request on the wire. Counts
 * must stay within bench/budgets.ts, so CI fails when a change adds a KMS or DynamoDB call.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_BUDGETS, DATA_KEY_UNWRAPS_PER_PERIOD } from '../../bench/budgets';
import { measureOperations, OPERATIONS_PROFILE, type OperationResult } from '../../bench/operations';
import { ITEMS_READ_PER_CANDIDATE, measurePurge, purgeTargets } from '../../bench/purge';
import { type BenchStack, startBenchStack } from '../../bench/stack';

let stack: BenchStack;
let operations: OperationResult[];
beforeAll(async () => {
  stack = await startBenchStack(OPERATIONS_PROFILE);
  operations = await measureOperations(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const op = (name: string) => {
  const found = operations.find((o) => o.operation === name);
  if (!found) throw new Error(`operation ${name} was not measured`);
  return found;
};

describe('AWS calls per operation', () => {
  it('measures every budgeted operation, and budgets every measured one', () => {
    expect(operations.map((o) => o.operation).sort()).toEqual(Object.keys(CALL_BUDGETS).sort());
    expect(operations.every((o) => o.status < 300)).toBe(true);
  });

  it('names the functions each operation ran, one API request per request through the front, and its write units from the items', () => {
    const direct = [
      'sign-in (post-authentication trigger)',
      'inactivity notice (one member)',
      'inactivity purge (one member)',
      'annual usage notice (one member)',
    ];
    for (const o of operations) {
      expect(o.apiRequests, o.operation).toBe(direct.includes(o.operation) ? 0 : 1);
      expect(o.functions.length, o.operation).toBe(1);
      expect(
        existsSync(new URL(`../../lambdas/handlers/${o.functions[0]!.handler}.ts`, import.meta.url)),
      ).toBe(true);
      expect(o.functions[0]!.durationMs, o.operation).toBeGreaterThan(0);
      // Measured from the items, a write costs at least what its request alone shows.
      expect(o.wcu, o.operation).toBeGreaterThanOrEqual(o.wcuAtLeast);
    }
    // The first view records the access (a sparse-index-free put) and refreshes the member's
    // last activity, which moves the member's inactivity index key: more than the request shows.
    expect(op('view (first)').wcu).toBeGreaterThan(op('view (first)').wcuAtLeast);
  });

  it('keeps each operation within its DynamoDB, KMS and SES call budget', () => {
    const over = operations
      .filter((o) => {
        const b = CALL_BUDGETS[o.operation]!;
        return o.dynamodb > b.dynamodb || o.kms > b.kms || o.ses > b.ses;
      })
      .map((o) => `${o.operation}: ${JSON.stringify(o.calls)}`);
    expect(over).toEqual([]);
  });

  it('L13/G15: unwraps at most one data key per member, function instance and cache period', () => {
    for (const o of operations)
      expect(o.dataKeyUnwraps, o.operation).toBeLessThanOrEqual(DATA_KEY_UNWRAPS_PER_PERIOD);
    expect(op('view (first)').dataKeyUnwraps).toBe(1);
  });

  it('L14/G10: a repeated view in a warm instance makes no KMS call, and reads the partition and the access history once each', () => {
    expect(op('view (repeated, warm)').kms).toBe(0);
    expect(op('view (repeated, warm)').calls['dynamodb:Query']).toBe(2);
  });

  it('reads each member partition once per view, export or consents read (and the access history once)', () => {
    expect(op('view (first)').calls['dynamodb:Query']).toBe(2);
    // The export also states the policy version in force: one Query of the published versions (L18),
    // and includes the operator's table silo: one Query of the member's items there (issue 15).
    expect(op('export').calls['dynamodb:Query']).toBe(4);
    expect(op('consents (read)').calls['dynamodb:Query']).toBe(1);
  });

  it("G9: one member's inactivity notice makes one KMS call, the data key, and sends one mail", () => {
    const notice = op('inactivity notice (one member)');
    expect(notice.calls['kms:Decrypt']).toBe(1);
    expect(notice.kms).toBe(1);
    expect(notice.calls['ses:SendEmail']).toBe(1);
  });

  it("PIPA Art. 20-2: one member's annual usage notice makes one KMS call, the data key, claims and settles once, and sends one mail", () => {
    const notice = op('annual usage notice (one member)');
    expect(notice.calls['kms:Decrypt']).toBe(1);
    expect(notice.kms).toBe(1);
    expect(notice.calls['dynamodb:UpdateItem']).toBe(2);
    expect(notice.calls['ses:SendEmail']).toBe(1);
  });

  it("G9: one member's inactivity purge is a withdrawal: one signed receipt, one transaction", () => {
    const purge = op('inactivity purge (one member)');
    expect(purge.calls['kms:Sign']).toBe(1);
    expect(purge.calls['dynamodb:TransactWriteItems']).toBe(1);
    expect(purge.dataKeyUnwraps).toBe(1);
  });

  it('L8/G8: withdrawal signs its receipt once and writes in one transaction', () => {
    expect(op('withdraw (signed receipt)').calls['kms:Sign']).toBe(1);
    expect(op('withdraw (signed receipt)').calls['dynamodb:TransactWriteItems']).toBe(1);
  });
});

describe('purge scaling', () => {
  const now = new Date('2026-11-21T19:00:00.000Z');

  it('L7/G7: the retention sweep reads at most 1.1 items per due record and purges every one', async () => {
    const vault = purgeTargets.find((t) => t.job === 'retention')!;
    const result = await measurePurge(stack, vault, 2_000, now);
    expect(result.candidates).toBe(20);
    expect(result.purged).toBe(20);
    expect(result.itemsRead).toBeLessThanOrEqual(ITEMS_READ_PER_CANDIDATE * result.candidates);
  });

  it('G9: the inactivity run reads at most 1.1 items per member due to find them, and destroys every one', async () => {
    const inactivity = purgeTargets.find((t) => t.job === 'inactivity')!;
    const result = await measurePurge(stack, inactivity, 1_000, now);
    expect(result.candidates).toBe(10);
    expect(result.purged).toBe(10);
    expect(result.jobCounts).toMatchObject({ queued: 10, succeeded: 10, failed: 0 });
    expect(result.itemsRead).toBeLessThanOrEqual(ITEMS_READ_PER_CANDIDATE * result.candidates);
  });
});
