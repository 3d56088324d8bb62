/**
 * Retention periods from the catalogue, translated into what AWS can express: CloudWatch Logs
 * retention days and table tags. Pure, so the translation is unit-tested apart from any stack.
 */

import { durationInDays } from '../model/calendar';
import type { TableDefinition } from '../model/resources';
import { isoDuration } from '../policy/duration';
import type { Text } from '../policy/i18n';
import type { Catalogue, Duration, RetentionClass } from '../policy/schema';

/** The retention periods CloudWatch Logs accepts, in days, ascending. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Days in a four-year leap cycle: the longest calendar span of any period starts within one. */
const LEAP_CYCLE_DAYS = 1461;
const CYCLE_START = Date.UTC(2024, 0, 1);

/**
 * The longest span `period` covers, in days, over every start day of a leap cycle: 6 months
 * is at most 184 days and 2 years at most 731, where 31-day months and 366-day years would
 * overshoot (186, 732) and push retention to the next, much longer CloudWatch step.
 */
export function longestSpanInDays(period: Duration): number {
  let longest = 0;
  for (let day = 0; day < LEAP_CYCLE_DAYS; day++) {
    longest = Math.max(longest, durationInDays(period, new Date(CYCLE_START + day * 86_400_000)));
  }
  return longest;
}

/** The shortest span `period` covers, in days, over every start day of a leap cycle. */
export function shortestSpanInDays(period: Duration): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let day = 0; day < LEAP_CYCLE_DAYS; day++) {
    shortest = Math.min(shortest, durationInDays(period, new Date(CYCLE_START + day * 86_400_000)));
  }
  return shortest;
}

/**
 * CloudWatch retention for a period. A period a law requires (`at-least`) rounds up to the
 * shortest retention that keeps a record for all of it, whatever day it was written; a period
 * the operator promises as a limit (`at-most`) rounds down, so nothing outlives the promise.
 */
export function logRetentionDays(period: Duration, bound: 'at-least' | 'at-most' = 'at-least'): number {
  if (bound === 'at-most') {
    const limit = shortestSpanInDays(period);
    const days = [...CLOUDWATCH_RETENTION_DAYS].reverse().find((allowed) => allowed <= limit);
    if (days === undefined)
      throw new RangeError(`No CloudWatch Logs retention is as short as ${limit} days.`);
    return days;
  }
  const needed = longestSpanInDays(period);
  const days = CLOUDWATCH_RETENTION_DAYS.find((allowed) => allowed >= needed);
  if (days === undefined) {
    throw new RangeError(
      `A retention of ${needed} days exceeds the longest CloudWatch Logs retention (3653 days).`,
    );
  }
  return days;
}

/** A period as an ISO 8601 duration (`P1Y6M`), or `until-withdrawal` as it is. */
export function isoPeriod(period: RetentionClass['period']): string {
  return period === 'until-withdrawal' ? period : isoDuration(period);
}

/** The retention class whose period applies to the API's access logs and every log group. */
export function accessLogClass(catalogue: Catalogue): { id: string; period: Duration; law?: Text } {
  const id = catalogue.recordClasses.accessLog;
  const period = catalogue.retention[id]?.period;
  const law = catalogue.retention[id]?.law;
  // loadCatalogue already refuses both; the guard keeps the type honest.
  if (period === undefined || period === 'until-withdrawal') {
    throw new RangeError(`recordClasses.accessLog: class "${id}" needs a period`);
  }
  return { id, period, ...(law ? { law } : {}) };
}

/** Days of CloudWatch Logs retention for the catalogue's access-log class. */
export function accessLogRetentionDays(catalogue: Catalogue): number {
  const cls = accessLogClass(catalogue);
  // A law sets a minimum to keep (littleone's visit records); otherwise the policy's period is
  // a promise to destroy after it (lgcns's 6 months), so logs must not outlive it.
  return logRetentionDays(cls.period, cls.law ? 'at-least' : 'at-most');
}

/** Tag values describing how long a table's items live. */
export interface RetentionTags {
  /** The retention class id, or `vault` for the table that holds every legal-hold class. */
  readonly class: string;
  /** ISO 8601 period, `until-withdrawal`, or `none` when the profile keeps nothing there. */
  readonly period: string;
}

/** The retention tags of a table, or undefined when no catalogue class governs its items. */
export function tableRetentionTags(catalogue: Catalogue, table: TableDefinition): RetentionTags | undefined {
  const role = table.retention;
  if (role === undefined) return undefined;
  if (role === 'vault') {
    // The vault holds many classes; its tag names the longest so nobody purges it too early.
    const periods = Object.values(catalogue.retention)
      .filter((rc) => rc.store === 'vault')
      .map((rc) => rc.period)
      .filter((p): p is Duration => p !== 'until-withdrawal')
      .sort((a, b) => longestSpanInDays(b) - longestSpanInDays(a));
    return { class: 'vault', period: periods[0] ? isoPeriod(periods[0]) : 'none' };
  }
  const classId = catalogue.recordClasses[role];
  const rc = catalogue.retention[classId];
  if (!rc) throw new RangeError(`recordClasses.${role} names unknown retention class "${classId}"`);
  return { class: classId, period: isoPeriod(rc.period) };
}
