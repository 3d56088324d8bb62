/**
 * Import rate: an export of N members (1% bad lines) imported through the import job's use case
 * into fresh members and keys tables, with every AWS call counted on the wire: members imported
 * per second against moto, KMS and DynamoDB calls per member; then a run stopped part-way (as
 * a crash would stop it), a rerun, and a last run once every member is in, which must skip
 * them all without a KMS call. The export's last bad line reuses an earlier member's email, which
 * only the write can find: every run pays that line's lookups and data key, and nothing more.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IDENTIFIER_TAKEN, importLines } from '../lambdas/features/import/import';
import { clientConfig, physicalNames } from '../local/bootstrap';
import { loadCatalogue } from '../policy/catalogue';
import { makeExport } from '../test/integration/import-fixtures';
import type { BenchStack } from './stack';

/** What one import measurement found. */
export interface ImportResult {
  readonly members: number;
  readonly imported: number;
  readonly bad: number;
  readonly wallMs: number;
  readonly importedPerSecond: number;
  readonly kmsCallsPerMember: number;
  readonly dynamodbCallsPerMember: number;
  /** Where the interrupted run stopped, and what the rerun did. */
  readonly crash: {
    readonly stoppedAtLine: number;
    readonly importedBeforeStop: number;
    readonly rerunImported: number;
    readonly rerunSkipped: number;
    /** A third run, once every member is in: what it skipped, and its KMS calls. */
    readonly finalSkipped: number;
    readonly finalKmsCalls: number;
    /** The KMS calls of the lines only the write finds bad (a MAC per lookup item, a data key). */
    readonly finalKmsCallsOfBadAtWrite: number;
  };
}

/** The import's clock: after every time the export holds. */
const NOW = new Date('2026-01-01T00:00:00.000Z');

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

/** Imports `members` lines twice over fresh tables: once straight, once stopped and rerun. */
export async function measureImport(stack: BenchStack, members: number): Promise<ImportResult> {
  const c = loadCatalogue(stack.profile);
  const lookupItems = Object.values(c.items).filter((item) => item.lookup).length;
  const raw = new DynamoDBClient(clientConfig(stack.emulator.endpoint));
  const fresh = async () => {
    for (const name of ['members', 'keys'] as const) {
      await raw.send(new DeleteTableCommand({ TableName: physicalNames.table(stack.profile, name) }));
    }
    await stack.rebootstrap();
  };
  try {
    const exported = makeExport(stack.profile, members, 100, 11);
    await fresh();
    stack.proxy.take();
    const started = performance.now();
    const report = await importLines(c, linesOf(exported.text), { now: NOW, ratePerSecond: 10_000 });
    const wallMs = performance.now() - started;
    const counts = stack.proxy.take();

    // The same export into fresh tables, stopped at a random line as a crash would stop it.
    await fresh();
    const stopAt = Math.ceil(members * (0.3 + 0.4 * Math.random()));
    let read = 0;
    const first = await importLines(c, linesOf(exported.text), {
      now: NOW,
      ratePerSecond: 10_000,
      shouldStop: () => ++read >= stopAt,
    });
    const rerun = await importLines(c, linesOf(exported.text), { now: NOW, ratePerSecond: 10_000 });
    stack.proxy.take();
    const last = await importLines(c, linesOf(exported.text), { now: NOW, ratePerSecond: 10_000 });
    const lastCounts = stack.proxy.take();
    return {
      members,
      imported: report.imported,
      bad: report.bad.length,
      wallMs,
      importedPerSecond: report.imported / (wallMs / 1000),
      kmsCallsPerMember: (counts.byService.kms ?? 0) / Math.max(1, report.imported),
      dynamodbCallsPerMember: (counts.byService.dynamodb ?? 0) / Math.max(1, report.imported),
      crash: {
        stoppedAtLine: first.resumeFromLine ?? members,
        importedBeforeStop: first.imported,
        rerunImported: rerun.imported,
        rerunSkipped: rerun.skipped,
        finalSkipped: last.skipped,
        finalKmsCalls: lastCounts.byService.kms ?? 0,
        finalKmsCallsOfBadAtWrite:
          last.bad.filter((b) => b.problems.some((p) => p.problem === IDENTIFIER_TAKEN)).length *
          (lookupItems + 1),
      },
    };
  } finally {
    raw.destroy();
  }
}
