/**
 * The Seoul calendar (model/calendar.ts): every date the product computes is a Seoul date,
 * whatever the host's time zone. This file runs under TZ=UTC, Asia/Seoul and America/Los_Angeles
 * (the unit projects of vitest.config.ts), and must give the same answers under each.
 */
import { describe, expect, it } from 'vitest';
import {
  addToSeoulDay,
  durationInDays,
  epochSeconds,
  seoulDay,
  seoulDaysEndingAt,
  seoulMidnight,
  shiftInSeoul,
} from '../../model/calendar';

describe('the Seoul calendar', () => {
  it('runs under the time zone its project names', () => {
    expect(process.env.TZ).toBeDefined();
    expect(new Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(
      process.env.TZ === 'UTC' ? 'UTC' : process.env.TZ,
    );
  });

  it('starts a Seoul day at its midnight in Seoul, 15:00 UTC the day before, in every zone', () => {
    expect(seoulMidnight('2027-01-01').toISOString()).toBe('2026-12-31T15:00:00.000Z');
    expect(seoulMidnight('2028-02-29').toISOString()).toBe('2028-02-28T15:00:00.000Z');
    expect(seoulDay(seoulMidnight('2027-03-14'))).toBe('2027-03-14');
  });

  it('counts a month from 01:00 on 31 March in Seoul (16:00 on 30 March UTC) to 30 April, not 1 May', () => {
    const shifted = shiftInSeoul(new Date('2024-03-30T16:00:00Z'), { months: 1 });
    expect(seoulDay(shifted)).toBe('2024-04-30');
    expect(shifted.toISOString()).toBe('2024-04-29T16:00:00.000Z');
  });

  it('moves a Seoul leap day a year on to 28 February, keeping the Seoul time of day', () => {
    // 00:30 on 29 February in Seoul is still 28 February by UTC.
    const shifted = shiftInSeoul(new Date('2048-02-29T00:30:00+09:00'), { years: 1 });
    expect(shifted.toISOString()).toBe('2049-02-27T15:30:00.000Z');
    expect(seoulDay(shifted)).toBe('2049-02-28');
  });

  it('clamps month ends and moves back as well as forward', () => {
    expect(seoulDay(shiftInSeoul(new Date('2027-01-31T08:00:00+09:00'), { months: 1 }))).toBe('2027-02-28');
    expect(seoulDay(shiftInSeoul(new Date('2028-01-31T08:00:00+09:00'), { months: 1 }))).toBe('2028-02-29');
    expect(shiftInSeoul(new Date('2028-03-01T00:10:00+09:00'), { days: 1 }, -1).toISOString()).toBe(
      '2028-02-28T15:10:00.000Z',
    );
    const d = new Date('2027-06-15T23:59:59+09:00');
    expect(shiftInSeoul(shiftInSeoul(d, { days: 30 }), { days: 30 }, -1)).toEqual(d);
  });

  it('takes the Seoul day of an instant, not the UTC or host day', () => {
    expect(seoulDay(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
    expect(seoulDay(new Date('2026-12-31T14:59:59.999Z'))).toBe('2026-12-31');
    expect(seoulDaysEndingAt(new Date('2027-03-01T00:30:00+09:00'), 3)).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
    ]);
  });

  it('adds periods to Seoul calendar days, month ends clamping', () => {
    expect(addToSeoulDay('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(addToSeoulDay('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addToSeoulDay('2026-12-25', { days: 10 })).toBe('2027-01-04');
    // A week that spans a daylight-saving change in other zones is still seven days here.
    expect(addToSeoulDay('2024-03-08', { days: 7 })).toBe('2024-03-15');
    expect(addToSeoulDay('2024-10-31', { days: 7 })).toBe('2024-11-07');
  });

  it('spans whole days and epoch seconds the same way in every zone', () => {
    expect(durationInDays({ months: 6 }, new Date('2027-01-01T00:00:00Z'))).toBe(181);
    expect(durationInDays({ years: 1 }, new Date('2028-01-01T00:00:00Z'))).toBe(366);
    expect(epochSeconds(new Date('2027-01-01T00:00:00.999Z'))).toBe(1_798_761_600);
  });
});
