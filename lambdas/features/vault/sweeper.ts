/**
 * Destroys vault records whose legal period has ended (L7/G7, L9, L10). DynamoDB TTL deletes
 * "typically within two days"; the sweeper closes that gap so a deadline holds to the day.
 * Candidates come from a sparse index bucketed by expiry day, so the cost follows the number of
 * expiring records, not the size of the vault.
 */
import { epochSeconds, seoulDaysEndingAt } from '../../../model/calendar';
import { deleteIfDue, keysExpiringOn, vaultClassOf } from './store';

/** Days of expiry buckets each run revisits, so a run missed for a week catches up. */
export const SWEEP_LOOKBACK_DAYS = 14;
/** Deletes in flight at once: bounded so a large day does not throttle the table. */
const CONCURRENCY = 16;

/** Counts of one sweep. */
export interface SweepCounts {
  readonly candidates: number;
  readonly deleted: number;
  readonly notYetDue: number;
  /** What was deleted, by retention class (the receipt as `withdrawal-receipt`): never whose. */
  readonly deletedByClass: Readonly<Record<string, number>>;
}

/** Deletes every vault record due at `now`; safe to rerun and to run concurrently. */
export async function sweepVault(now: Date): Promise<SweepCounts> {
  const nowSeconds = epochSeconds(now);
  let candidates = 0;
  let deleted = 0;
  const deletedByClass: Record<string, number> = {};
  for (const day of seoulDaysEndingAt(now, SWEEP_LOOKBACK_DAYS)) {
    const keys = await keysExpiringOn(day);
    candidates += keys.length;
    for (let i = 0; i < keys.length; i += CONCURRENCY) {
      const batch = keys.slice(i, i + CONCURRENCY);
      const results = await Promise.all(batch.map((k) => deleteIfDue(k, nowSeconds)));
      batch.forEach((key, j) => {
        if (!results[j]) return;
        deleted += 1;
        const classId = vaultClassOf(key.sk);
        deletedByClass[classId] = (deletedByClass[classId] ?? 0) + 1;
      });
    }
  }
  return { candidates, deleted, notYetDue: candidates - deleted, deletedByClass };
}
