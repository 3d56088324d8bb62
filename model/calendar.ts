/** Time as the policies count it: days in Asia/Seoul (UTC+9, no daylight saving). */

const SEOUL_OFFSET_MS = 9 * 3_600_000;

/** The Asia/Seoul calendar day of an instant, as YYYY-MM-DD. */
export function seoulDay(instant: Date): string {
  return new Date(instant.getTime() + SEOUL_OFFSET_MS).toISOString().slice(0, 10);
}

/** The `count` Asia/Seoul days ending with the day of `instant`, oldest first. */
export function seoulDaysEndingAt(instant: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    seoulDay(new Date(instant.getTime() - (count - 1 - i) * 86_400_000)),
  );
}

/** Epoch seconds, the unit of DynamoDB TTL attributes. */
export function epochSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}
