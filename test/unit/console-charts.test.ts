import { describe, expect, it } from 'vitest';
import {
  deadlinePerformance,
  lastWeeks,
  niceStep,
  performanceOf,
  requestsByStatusAndWeek,
  stackedBars,
  weekOf,
} from '../../web/console/charts';
import type { LedgerRequest } from '../../web/console/ledger';

/** Monday 30 November 2026, 10:00 in Seoul. */
const NOW = new Date('2026-11-30T01:00:00Z');

function request(
  receivedAt: string,
  deadline: string,
  status: LedgerRequest['status'],
  closedAt?: string,
): LedgerRequest {
  return {
    requestId: `${receivedAt}-${status}`,
    memberId: 'm',
    type: 'access',
    channel: 'phone',
    jurisdiction: 'pipa',
    receivedAt,
    deadline,
    status,
    handler: 'officer-kim',
    overdue: false,
    ...(closedAt ? { closedAt } : {}),
  };
}

describe('Seoul weeks', () => {
  it('start on Monday, by the Seoul calendar', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
    expect(weekOf('2026-12-06')).toBe('2026-11-30');
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
    expect(weekOf('2027-01-01')).toBe('2026-12-28');
    expect(lastWeeks(NOW, 3)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    // Sunday 29 November 23:30 UTC is Monday 30 November 08:30 in Seoul.
    expect(lastWeeks(new Date('2026-11-29T23:30:00Z'), 1)).toEqual(['2026-11-30']);
  });
});

describe('requests by status and week', () => {
  it('counts each request in the Seoul week it was received, acting as open, older ones left out', () => {
    const series = requestsByStatusAndWeek(
      [
        // Sunday 29 November 16:00 UTC is Monday 30 November 01:00 in Seoul: this week.
        request('2026-11-29T16:00:00Z', '2026-12-10', 'open'),
        request('2026-11-30T00:00:00Z', '2026-12-10', 'acting'),
        request('2026-11-24T00:00:00Z', '2026-12-04', 'completed', '2026-11-25T00:00:00Z'),
        request('2026-11-24T00:00:00Z', '2026-12-04', 'refused', '2026-11-25T00:00:00Z'),
        request('2026-11-22T00:00:00Z', '2026-12-02', 'awaiting-verification'),
        request('2026-01-01T00:00:00Z', '2026-01-11', 'completed', '2026-01-02T00:00:00Z'),
      ],
      NOW,
      3,
    );
    expect(series.keys).toEqual(['awaiting-verification', 'open', 'completed', 'refused']);
    expect(series.rows).toEqual([
      { week: '2026-11-16', counts: { 'awaiting-verification': 1, open: 0, completed: 0, refused: 0 } },
      { week: '2026-11-23', counts: { 'awaiting-verification': 0, open: 0, completed: 1, refused: 1 } },
      { week: '2026-11-30', counts: { 'awaiting-verification': 0, open: 2, completed: 0, refused: 0 } },
    ]);
  });
});

describe('deadline performance', () => {
  it('judges a request by the Seoul day it was closed against its deadline day', () => {
    // Closed at 23:59 KST on the deadline day: on time; at 00:01 KST the next day: late.
    expect(
      performanceOf(request('2026-11-01T00:00:00Z', '2026-11-11', 'completed', '2026-11-11T14:59:00Z'), NOW),
    ).toBe('on-time');
    expect(
      performanceOf(request('2026-11-01T00:00:00Z', '2026-11-11', 'completed', '2026-11-11T15:01:00Z'), NOW),
    ).toBe('late');
    expect(performanceOf(request('2026-11-01T00:00:00Z', '2026-11-29', 'open'), NOW)).toBe('overdue');
    expect(performanceOf(request('2026-11-01T00:00:00Z', '2026-11-30', 'open'), NOW)).toBe('pending');
  });

  it('groups by the week of the deadline and gives the share answered on time', () => {
    const perf = deadlinePerformance(
      [
        request('2026-11-10T00:00:00Z', '2026-11-20', 'completed', '2026-11-19T00:00:00Z'),
        request('2026-11-10T00:00:00Z', '2026-11-20', 'completed', '2026-11-21T00:00:00Z'),
        request('2026-11-15T00:00:00Z', '2026-11-25', 'open'),
        request('2026-11-15T00:00:00Z', '2026-11-25', 'refused', '2026-11-24T00:00:00Z'),
        request('2026-11-25T00:00:00Z', '2026-12-05', 'open'),
        request('2026-11-30T00:00:00Z', '2026-12-10', 'open'),
      ],
      NOW,
      3,
      0,
    );
    expect(perf.rows).toEqual([
      { week: '2026-11-16', counts: { 'on-time': 1, late: 1, overdue: 0, pending: 0 } },
      { week: '2026-11-23', counts: { 'on-time': 1, late: 0, overdue: 1, pending: 0 } },
      { week: '2026-11-30', counts: { 'on-time': 0, late: 0, overdue: 0, pending: 1 } },
    ]);
    expect(perf.onTimeShare).toBe(0.5);
    expect(deadlinePerformance([], NOW).onTimeShare).toBeUndefined();
    // By default the weeks run two past the current one, so running requests show too.
    const ahead = deadlinePerformance([request('2026-11-30T00:00:00Z', '2026-12-10', 'open')], NOW, 4);
    expect(ahead.rows.map((r) => r.week)).toEqual(['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14']);
    expect(ahead.rows[2]!.counts.pending).toBe(1);
  });
});

describe('stacked bar geometry', () => {
  it('picks round axis steps', () => {
    expect(niceStep(0)).toBe(1);
    expect(niceStep(3)).toBe(1);
    expect(niceStep(7)).toBe(2);
    expect(niceStep(17)).toBe(5);
    expect(niceStep(180)).toBe(50);
  });

  it('stacks segments from the axis up, their heights proportional to their values', () => {
    const layout = stackedBars(
      {
        keys: ['a', 'b'] as const,
        rows: [
          { week: 'w1', counts: { a: 2, b: 1 } },
          { week: 'w2', counts: { a: 0, b: 4 } },
        ],
      },
      200,
      140,
      { left: 20, right: 0, top: 0, bottom: 20 },
    );
    expect(layout.plot).toEqual({ left: 20, top: 0, right: 200, bottom: 120 });
    // The top of the axis is 4, 30 units per request.
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4]);
    expect(layout.ticks.at(-1)?.y).toBe(0);
    expect(layout.segments.map((s) => [s.week, s.key, s.value, s.y, s.height])).toEqual([
      ['w1', 'a', 2, 60, 60],
      ['w1', 'b', 1, 30, 30],
      ['w2', 'b', 4, 0, 120],
    ]);
    expect(layout.labels.map((l) => l.x)).toEqual([65, 155]);
    // An empty chart still has an axis.
    const empty = stackedBars({ keys: ['a'] as const, rows: [{ week: 'w', counts: { a: 0 } }] }, 100, 100);
    expect(empty.segments).toEqual([]);
    expect(empty.ticks.map((t) => t.value)).toEqual([0, 1]);
  });
});
