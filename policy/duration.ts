/** Calendar arithmetic on catalogue durations. */
import { add, sub } from 'date-fns';
import type { Duration } from './schema';

/** `date` moved forward by `d`, following the calendar (Jan 31 + 1 month = Feb 28/29). */
export function addDuration(date: Date, d: Duration): Date {
  return add(date, { years: d.years ?? 0, months: d.months ?? 0, days: d.days ?? 0 });
}

/** `date` moved back by `d`, following the calendar. */
export function subtractDuration(date: Date, d: Duration): Date {
  return sub(date, { years: d.years ?? 0, months: d.months ?? 0, days: d.days ?? 0 });
}

/** The number of whole days `d` spans when it starts on `from` (default: the Unix epoch). */
export function durationInDays(d: Duration, from = new Date(0)): number {
  return Math.round((addDuration(from, d).getTime() - from.getTime()) / 86_400_000);
}

/** The longest span `d` can cover, in days, whatever day it starts on. */
export function maxDurationInDays(d: Duration): number {
  return (d.years ?? 0) * 366 + (d.months ?? 0) * 31 + (d.days ?? 0);
}

/** Plain English for a duration, e.g. "1 year", "6 months", "30 days". */
export function formatDuration(d: Duration): string {
  const parts: string[] = [];
  const unit = (n: number | undefined, word: string) => {
    if (n) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  unit(d.years, 'year');
  unit(d.months, 'month');
  unit(d.days, 'day');
  return parts.join(' ');
}

/** ISO 8601 form of a duration, e.g. P1Y, P6M, P30D. */
export function isoDuration(d: Duration): string {
  return `P${d.years ? `${d.years}Y` : ''}${d.months ? `${d.months}M` : ''}${d.days ? `${d.days}D` : ''}`;
}
