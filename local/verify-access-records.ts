/**
 * `npm run verify-access-records`: checks the hash chain of the handler access records of the
 * running local stack (G17). Prints the records checked and exits 1 at the first broken link.
 */
import { pathToFileURL } from 'node:url';
import type { ChainReport } from '../lambdas/features/access-records/rules';
import { applyEnvironment } from './bootstrap';
import { readState, runCli } from './state';

/** Verifies the chain of the stack whose handler environment is `env`. */
export async function verifyAccessRecords(env: Readonly<Record<string, string>>): Promise<ChainReport> {
  applyEnvironment(env);
  // Imported after the environment is set: adapters read it when first used.
  const { verifyChain } = await import('../lambdas/features/access-records/access-records');
  return verifyChain();
}

/** The one line a report prints as. */
export function describeReport(report: ChainReport): string {
  if (!report.intact) {
    return `Access records BROKEN at seq ${report.brokenAt!.seq}: ${report.brokenAt!.problem} (${report.records} records read).`;
  }
  if (report.records === 0) return 'No access records yet: the chain is empty.';
  return `Access records intact: ${report.records} records, seq ${report.firstSeq}–${report.lastSeq}.`;
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  runCli(async () => {
    const state = await readState();
    const report = await verifyAccessRecords(state.env);
    process.stdout.write(`${describeReport(report)}\n`);
    if (!report.intact) process.exitCode = 1;
  });
}
