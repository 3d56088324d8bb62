/**
 * How long a service record is kept (L10): each record carries its retention class from the
 * moment it is created, and at withdrawal a record whose legal period still runs outlives the
 * membership in the vault until the end of that period.
 */

import { shiftInSeoul } from '../../../model/calendar';
import type { Text } from '../../../policy/i18n';
import type { Catalogue, Item, RetentionClass } from '../../../policy/schema';
import { InvalidInput } from '../../runtime/errors';
import { periodOf } from '../members/rules';

/** How long a record's class keeps it, and from when. */
export interface RecordRetention {
  readonly class: string;
  readonly label: Text;
  readonly period: string;
  readonly startsAt: RetentionClass['startsAt'];
  readonly law?: Text;
  /** When the legal period ends, if it is already running (startsAt: creation). */
  readonly until?: string;
}

/** The end of a record's legal period, counted as its class says; undefined when none applies. */
export function legalExpiry(rc: RetentionClass, createdAt: Date, withdrawnAt?: Date): Date | undefined {
  if (rc.period === 'until-withdrawal') return undefined;
  if (rc.startsAt === 'creation') return shiftInSeoul(createdAt, rc.period);
  if (rc.startsAt === 'withdrawal' && withdrawnAt) return shiftInSeoul(withdrawnAt, rc.period);
  return undefined;
}

/** The retention of a record of class `classId` created at `createdAt`, as the member reads it. */
export function retentionOf(c: Catalogue, classId: string, createdAt: Date): RecordRetention {
  const rc = c.retention[classId]!;
  const until = legalExpiry(rc, createdAt);
  return {
    class: classId,
    label: rc.label,
    period: periodOf(rc),
    startsAt: rc.startsAt,
    ...(rc.law ? { law: rc.law } : {}),
    ...(until ? { until: until.toISOString() } : {}),
  };
}

/** Throws 400 when a record's value is longer than its item's format allows. */
export function checkRecordValue(item: Item, value: string): void {
  if (item.format.type === 'text' && value.length > item.format.maxLength) {
    throw new InvalidInput([
      { field: '(body)', problem: `must be at most ${item.format.maxLength} characters` },
    ]);
  }
}

/** What the retention of a record reads: its class and when it was created. */
export interface DatedRecord {
  readonly retentionClass: string;
  readonly createdAt: string;
}

/** A record that outlives the membership, and until when. */
export interface RecordToRetain<R extends DatedRecord = DatedRecord> {
  readonly record: R;
  readonly until: Date;
}

/** The records a law still requires keeping at `withdrawnAt`; the others are destroyed. */
export function recordsToRetain<R extends DatedRecord>(
  c: Catalogue,
  records: readonly R[],
  withdrawnAt: Date,
): RecordToRetain<R>[] {
  return records.flatMap((record) => {
    const rc = c.retention[record.retentionClass];
    if (!rc || rc.store !== 'vault') return [];
    const until = legalExpiry(rc, new Date(record.createdAt), withdrawnAt);
    return until && until > withdrawnAt ? [{ record, until }] : [];
  });
}

/** One receipt line per class of retained records: how many, and until when the last is kept. */
export function retainedRecordClasses(c: Catalogue, retained: readonly RecordToRetain[]) {
  const byClass = new Map<string, { records: number; until: Date }>();
  for (const { record, until } of retained) {
    const seen = byClass.get(record.retentionClass);
    byClass.set(record.retentionClass, {
      records: (seen?.records ?? 0) + 1,
      until: seen && seen.until > until ? seen.until : until,
    });
  }
  return [...byClass].map(([classId, { records, until }]) => {
    const rc = c.retention[classId]!;
    return {
      class: classId,
      label: rc.label,
      ...(rc.law ? { law: rc.law } : {}),
      use: rc.use,
      until: until.toISOString(),
      records,
    };
  });
}
