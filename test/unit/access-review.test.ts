/**
 * The rules of the monthly review of handler access records (Korean safety standard Art. 8):
 * the month a run reviews, working hours in Asia/Seoul, unusual volume against the officer's own
 * history, the due day and the evidence's bounds. Pure; run under three host time zones.
 */
import { describe, expect, it } from 'vitest';
import {
  assembleEvidence,
  EVIDENCE_LIST_LIMIT,
  isReviewOverdue,
  monthBounds,
  monthToReview,
  outsideWorkingHours,
  type ReviewedRecord,
  reviewDueBy,
  shiftMonth,
} from '../../lambdas/features/access-review/rules';
import { loadCatalogue } from '../../policy/catalogue';

const c = loadCatalogue('littleone');
const rec = (officerId: string, at: string, extra: Partial<ReviewedRecord> = {}): ReviewedRecord => ({
  seq: 1,
  at: new Date(at).toISOString(),
  officerId,
  action: 'get-admin-member',
  ...extra,
});

describe('the monthly access review (Korean safety standard Art. 8)', () => {
  it('Art. 8: a run reviews the Seoul month before its own, across a year end', () => {
    expect(monthToReview(new Date('2026-12-01T02:00:00+09:00'))).toBe('2026-11');
    // 1 January 00:30 in Seoul is still 31 December in UTC.
    expect(monthToReview(new Date('2027-01-01T00:30:00+09:00'))).toBe('2026-12');
    expect(shiftMonth('2026-01', -3)).toBe('2025-10');
    expect(monthBounds('2026-12')).toEqual({
      start: new Date('2026-11-30T15:00:00Z'),
      end: new Date('2026-12-31T15:00:00Z'),
    });
  });

  it("Art. 8: working hours are the catalogue's, on Seoul weekdays", () => {
    expect(outsideWorkingHours(c, new Date('2026-10-06T09:00:00+09:00'))).toBe(false);
    expect(outsideWorkingHours(c, new Date('2026-10-06T17:59:00+09:00'))).toBe(false);
    expect(outsideWorkingHours(c, new Date('2026-10-06T18:00:00+09:00'))).toBe(true);
    expect(outsideWorkingHours(c, new Date('2026-10-06T08:59:00+09:00'))).toBe(true);
    // Saturday in Seoul, Friday in UTC.
    expect(outsideWorkingHours(c, new Date('2026-10-03T08:30:00+09:00'))).toBe(true);
    const weekend = {
      ...c,
      accessReview: {
        ...c.accessReview,
        workingHours: { from: '00:00', to: '23:59', days: ['sat' as const] },
      },
    };
    expect(outsideWorkingHours(weekend, new Date('2026-10-03T08:30:00+09:00'))).toBe(false);
  });

  it("Art. 8: a volume is unusual above the factor times the officer's mean, from the minimum on", () => {
    const month = (officerId: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        rec(officerId, `2026-10-0${1 + (i % 5)}T10:00:00+09:00`, { seq: i }),
      );
    // 3 history months: officer-a averaged 10, officer-b 2 (6 in all), officer-c has no history.
    const history = new Map([
      ['officer-a', 30],
      ['officer-b', 6],
    ]);
    const evidence = assembleEvidence(
      c,
      [...month('officer-a', 31), ...month('officer-b', 19), ...month('officer-c', 20)],
      history,
    );
    expect(evidence.map((e) => [e.officerId, e.baseline, e.unusualVolume])).toEqual([
      ['officer-a', 10, true],
      ['officer-b', 2, false],
      ['officer-c', 0, true],
    ]);
    const exactly = assembleEvidence(c, month('officer-a', 30), history);
    expect(exactly[0]!.unusualVolume).toBe(false);
  });

  it('Art. 8: downloads keep their reasons; lists stay one item and the totals stay whole', () => {
    const many = Array.from({ length: EVIDENCE_LIST_LIMIT + 20 }, (_, i) =>
      rec('officer-a', '2026-10-04T23:00:00+09:00', {
        seq: i,
        memberId: `m${i}`,
        download: true,
        reason: `request ${i}`,
      }),
    );
    const [e] = assembleEvidence(c, many, new Map());
    expect(e!.downloads).toHaveLength(EVIDENCE_LIST_LIMIT);
    expect(e!.downloads[0]).toMatchObject({ memberId: 'm0', reason: 'request 0' });
    expect(e!.outsideHours).toHaveLength(EVIDENCE_LIST_LIMIT);
    expect(Object.keys(e!.byMember)).toHaveLength(EVIDENCE_LIST_LIMIT);
    expect(e!.members).toBe(EVIDENCE_LIST_LIMIT + 20);
    expect(e!.totals).toEqual({
      downloads: EVIDENCE_LIST_LIMIT + 20,
      outsideHours: EVIDENCE_LIST_LIMIT + 20,
    });
  });

  it('Art. 8: an open review is overdue from the day after its due day (Seoul), a signed-off one never', () => {
    const dueBy = reviewDueBy(c, '2026-11');
    expect(dueBy).toBe('2026-12-15');
    expect(isReviewOverdue({ status: 'open', dueBy }, new Date('2026-12-15T23:59:00+09:00'))).toBe(false);
    expect(isReviewOverdue({ status: 'open', dueBy }, new Date('2026-12-16T00:00:00+09:00'))).toBe(true);
    expect(isReviewOverdue({ status: 'signed-off', dueBy }, new Date('2027-06-01T00:00:00+09:00'))).toBe(
      false,
    );
  });
});
