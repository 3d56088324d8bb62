/** The edge of every scheduled job: the clock, the job's name, and counts in the log. */
import type { Context } from 'aws-lambda';
import { ENV } from '../../model/resources';
import type { JobEvent, JobName } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';
import { requireEnv } from './env';
import { logger } from './logger';

/** Counts a job reports; never personal data. */
export type JobCounts = Readonly<Record<string, number>>;

/** What a job implementation receives. */
export interface JobInput {
  /** The job's clock: `now` from the event (local runs, tests), else the schedule's time. */
  readonly now: Date;
  readonly catalogue: Catalogue;
}

function clockOf(event: Partial<JobEvent>): Date {
  const source = event.now ?? event.scheduledTime;
  if (source === undefined) return new Date();
  const now = new Date(source);
  // A bad clock must stop the job: purging against a wrong date is not recoverable.
  if (Number.isNaN(now.getTime())) throw new Error('Job event carries an invalid time');
  return now;
}

/** The Lambda handler of one job. A failure throws, so Scheduler retries and then dead-letters. */
export function jobHandler(name: JobName, run: (input: JobInput) => Promise<JobCounts>) {
  const catalogue = loadCatalogue(requireEnv(ENV.profile));
  return async (event: Partial<JobEvent>, _context?: Context): Promise<JobCounts> => {
    const now = clockOf(event ?? {});
    const started = Date.now();
    try {
      const counts = await run({ now, catalogue });
      logger.info('job finished', { job: name, now: now.toISOString(), ms: Date.now() - started, ...counts });
      return counts;
    } catch (error) {
      logger.error('job failed', { job: name, error: (error as Error)?.name });
      throw error;
    }
  };
}
