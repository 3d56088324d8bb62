/**
 * Started on demand: imports the members of one export object in the imports bucket (see
 * lambdas/features/import). A run that nears its time budget stops between members and
 * answers the line to resume from; a rerun of the same object imports nothing twice. The
 * answer and the log hold counts and line numbers with fields, never personal data.
 */
import type { Context } from 'aws-lambda';
import { ENV } from '../../model/resources';
import type { ImportJobEvent } from '../../model/workloads';
import { importJob } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';
import { objectLines } from '../adapters/import-objects';
import { importLines } from '../features/import/import';
import type { ImportReport } from '../features/import/rules';
import { requireEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

const catalogue = loadCatalogue(requireEnv(ENV.profile));
/** Time left at which a run stops taking members: enough for those in flight to finish. */
const STOP_MARGIN_MS = 60_000;

export const handler = async (event: Partial<ImportJobEvent>, context?: Context): Promise<ImportReport> => {
  if (typeof event?.key !== 'string' || event.key === '')
    throw new Error('The import event names no object key');
  const startLine = event.startLine ?? 1;
  if (!Number.isInteger(startLine) || startLine < 1)
    throw new Error('The import event has an invalid startLine');
  const now = event.now === undefined ? new Date() : new Date(event.now);
  if (Number.isNaN(now.getTime())) throw new Error('The import event carries an invalid time');
  const rate = Number(process.env[ENV.importRate] ?? importJob.ratePerSecond);
  const started = Date.now();
  const report = await importLines(catalogue, objectLines(requireEnv(ENV.importsBucket), event.key), {
    now,
    startLine,
    ratePerSecond: Number.isFinite(rate) && rate > 0 ? rate : importJob.ratePerSecond,
    ...(context ? { shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS } : {}),
  });
  logger.info('import finished', {
    ms: Date.now() - started,
    lines: report.lines,
    imported: report.imported,
    skipped: report.skipped,
    bad: report.bad.length,
    failed: report.failed.length,
    ...(report.resumeFromLine === undefined ? {} : { resumeFromLine: report.resumeFromLine }),
  });
  return report;
};
