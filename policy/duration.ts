/** Catalogue durations in words and in ISO 8601; calendar arithmetic on them is model/calendar.ts. */
/** A calendar duration; the catalogue's schema (schema.ts) validates it. */
interface Duration {
  readonly years?: number | undefined;
  readonly months?: number | undefined;
  readonly days?: number | undefined;
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

/** A duration as a person reads it in `lang`: "1년", "6개월", "30일" / "1 year", "6 months". */
export function durationText(d: Duration, lang: 'ko' | 'en'): string {
  if (lang === 'en') return formatDuration(d);
  const parts: string[] = [];
  if (d.years) parts.push(`${d.years}년`);
  if (d.months) parts.push(`${d.months}개월`);
  if (d.days) parts.push(`${d.days}일`);
  return parts.join(' ');
}

/** ISO 8601 form of a duration, e.g. P1Y, P6M, P30D. */
export function isoDuration(d: Duration): string {
  return `P${d.years ? `${d.years}Y` : ''}${d.months ? `${d.months}M` : ''}${d.days ? `${d.days}D` : ''}`;
}

const wholeMonths = (d: Duration) => (d.years ?? 0) * 12 + (d.months ?? 0);

/** Whether `d` is at least `months` calendar months from any start day (days count as if months had 31). */
export function atLeastMonths(d: Duration, months: number): boolean {
  return wholeMonths(d) * 31 + (d.days ?? 0) >= months * 31;
}

/** Whether `d` is at most `months` calendar months from any start day (days count as if months had 28). */
export function atMostMonths(d: Duration, months: number): boolean {
  return wholeMonths(d) * 28 + (d.days ?? 0) <= months * 28;
}
