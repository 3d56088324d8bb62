import { describe, expect, it } from 'vitest';
import {
  CLOUDWATCH_RETENTION_DAYS,
  isoPeriod,
  logRetentionDays,
  longestSpanInDays,
  tableRetentionTags,
} from '../../lib/retention';
import type { TableDefinition } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';

const table = (retention?: TableDefinition['retention']): TableDefinition => ({
  description: 't',
  partitionKey: { name: 'pk', type: 'S' },
  indexes: [],
  key: 'members',
  recoveryDays: 1,
  ...(retention ? { retention } : {}),
});

describe('the longest calendar span of a period', () => {
  it.each([
    [{ days: 30 }, 30],
    [{ months: 1 }, 31],
    [{ months: 3 }, 92],
    [{ months: 6 }, 184],
    [{ years: 1 }, 366],
    [{ years: 2 }, 731],
    [{ years: 1, months: 6 }, 550],
  ])('covers %o in at most %i days, whatever the start day', (period, days) => {
    expect(longestSpanInDays(period)).toBe(days);
  });
});

describe('CloudWatch Logs retention of a period', () => {
  it.each([
    [{ days: 1 }, 1],
    [{ days: 30 }, 30],
    [{ months: 3 }, 120],
    [{ months: 6 }, 365],
    [{ years: 1 }, 400],
    [{ years: 2 }, 731],
    [{ years: 5 }, 1827],
  ])('keeps %o for %i days: the shortest allowed value covering the whole period', (period, days) => {
    expect(logRetentionDays(period)).toBe(days);
    expect(CLOUDWATCH_RETENTION_DAYS).toContain(days);
  });

  it.each([
    [{ months: 6 }, 180],
    [{ months: 3 }, 60],
    [{ years: 1 }, 365],
  ])('keeps %o for %i days when the period is a limit: nothing outlives the promise', (period, days) => {
    expect(logRetentionDays(period, 'at-most')).toBe(days);
  });

  it('refuses a period longer than CloudWatch can keep', () => {
    expect(() => logRetentionDays({ years: 11 })).toThrow(RangeError);
  });
});

describe('ISO periods', () => {
  it('writes durations in ISO 8601 and keeps until-withdrawal as it is', () => {
    expect(isoPeriod({ years: 1, months: 6 })).toBe('P1Y6M');
    expect(isoPeriod({ days: 30 })).toBe('P30D');
    expect(isoPeriod('until-withdrawal')).toBe('until-withdrawal');
  });
});

describe('retention tags of a table', () => {
  const littleone = loadCatalogue('littleone');

  it('has none for a table no retention class governs', () => {
    expect(tableRetentionTags(littleone, table())).toBeUndefined();
  });

  it("names the record class of the table's role and its period", () => {
    expect(tableRetentionTags(littleone, table('member'))).toEqual({
      class: littleone.recordClasses.member,
      period: 'until-withdrawal',
    });
    expect(tableRetentionTags(littleone, table('accessLog'))).toEqual({
      class: littleone.recordClasses.accessLog,
      period: 'P3M',
    });
  });

  it('tags the vault with its longest class, so nothing in it is purged early', () => {
    expect(tableRetentionTags(littleone, table('vault'))).toEqual({ class: 'vault', period: 'P5Y' });
  });

  it('tags the vault with period none when the profile keeps nothing there', () => {
    const lgcns = loadCatalogue('lgcns');
    const withoutVault: Catalogue = {
      ...lgcns,
      retention: Object.fromEntries(Object.entries(lgcns.retention).filter(([, rc]) => rc.store !== 'vault')),
    };
    expect(tableRetentionTags(withoutVault, table('vault'))).toEqual({ class: 'vault', period: 'none' });
  });
});
