import { describe, expect, it } from 'vitest';
import { isOverdue, requestDeadline } from '../../lambdas/features/requests/rules';
import { addToSeoulDay } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';

const c = loadCatalogue('littleone');

describe('request deadlines', () => {
  it('L14: PIPA gives 10 days, counted in Asia/Seoul days', () => {
    expect(requestDeadline(c, 'pipa', new Date('2026-03-05T02:00:00Z'))).toBe('2026-03-15');
    // 16:00 UTC is already the next day in Seoul.
    expect(requestDeadline(c, 'pipa', new Date('2026-03-05T16:00:00Z'))).toBe('2026-03-16');
    expect(requestDeadline(c, 'pipa', new Date('2026-02-25T00:00:00Z'))).toBe('2026-03-07');
  });

  it('L16: GDPR gives one calendar month, clamped at month ends and leap years', () => {
    expect(requestDeadline(c, 'gdpr', new Date('2026-03-05T02:00:00Z'))).toBe('2026-04-05');
    expect(requestDeadline(c, 'gdpr', new Date('2023-01-31T02:00:00Z'))).toBe('2023-02-28');
    expect(requestDeadline(c, 'gdpr', new Date('2024-01-31T02:00:00Z'))).toBe('2024-02-29');
    expect(requestDeadline(c, 'gdpr', new Date('2024-03-31T02:00:00Z'))).toBe('2024-04-30');
    expect(requestDeadline(c, 'gdpr', new Date('2026-12-31T02:00:00Z'))).toBe('2027-01-31');
  });

  it('L16: an extension runs from the receipt, so month ends clamp once', () => {
    expect(requestDeadline(c, 'gdpr', new Date('2024-01-31T02:00:00Z'), 2)).toBe('2024-04-30');
    expect(requestDeadline(c, 'gdpr', new Date('2023-11-30T02:00:00Z'), 2)).toBe('2024-02-29');
    expect(requestDeadline(c, 'gdpr', new Date('2026-05-31T02:00:00Z'), 1)).toBe('2026-07-31');
  });

  it('adds calendar periods to a day whatever the time zone', () => {
    expect(addToSeoulDay('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addToSeoulDay('2026-12-25', { days: 10 })).toBe('2027-01-04');
  });

  it('L14: a request is overdue from the day after its deadline, until it is closed', () => {
    const open = { status: 'open' as const, deadline: '2026-03-15' };
    expect(isOverdue(open, new Date('2026-03-15T14:59:59Z'))).toBe(false);
    expect(isOverdue(open, new Date('2026-03-15T15:00:00Z'))).toBe(true);
    expect(isOverdue({ ...open, status: 'awaiting-verification' }, new Date('2026-04-01T00:00:00Z'))).toBe(
      true,
    );
    expect(isOverdue({ ...open, status: 'completed' }, new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });
});
