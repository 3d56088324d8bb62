import { describe, expect, it } from 'vitest';
import { ACTIONS_BY_TYPE as API_ACTIONS_BY_TYPE } from '../../lambdas/features/requests/rules';
import { RESTRICTION_SCOPES as API_SCOPES } from '../../model/routes/item-schemas';
import {
  PROVISION_LEGAL_BASES as API_BASES,
  OFFLINE_CHANNELS as API_CHANNELS,
  JURISDICTIONS as API_JURISDICTIONS,
  VERIFICATION_METHODS as API_METHODS,
  REQUEST_TYPES as API_TYPES,
} from '../../model/routes/officer';
import {
  ACTIONS_BY_TYPE,
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  PROVISION_LEGAL_BASES,
  REQUEST_TYPES,
  RESTRICTION_SCOPES,
  VERIFICATION_METHODS,
} from '../../web/console/forms';
import {
  daysBetween,
  deadlineBucket,
  deadlineCounts,
  inBucket,
  type LedgerRequest,
  nextSteps,
  queueOrder,
} from '../../web/console/ledger';

/** 30 November 2026, 23:30 in Seoul: still the 30th there, already past midnight nowhere else that matters. */
const NOW = new Date('2026-11-30T14:30:00Z');

function request(
  id: string,
  deadline: string,
  status: LedgerRequest['status'] = 'open',
  extra: Partial<LedgerRequest> = {},
): LedgerRequest {
  return {
    requestId: id,
    memberId: `m-${id}`,
    type: 'deletion',
    channel: 'letter',
    jurisdiction: 'pipa',
    receivedAt: '2026-11-20T01:00:00.000Z',
    deadline,
    status,
    handler: 'officer-kim',
    overdue: false,
    ...extra,
  };
}

describe('deadline buckets (Seoul calendar)', () => {
  it('counts overdue from the day after the deadline, due today on it, due soon within three days', () => {
    expect(deadlineBucket(request('a', '2026-11-29'), NOW)).toBe('overdue');
    expect(deadlineBucket(request('b', '2026-11-30'), NOW)).toBe('due-today');
    expect(deadlineBucket(request('c', '2026-12-01'), NOW)).toBe('due-soon');
    expect(deadlineBucket(request('d', '2026-12-03'), NOW)).toBe('due-soon');
    expect(deadlineBucket(request('e', '2026-12-04'), NOW)).toBe('later');
    expect(deadlineBucket(request('f', '2026-11-01', 'completed'), NOW)).toBe('closed');
    expect(deadlineBucket(request('g', '2026-11-01', 'refused'), NOW)).toBe('closed');
  });

  it('reads the day in Seoul: at 00:30 KST on 1 December a request due on 30 November is overdue', () => {
    const justAfterMidnight = new Date('2026-11-30T15:30:00Z');
    expect(deadlineBucket(request('a', '2026-11-30'), NOW)).toBe('due-today');
    expect(deadlineBucket(request('a', '2026-11-30'), justAfterMidnight)).toBe('overdue');
    expect(deadlineBucket(request('b', '2026-12-01'), justAfterMidnight)).toBe('due-today');
  });

  it('counts the numbers on top from unfinished requests only, every unfinished status included', () => {
    const ledger = [
      request('a', '2026-11-28', 'awaiting-verification'),
      request('b', '2026-11-29', 'acting'),
      request('c', '2026-11-30'),
      request('d', '2026-12-02'),
      request('e', '2026-12-20'),
      request('f', '2026-11-01', 'completed'),
    ];
    expect(deadlineCounts(ledger, NOW)).toEqual({ overdue: 2, dueToday: 1, dueSoon: 1, unfinished: 5 });
    expect(deadlineCounts([], NOW)).toEqual({ overdue: 0, dueToday: 0, dueSoon: 0, unfinished: 0 });
    expect(inBucket(ledger, 'overdue', NOW).map((r) => r.requestId)).toEqual(['a', 'b']);
    expect(inBucket(ledger, 'unfinished', NOW)).toHaveLength(5);
    expect(inBucket(ledger, 'all', NOW)).toHaveLength(6);
  });

  it('orders the queue by urgency, then deadline, then receipt; closed requests last, newest first', () => {
    const ledger = [
      request('late-closed', '2026-11-01', 'completed', { receivedAt: '2026-10-20T00:00:00Z' }),
      request('new-closed', '2026-11-10', 'refused', { receivedAt: '2026-11-01T00:00:00Z' }),
      request('later', '2026-12-10'),
      request('today-2', '2026-11-30', 'open', { receivedAt: '2026-11-21T00:00:00Z' }),
      request('today-1', '2026-11-30', 'open', { receivedAt: '2026-11-20T00:00:00Z' }),
      request('overdue', '2026-11-25'),
    ];
    expect(queueOrder(ledger, NOW).map((r) => r.requestId)).toEqual([
      'overdue',
      'today-1',
      'today-2',
      'later',
      'new-closed',
      'late-closed',
    ]);
  });

  it('counts days across month and year ends', () => {
    expect(daysBetween('2026-11-30', '2026-12-01')).toBe(1);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-01', '2026-11-30')).toBe(-1);
  });
});

describe('next steps on a request', () => {
  it('verifies before acting, extends only an unextended GDPR request', () => {
    expect(nextSteps(request('a', '2026-12-01', 'awaiting-verification'))).toEqual({
      verify: true,
      act: false,
      extend: false,
    });
    expect(nextSteps(request('a', '2026-12-01'))).toEqual({ verify: false, act: true, extend: false });
    expect(nextSteps(request('a', '2026-12-01', 'open', { jurisdiction: 'gdpr' })).extend).toBe(true);
    const extended = request('a', '2026-12-01', 'open', {
      jurisdiction: 'gdpr',
      extension: { months: 1, reason: 'complex', at: '2026-11-21T00:00:00Z', by: 'officer-kim' },
    });
    expect(nextSteps(extended).extend).toBe(false);
    expect(nextSteps(request('a', '2026-12-01', 'completed', { jurisdiction: 'gdpr' }))).toEqual({
      verify: false,
      act: false,
      extend: false,
    });
  });
});

describe("the console's vocabulary is the API's", () => {
  it('offers exactly the values the API accepts', () => {
    expect(REQUEST_TYPES).toEqual(API_TYPES);
    expect(OFFLINE_CHANNELS).toEqual(API_CHANNELS);
    expect(JURISDICTIONS).toEqual(API_JURISDICTIONS);
    expect(VERIFICATION_METHODS).toEqual(API_METHODS);
    expect(RESTRICTION_SCOPES).toEqual(API_SCOPES);
    expect(PROVISION_LEGAL_BASES).toEqual(API_BASES);
    expect(ACTIONS_BY_TYPE).toEqual(API_ACTIONS_BY_TYPE);
  });
});
