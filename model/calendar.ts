/**
 * The one calendar of the product: days and periods as the policies count them, in Asia/Seoul,
 * whatever the time zone of the host (Lambda runs in UTC, an operator's laptop may not). TTLs,
 * request deadlines, inactivity, notices and what a member is shown are all computed here, so a
 * date a member is told is the date the engine acts on.
 */
import { tzOffset } from '@date-fns/tz/tzOffset';
import { UTCDateMini } from '@date-fns/utc/date/mini';
import { add } from 'date-fns';
import type { Language } from '../policy/i18n';
import type { Duration } from '../policy/schema';

/** The time zone the policies count days in. */
export const SEOUL_TIME_ZONE = 'Asia/Seoul';

const MINUTE_MS = 60_000;

/**
 * The Seoul wall clock of an instant, as a date whose UTC fields read that clock: date-fns then
 * does calendar arithmetic on it in UTC, which no host time zone can disturb.
 */
function seoulWallClock(instant: Date): Date {
  return new UTCDateMini(instant.getTime() + tzOffset(SEOUL_TIME_ZONE, instant) * MINUTE_MS);
}

/** The instant a Seoul wall-clock reading (UTC fields, as {@link seoulWallClock} makes) stands for. */
function fromSeoulWallClock(wall: Date): Date {
  const guess = new Date(wall.getTime() - tzOffset(SEOUL_TIME_ZONE, wall) * MINUTE_MS);
  return new Date(wall.getTime() - tzOffset(SEOUL_TIME_ZONE, guess) * MINUTE_MS);
}

/** The Asia/Seoul calendar day of an instant, as YYYY-MM-DD. */
export function seoulDay(instant: Date): string {
  return seoulWallClock(instant).toISOString().slice(0, 10);
}

/** The first instant of a Seoul calendar day (YYYY-MM-DD): its midnight in Asia/Seoul. */
export function seoulMidnight(day: string): Date {
  return fromSeoulWallClock(new Date(`${day}T00:00:00Z`));
}

/** The Asia/Seoul date and time of an instant to the minute, as YYYY-MM-DD HH:mm. */
export function seoulClock(instant: Date): string {
  const iso = seoulWallClock(instant).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
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
  const moved = add(seoulWallClock(instant), {
    years: sign * (d.years ?? 0),
    months: sign * (d.months ?? 0),
    days: sign * (d.days ?? 0),
  });
  return fromSeoulWallClock(moved);
}

/** A Seoul calendar day (YYYY-MM-DD) moved forward by `d`; month ends clamp. */
export function addToSeoulDay(day: string, d: Duration): string {
  // The day itself as a wall clock at noon: only its date is read back.
  const moved = add(new UTCDateMini(`${day}T12:00:00Z`), {
    years: d.years ?? 0,
    months: d.months ?? 0,
    days: d.days ?? 0,
  });
  return moved.toISOString().slice(0, 10);
}

/** The number of whole days `d` spans when it starts on `from` (default: the Unix epoch). */
export function durationInDays(d: Duration, from = new Date(0)): number {
  return Math.round((shiftInSeoul(from, d).getTime() - from.getTime()) / 86_400_000);
}

/** Epoch seconds, the unit of DynamoDB TTL attributes. */
export function epochSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}

/** The locale each language formats dates in: British English writes the day before the month. */
const DATE_LOCALES: Readonly<Record<Language, string>> = { ko: 'ko-KR', en: 'en-GB' };

const dayFormats = new Map<Language, Intl.DateTimeFormat>();
const clockFormats = new Map<Language, Intl.DateTimeFormat>();

function dayFormat(lang: Language): Intl.DateTimeFormat {
  let format = dayFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(DATE_LOCALES[lang], {
      timeZone: SEOUL_TIME_ZONE,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    });
    dayFormats.set(lang, format);
  }
  return format;
}

/** The Seoul calendar day of an instant as a person reads it: "2027년 12월 1일" / "1 December 2027". */
export function seoulDateText(instant: Date, lang: Language): string {
  return dayFormat(lang).format(instant);
}

/**
 * The Seoul date and time of an instant as a person reads it, to the minute:
 * "2027년 12월 1일 03:00 KST" / "1 December 2027, 03:00 KST".
 */
export function seoulDateTimeText(instant: Date, lang: Language): string {
  let clock = clockFormats.get(lang);
  if (!clock) {
    clock = new Intl.DateTimeFormat(DATE_LOCALES[lang], {
      timeZone: SEOUL_TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(lang, clock);
  }
  const day = seoulDateText(instant, lang);
  return `${day}${lang === 'en' ? ',' : ''} ${clock.format(instant)} KST`;
}

/** A Seoul calendar day (YYYY-MM-DD) as a person reads it. */
export function seoulDayText(day: string, lang: Language): string {
  // Noon in Seoul is that day whatever the offset.
  return seoulDateText(new Date(`${day}T12:00:00+09:00`), lang);
}
