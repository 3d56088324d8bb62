/**
 * The console's charts as data: requests by status and week, and deadline performance, counted
 * in Asia/Seoul weeks (Monday to Sunday), plus the geometry of a stacked bar chart. Views draw
 * the SVG and the table alternative from the same series, so both always say the same.
 */
import { addToSeoulDay, seoulDay } from '../../model/calendar';
import { isUnfinished, type LedgerRequest, type RequestStatus } from './ledger';

/** The Monday (YYYY-MM-DD) of the Seoul week holding Seoul day `day`. */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addToSeoulDay(day, { days: -((weekday + 6) % 7) });
}

/** The Mondays of the `count` Seoul weeks ending with the week of `now`, oldest first. */
export function lastWeeks(now: Date, count: number): string[] {
  const current = weekOf(seoulDay(now));
  return Array.from({ length: count }, (_, i) => addToSeoulDay(current, { days: -7 * (count - 1 - i) }));
}

/** A chart's data: one row per week, one count per series key. */
export interface Series<K extends string> {
  readonly keys: readonly K[];
  readonly rows: readonly { readonly week: string; readonly counts: Readonly<Record<K, number>> }[];
}

/** The statuses the status chart stacks; `acting` counts as `open` (it is open, being acted on). */
export const STATUS_KEYS = ['awaiting-verification', 'open', 'completed', 'refused'] as const;
/** A key of the status chart. */
export type StatusKey = (typeof STATUS_KEYS)[number];

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Requests received in each of the last `weeks` Seoul weeks, by their status now. */
export function requestsByStatusAndWeek(
  requests: readonly LedgerRequest[],
  now: Date,
  weeks = 8,
): Series<StatusKey> {
  const mondays = lastWeeks(now, weeks);
  const rows = new Map(mondays.map((w) => [w, zeros(STATUS_KEYS)]));
  for (const r of requests) {
    const row = rows.get(weekOf(seoulDay(new Date(r.receivedAt))));
    if (!row) continue;
    const status: StatusKey =
      r.status === ('acting' satisfies RequestStatus) ? 'open' : (r.status as StatusKey);
    row[status]++;
  }
  return { keys: STATUS_KEYS, rows: mondays.map((week) => ({ week, counts: rows.get(week)! })) };
}

/** How the requests due in a week fared: answered on time, answered late, past due and unanswered, still running. */
export const PERFORMANCE_KEYS = ['on-time', 'late', 'overdue', 'pending'] as const;
/** A key of the deadline performance chart. */
export type PerformanceKey = (typeof PERFORMANCE_KEYS)[number];

/**
 * Where a request stands against its deadline: closed on or before the deadline's Seoul day
 * (`on-time`) or after it (`late`); unfinished past it (`overdue`) or not yet (`pending`).
 */
export function performanceOf(r: LedgerRequest, now: Date): PerformanceKey {
  if (isUnfinished(r)) return seoulDay(now) > r.deadline ? 'overdue' : 'pending';
  const closed = r.closedAt ?? r.outcome?.at;
  if (!closed) return 'on-time';
  return seoulDay(new Date(closed)) <= r.deadline ? 'on-time' : 'late';
}

/**
 * Requests whose deadline falls in each of `weeks` Seoul weeks, by how they fared: the weeks end
 * `ahead` weeks after the current one, so the requests still running show beside the past.
 */
export function deadlinePerformance(
  requests: readonly LedgerRequest[],
  now: Date,
  weeks = 8,
  ahead = 2,
): Series<PerformanceKey> & { readonly onTimeShare: number | undefined } {
  const mondays = lastWeeks(new Date(now.getTime() + ahead * 7 * 86_400_000), weeks);
  const rows = new Map(mondays.map((w) => [w, zeros(PERFORMANCE_KEYS)]));
  let answered = 0;
  let onTime = 0;
  for (const r of requests) {
    const row = rows.get(weekOf(r.deadline));
    if (!row) continue;
    const key = performanceOf(r, now);
    row[key]++;
    if (key !== 'pending') answered++;
    if (key === 'on-time') onTime++;
  }
  return {
    keys: PERFORMANCE_KEYS,
    rows: mondays.map((week) => ({ week, counts: rows.get(week)! })),
    // Of the requests whose deadline has come (or that are answered): the share answered in time.
    onTimeShare: answered === 0 ? undefined : onTime / answered,
  };
}

/** One drawn segment of a stacked bar. */
export interface BarSegment<K extends string> {
  readonly week: string;
  readonly key: K;
  readonly value: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The geometry of a stacked bar chart in a `width` × `height` viewBox. */
export interface StackedLayout<K extends string> {
  readonly segments: readonly BarSegment<K>[];
  /** Values of the horizontal grid lines, with their y. */
  readonly ticks: readonly { readonly value: number; readonly y: number }[];
  /** Where each week's label goes. */
  readonly labels: readonly { readonly week: string; readonly x: number }[];
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
}

/** A round step for the value axis: 1, 2 or 5 times a power of ten, about `target` ticks. */
export function niceStep(max: number, target = 4): number {
  if (max <= 0) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.max(1, step);
}

/** Lays out a series as stacked bars, zero-height segments left out, the axis topped at a round value. */
export function stackedBars<K extends string>(
  series: Series<K>,
  width: number,
  height: number,
  margin = { left: 32, right: 8, top: 8, bottom: 28 },
): StackedLayout<K> {
  const plot = {
    left: margin.left,
    top: margin.top,
    right: width - margin.right,
    bottom: height - margin.bottom,
  };
  const totals = series.rows.map((row) => series.keys.reduce((sum, k) => sum + row.counts[k], 0));
  const step = niceStep(Math.max(0, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const scale = (plot.bottom - plot.top) / top;
  const slot = (plot.right - plot.left) / Math.max(1, series.rows.length);
  const barWidth = slot * 0.6;
  const segments: BarSegment<K>[] = [];
  const labels: { week: string; x: number }[] = [];
  series.rows.forEach((row, i) => {
    const x = plot.left + i * slot + (slot - barWidth) / 2;
    labels.push({ week: row.week, x: x + barWidth / 2 });
    let base = plot.bottom;
    for (const key of series.keys) {
      const value = row.counts[key];
      if (value === 0) continue;
      const h = value * scale;
      base -= h;
      segments.push({ week: row.week, key, value, x, y: base, width: barWidth, height: h });
    }
  });
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => ({
    value: i * step,
    y: plot.bottom - i * step * scale,
  }));
  return { segments, ticks, labels, plot };
}
