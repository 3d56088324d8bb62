/**
 * The import when a dependency fails (L13/G15): DynamoDB refusing every transaction part-way
 * through an export, as an outage or lasting throttling would. The lines it hits are reported
 * as failed by number, nothing of them is written (no profile, lookup, key or marker), the
 * rest imports, and a rerun once the service is back imports exactly the failed lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLines } from '../../lambdas/features/import/import';
import { loadCatalogue } from '../../policy/catalogue';
import { invoked, startTestStack, type TestStack } from './harness';
import { makeExport } from './import-fixtures';
import { tablesOf } from './inactivity-fixtures';

const PROFILE = 'lgcns';
const NOW = new Date('2026-01-01T00:00:00.000Z');

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(PROFILE, { faults: true });
});

afterAll(async () => {
  await stack?.stop();
});

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

describe('import against a failing dependency', () => {
  it('L13/G15: lines whose transaction keeps failing are reported failed with nothing written; the rerun imports exactly them', async () => {
    const c = loadCatalogue(PROFILE);
    const exported = makeExport(PROFILE, 30, 10, 4);
    const run = invoked('job-import', stack.env, () =>
      importLines(c, linesOf(exported.text), { now: NOW, ratePerSecond: 1_000, concurrency: 1 }),
    );
    // The first 12 members go in; every transaction after them fails, retries included.
    stack.faults!.inject({
      service: 'dynamodb',
      operation: 'TransactWriteItems',
      kind: 'internal',
      after: 12,
    });
    const first = await run();
    stack.faults!.reset();
    expect(first.imported).toBe(12);
    const failedLines = exported.good.slice(12).map((g) => g.line);
    // The email twin on the last line is a good line until its transaction is refused.
    expect(first.failed).toEqual([...failedLines, exported.bad.at(-1)!.line]);
    expect(first.bad.map((b) => b.line)).toEqual(exported.bad.slice(0, -1).map((b) => b.line));

    const tables = tablesOf(stack);
    const failedSubjects = new Set(exported.good.slice(12).map((g) => g.subject));
    const members = await tables.scan('members');
    const keys = await tables.scan('keys');
    expect(members.filter((i) => failedSubjects.has(String(i.pk).slice(2)))).toEqual([]);
    expect(members.filter((i) => failedSubjects.has(String(i.memberId)))).toEqual([]);
    expect(keys.filter((k) => failedSubjects.has(String(k.memberId)))).toEqual([]);
    // One lookup item per lookup item of each member in: none left by a failed line.
    const lookups = members.filter((i) => String(i.pk).startsWith('L#'));
    expect(lookups).toHaveLength(12 * 2);

    const second = await run();
    expect(second.failed).toEqual([]);
    expect({ imported: second.imported, skipped: second.skipped }).toEqual({
      imported: failedLines.length,
      skipped: 12,
    });
    expect(second.bad.map((b) => b.line)).toEqual(exported.bad.map((b) => b.line));
  }, 120_000);
});
