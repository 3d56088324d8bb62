/**
 * A small run of the load test (`npm run bench -- --load`) against a stack of its own: the runner
 * and the checks agree with a real stack, where every member's state must be what its clients
 * were told and every refusal explained. The figures are the bench's; nothing here is timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load';
import { ACCEPTED_VERDICTS, parseLoadArgs, type Verdict } from '../../bench/load-check';
import { startTestStack, type TestStack } from './harness';

describe('the load test, small', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack('littleone');
  });
  afterAll(() => t?.stop());

  it("finds every member's state what its clients were told, and no unexplained answer", async () => {
    const settings = parseLoadArgs(['--members', '8', '--clients', '3', '--seconds', '3']);
    const results = await runLoad(t.stack, t.issuerKey, settings, { bareSeconds: 0.5 });

    expect(results.problems).toEqual([]);
    expect(Object.keys(results.verdicts).filter((v) => !ACCEPTED_VERDICTS.has(v as Verdict))).toEqual([]);
    expect(results.routes.find((r) => r.op === 'join')?.statuses).toEqual({ 201: 8 });
    expect(results.membersChecked).toBe(8);
    expect(results.routes.filter((r) => r.op !== 'join').reduce((n, r) => n + r.requests, 0)).toBeGreaterThan(
      0,
    );
    expect(results.bareGetItemPerSecond).toBeGreaterThan(0);
  });
});
