import { describe, expect, it } from 'vitest';
import type { ServiceRecord } from '../../lambdas/features/members/store';
import {
  legalExpiry,
  recordsToRetain,
  retainedRecordClasses,
} from '../../lambdas/features/service-records/rules';
import { isExpired } from '../../lambdas/features/vault/store';
import { ACCESS_LOG_GRANTS, mergeGrants } from '../../model/grants';
import type { Route } from '../../model/routes/route';
import { routeGrants } from '../../model/routes/route';
import { loadCatalogue } from '../../policy/catalogue';

const c = loadCatalogue('littleone');
const at = (iso: string) => new Date(iso);

function record(recordId: string, retentionClass: string, createdAt: string): ServiceRecord {
  return {
    pk: 'M#m',
    sk: `REC#${createdAt}#${recordId}`,
    recordId,
    itemId: 'purchaseHistory',
    retentionClass,
    createdAt,
    value: 'v1.sealed',
  };
}

describe('legal expiry of service records', () => {
  it('L10: counts a class that starts at creation from the record, whatever the withdrawal date', () => {
    const payment = c.retention['payment-records']!;
    expect(legalExpiry(payment, at('2024-02-29T03:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual(
      at('2029-02-28T03:00:00Z'),
    );
  });

  it('L9: counts a class that starts at withdrawal from the withdrawal', () => {
    const email = c.retention['withdrawn-email']!;
    expect(legalExpiry(email, at('2020-01-01T00:00:00Z'), at('2026-05-10T12:00:00Z'))).toEqual(
      at('2027-05-10T12:00:00Z'),
    );
    expect(legalExpiry(email, at('2020-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('L7: gives membership data no legal period at all', () => {
    expect(legalExpiry(c.retention['member-data']!, at('2020-01-01T00:00:00Z'), new Date())).toBeUndefined();
  });

  it('L7 L10: retains at withdrawal only the records whose period still runs, one receipt line per class', () => {
    const withdrawnAt = at('2026-06-01T00:00:00Z');
    const records = [
      record('new', 'payment-records', '2025-06-01T00:00:00Z'),
      record('newer', 'payment-records', '2026-01-01T00:00:00Z'),
      record('ended', 'payment-records', '2021-05-31T00:00:00Z'),
      record('complaint', 'complaint-records', '2024-01-01T00:00:00Z'),
    ];
    const retained = recordsToRetain(c, records, withdrawnAt);
    expect(retained.map((r) => [r.record.recordId, r.until.toISOString()])).toEqual([
      ['new', '2030-06-01T00:00:00.000Z'],
      ['newer', '2031-01-01T00:00:00.000Z'],
      ['complaint', '2027-01-01T00:00:00.000Z'],
    ]);
    expect(retainedRecordClasses(c, retained)).toEqual([
      expect.objectContaining({ class: 'payment-records', records: 2, until: '2031-01-01T00:00:00.000Z' }),
      expect.objectContaining({ class: 'complaint-records', records: 1, until: '2027-01-01T00:00:00.000Z' }),
    ]);
  });
});

describe('vault expiry', () => {
  it('L7: treats a record as gone from the second its period ends', () => {
    const now = at('2026-01-01T00:00:00Z');
    const seconds = now.getTime() / 1000;
    expect(isExpired({ expiresAt: seconds + 1 }, now)).toBe(false);
    expect(isExpired({ expiresAt: seconds }, now)).toBe(true);
    expect(isExpired({}, now)).toBe(true);
  });
});

describe('route grants', () => {
  const base: Omit<Route, 'access' | 'grants'> = {
    id: 'r',
    method: 'GET',
    path: '/v1/r',
    summary: 'r',
    tags: [],
    responses: { 200: { description: 'ok' } },
    raises: {},
  };

  it('G3: adds append-only access-log grants to routes that name a member, and none to public ones', () => {
    const member: Route = { ...base, access: 'member', grants: { tables: { members: 'read' } } };
    expect(routeGrants(member)).toEqual({
      tables: { members: 'read', accessLog: 'append' },
      keys: { logs: ['generate-data-key'] },
    });
    const open: Route = { ...base, access: 'public', grants: {} };
    expect(routeGrants(open)).toEqual({});
  });

  it('G3: merges a read of the access log with appending to it, never into full write access', () => {
    const merged = mergeGrants(
      { tables: { accessLog: 'read' }, keys: { logs: ['decrypt'] } },
      ACCESS_LOG_GRANTS,
    );
    expect(merged).toEqual({
      tables: { accessLog: 'read-append' },
      keys: { logs: ['decrypt', 'generate-data-key'] },
    });
    expect(mergeGrants({ tables: { vault: 'readwrite' } }, { tables: { vault: 'append' } })).toEqual({
      tables: { vault: 'readwrite' },
    });
  });

  it('L14/G10: merges appending to the ledger with closing records into append-update, never into delete', () => {
    expect(
      mergeGrants({ tables: { requests: 'append' } }, { tables: { requests: 'append-update' } }),
    ).toEqual({
      tables: { requests: 'append-update' },
    });
    expect(mergeGrants({ tables: { requests: 'append-update' } }, { tables: { requests: 'write' } })).toEqual(
      {
        tables: { requests: 'write' },
      },
    );
  });

  it('L7/G7: keeps the sending and account-deleting grants of either side', () => {
    expect(mergeGrants({ deleteAccounts: true }, { sendEmail: true })).toEqual({
      sendEmail: true,
      deleteAccounts: true,
    });
  });
});
