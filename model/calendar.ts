/**
 * The one calendar of the product: days and periods as the policies count them, in Asia/Seoul,
 * whatever the time zone of the host (Lambda runs in UTC, an operator's laptop may not). TTLs,
 * request deadlines, inactivity, notices and what a member is shown are all computed here, so a
 * date a member is told is the date the engine acts on.
 */
import { TZDate } from '@date-fns/tz';
import { add } from 'date-fns';
import type { Duration } from '../policy/schema';

/** The time zone the policies count days in. */
export const SEOUL_TIME_ZONE = 'Asia/Seoul';

/** The Asia/Seoul calendar day of an instant, as YYYY-MM-DD. */
export function seoulDay(instant: Date): string {
  const local = new TZDate(instant.getTime(), SEOUL_TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The `count` Asia/Seoul days ending with the day of `instant`, oldest first. */
export function seoulDaysEndingAt(instant: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    seoulDay(shiftInSeoul(instant, { days: count - 1 - i }, -1)),
  );
}

/**
 * `instant` moved by `sign` × `d` on the Seoul calendar: years and months first (a month past
 * Jan 31 is Feb 28/29), then days, keeping the Seoul time of day. A year that starts at 01:00 on
 * 1 March in Seoul ends at 01:00 on 1 March.
 */
export function shiftInSeoul(instant: Date, d: Duration, sign: 1 | -1 = 1): Date {
  const local = new TZDate(instant.getTime(), SEOUL_TIME_ZONE);
  const moved = add(local, {
    years: sign * (d.years ?? 0),
    months: sign * (d.months ?? 0),
    days: sign * (d.days ?? 0),
  });
  return new Date(moved.getTime());
}

/** A Seoul calendar day (YYYY-MM-DD) moved forward by `d`; month ends clamp. */
export function addToSeoulDay(day: string, d: Duration): string {
  // Noon in Seoul: the day stays the day, whatever the arithmetic does to the hour.
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return seoulDay(shiftInSeoul(new TZDate(year, month - 1, date, 12, SEOUL_TIME_ZONE), d));
}

/** The number of whole days `d` spans when it starts on `from` (default: the Unix epoch). */
export function durationInDays(d: Duration, from = new Date(0)): number {
  return Math.round((shiftInSeoul(from, d).getTime() - from.getTime()) / 86_400_000);
}

/** Epoch seconds, the unit of DynamoDB TTL attributes. */
export function epochSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}
