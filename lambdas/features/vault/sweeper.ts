/**
 * Destroys vault records whose legal period has ended (L7/G7, L9, L10). DynamoDB TTL deletes
 * "typically within two days"; the sweeper closes that gap so a deadline holds to the day.
 * Candidates come from a sparse index bucketed by expiry day, so the cost follows the number of
 * expiring records, not the size of the vault.
 */
import { epochSeconds, seoulDaysEndingAt } from '../../../model/calendar';
import { deleteIfDue, keysExpiringOn } from './store';

/** Days of expiry buckets each run revisits, so a run missed for a week catches up. */
export const SWEEP_LOOKBACK_DAYS = 14;
/** Deletes in flight at once: bounded so a large day does not throttle the table. */
const CONCURRENCY = 16;

/** Counts of one sweep. */
export interface SweepCounts {
  readonly candidates: number;
  readonly deleted: number;
  readonly notYetDue: number;
}

/** Deletes every vault record due at `now`; safe to rerun and to run concurrently. */
export async function sweepVault(now: Date): Promise<SweepCounts> {
  const nowSeconds = epochSeconds(now);
  let candidates = 0;
  let deleted = 0;
  for (const day of seoulDaysEndingAt(now, SWEEP_LOOKBACK_DAYS)) {
    const keys = await keysExpiringOn(day);
    candidates += keys.length;
    for (let i = 0; i < keys.length; i += CONCURRENCY) {
      const results = await Promise.all(
        keys.slice(i, i + CONCURRENCY).map((k) => deleteIfDue(k, nowSeconds)),
      );
      deleted += results.filter(Boolean).length;
    }
  }
  return { candidates, deleted, notYetDue: candidates - deleted };
}
