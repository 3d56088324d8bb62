import { describe, expect, it } from 'vitest';
import {
  durationInDays,
  epochSeconds,
  seoulDay,
  seoulDaysEndingAt,
  shiftInSeoul,
} from '../../model/calendar';
import { formatDuration } from '../../policy/duration';

describe('calendar durations', () => {
  it('adds a calendar month across a month end, clamping to the last day', () => {
    expect(shiftInSeoul(new Date('2027-01-31T00:00:00Z'), { months: 1 }).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('adds a calendar month into a leap-year February', () => {
    expect(shiftInSeoul(new Date('2028-01-31T00:00:00Z'), { months: 1 }).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('counts a year from a leap day', () => {
    expect(shiftInSeoul(new Date('2028-02-29T00:00:00Z'), { years: 1 }).toISOString()).toBe(
      '2029-02-28T00:00:00.000Z',
    );
  });

  it('subtracts what it adds for day durations', () => {
    const d = new Date('2027-06-15T12:00:00Z');
    expect(shiftInSeoul(shiftInSeoul(d, { days: 30 }, -1), { days: 30 })).toEqual(d);
  });

  it('measures durations in days from a start date', () => {
    expect(durationInDays({ months: 6 }, new Date('2027-01-01T00:00:00Z'))).toBe(181);
    expect(durationInDays({ years: 1 }, new Date('2027-01-01T00:00:00Z'))).toBe(365);
  });

  it('writes durations in plain English', () => {
    expect(formatDuration({ years: 1 })).toBe('1 year');
    expect(formatDuration({ months: 6 })).toBe('6 months');
    expect(formatDuration({ years: 1, days: 30 })).toBe('1 year 30 days');
  });
});

describe('Seoul clock', () => {
  it('puts 15:00 UTC on the next day in Seoul', () => {
    expect(seoulDay(new Date('2027-03-01T15:00:00Z'))).toBe('2027-03-02');
    expect(seoulDay(new Date('2027-03-01T14:59:59Z'))).toBe('2027-03-01');
  });

  it('lists consecutive Seoul days ending today, oldest first', () => {
    expect(seoulDaysEndingAt(new Date('2027-03-01T00:00:00+09:00'), 3)).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
    ]);
  });

  it('converts to epoch seconds for TTL', () => {
    expect(epochSeconds(new Date('1970-01-01T00:01:00.999Z'))).toBe(60);
  });
});
