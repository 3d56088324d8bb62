/**
 * Legal retention and access logs end to end for the littleone profile: purchases recorded
 * with their class and moved to the vault at withdrawal, the service-visit records of every
 * call, and vault records destroyed when their period ends (TTL lags; reads and the sweeper
 * do not). Clock-dependent steps call the domain and the job with a `now` of their own.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../local/job';
import { shiftInSeoul } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';

import { startTestStack, type TestStack } from './harness';
import { call, scanTable } from './member-api';

const apple = { method: 'apple' as const };
const consents = { membership: true, 'service-delivery': true, 'abuse-prevention': true };
const catalogue = loadCatalogue('littleone');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function join(sub: string) {
  return {
    items: { userName: `Name ${sub}`, email: `${sub}@example.com` },
    consents,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('littleone');
});
afterAll(async () => {
  await stack?.stop();
});

/** Domain modules, imported once the stack's environment (emulator endpoint) is in place. */
const domain = async () => ({
  ...(await import('../../lambdas/features/service-records/service-records')),
  ...(await import('../../lambdas/features/vault/store')),
});

describe('access log (littleone service-visit records)', () => {
  it('G3 L10: records IP, time, route and member of each call, sealed, and expiring after 3 months', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'visitor', token: apple, body: join('visitor') });
    await call(stack, 'GET', '/v1/me/consents', { sub: 'visitor', token: apple });
    const stored = (await scanTable(stack, 'accessLog')).filter((r) => r.memberId === 'visitor');
    expect(stored).toHaveLength(2);
    for (const record of stored) {
      const items = record.items as Record<string, string>;
      expect(Object.keys(items).sort()).toEqual(['accessTime', 'ipAddress', 'serviceUsageHistory']);
      // The catalogue marks the IP address and the usage history encrypted; the time is not.
      expect(items.ipAddress).toMatch(/^v1\./);
      expect(items.serviceUsageHistory).toMatch(/^v1\./);
      expect(JSON.stringify(record)).not.toContain('127.0.0.1');
      expect(record.retentionClass).toBe('service-visit-records');
      expect(record.expiresAt).toBe(seconds(shiftInSeoul(new Date(items.accessTime!), { months: 3 })));
    }
  });

  it('G3: shows the member their own access history in GET /v1/me, newest first, with the IP opened', async () => {
    await call(stack, 'POST', '/v1/members', {
      sub: 'other-visitor',
      token: apple,
      body: join('other-visitor'),
    });
    const me = await call(stack, 'GET', '/v1/me', { sub: 'visitor', token: apple });
    expect(me.status).toBe(200);
    const history = me.json.accessHistory;
    expect(history.retention).toMatchObject({ class: 'service-visit-records', period: 'P3M' });
    expect(history.entries.map((e: { route: string }) => e.route)).toEqual([
      'GET /v1/me',
      'GET /v1/me/consents',
      'POST /v1/members',
    ]);
    for (const entry of history.entries) {
      expect(entry.ipAddress).toBe('127.0.0.1');
      // TTL counts whole seconds.
      expect(Date.parse(entry.until) / 1000).toBe(seconds(shiftInSeoul(new Date(entry.at), { months: 3 })));
    }
    expect(history.truncated).toBe(false);
  });

  it('G3 L16: puts the whole access history in the export', async () => {
    const exported = await call(stack, 'GET', '/v1/me/export', { sub: 'visitor', token: apple });
    expect(exported.json.member.accessHistory.entries.map((e: { route: string }) => e.route)).toEqual([
      'GET /v1/me/export',
      'GET /v1/me',
      'GET /v1/me/consents',
      'POST /v1/members',
    ]);
  });
});

describe('purchases (littleone payment records)', () => {
  it('L10: records a purchase with its retention class, payment records kept 5 years from the purchase', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'buyer', token: apple, body: join('buyer') });
    const res = await call(stack, 'POST', '/v1/me/purchases', {
      sub: 'buyer',
      token: apple,
      body: { product: 'BuyerMarker diapers', amount: 15900, currency: 'KRW' },
    });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('BuyerMarker');
    expect(res.json.retention).toMatchObject({
      class: 'payment-records',
      period: 'P5Y',
      startsAt: 'creation',
    });
    expect(res.json.retention.until).toBe(
      shiftInSeoul(new Date(res.json.createdAt), { years: 5 }).toISOString(),
    );

    const stored = (await scanTable(stack, 'members')).filter(
      (i) => i.pk === 'M#buyer' && String(i.sk).startsWith('REC#'),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ itemId: 'purchaseHistory', retentionClass: 'payment-records' });
    expect(JSON.stringify(stored)).not.toContain('BuyerMarker');

    const me = await call(stack, 'GET', '/v1/me', { sub: 'buyer', token: apple });
    expect(me.json.records).toEqual([
      {
        recordId: res.json.recordId,
        item: 'purchaseHistory',
        label: catalogue.items.purchaseHistory!.label,
        createdAt: res.json.createdAt,
        content: { product: 'BuyerMarker diapers', amount: 15900, currency: 'KRW' },
        retention: res.json.retention,
      },
    ]);
  });

  it('L2: refuses unknown fields and bad values in a purchase, naming them, and stores nothing', async () => {
    const before = (await scanTable(stack, 'members')).length;
    const res = await call(stack, 'POST', '/v1/me/purchases', {
      sub: 'buyer',
      token: apple,
      body: { product: 'x', amount: -1, currency: 'won', cardNumber: '4111111111111111' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'amount',
      'cardNumber',
      'currency',
    ]);
    expect(res.text).not.toContain('4111');
    expect((await scanTable(stack, 'members')).length).toBe(before);
  });

  it('L7 L9 L10: at withdrawal a purchase moves to the vault with its own expiry; one past its period is destroyed', async () => {
    const { recordPurchase } = await domain();
    await call(stack, 'POST', '/v1/members', { sub: 'leaver', token: apple, body: join('leaver') });
    const recent = await call(stack, 'POST', '/v1/me/purchases', {
      sub: 'leaver',
      token: apple,
      body: { product: 'LeaverMarker stroller', amount: 320000, currency: 'KRW' },
    });
    // A purchase made six years ago: its five-year period has already ended.
    const old = await recordPurchase(
      catalogue,
      'leaver',
      { product: 'LeaverMarker bottle', amount: 9000, currency: 'KRW' },
      shiftInSeoul(new Date(), { years: -6 }),
    );

    const res = await call(stack, 'DELETE', '/v1/me', { sub: 'leaver', token: apple });
    expect(res.status).toBe(200);
    const { receipt } = res.json;
    const purchaseUntil = shiftInSeoul(new Date(recent.json.createdAt), { years: 5 });
    expect(receipt.retained).toContainEqual({
      class: 'payment-records',
      label: catalogue.retention['payment-records']!.label,
      law: catalogue.retention['payment-records']!.law,
      use: catalogue.retention['payment-records']!.use,
      until: purchaseUntil.toISOString(),
      records: 1,
    });

    const vault = (await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#leaver');
    expect(vault.map((v) => v.sk).sort()).toEqual([
      'RECEIPT',
      'contract-records#withdrawal',
      `payment-records#${recent.json.recordId}`,
      'withdrawn-email#withdrawal',
    ]);
    expect(vault.map((v) => v.sk)).not.toContain(`payment-records#${old.recordId}`);
    const moved = vault.find((v) => v.sk === `payment-records#${recent.json.recordId}`)!;
    // From the purchase, not from the withdrawal (startsAt: creation).
    expect(moved.expiresAt).toBe(seconds(purchaseUntil));
    expect(moved.retentionClass).toBe('payment-records');
    const email = vault.find((v) => v.sk === 'withdrawn-email#withdrawal')!;
    expect(email.expiresAt).toBe(seconds(shiftInSeoul(new Date(receipt.withdrawnAt), { years: 1 })));
    expect(JSON.stringify(vault)).not.toMatch(/LeaverMarker|leaver@example/);
    const members = (await scanTable(stack, 'members')).filter((i) => i.pk === 'M#leaver');
    expect(members).toEqual([]);
  });
});

describe('vault expiry (littleone)', () => {
  it('L7 L9: a vault record one day past its period is invisible to reads and gone after the sweeper, to the day', async () => {
    const { liveVaultItem } = await domain();
    await call(stack, 'POST', '/v1/members', { sub: 'expiring', token: apple, body: join('expiring') });
    const { receipt } = (await call(stack, 'DELETE', '/v1/me', { sub: 'expiring', token: apple })).json;
    const withdrawnAt = new Date(receipt.withdrawnAt);
    const emailKey = { pk: 'V#expiring', sk: 'withdrawn-email#withdrawal' };
    const emailEnds = shiftInSeoul(withdrawnAt, { years: 1 });
    const dayBefore = shiftInSeoul(emailEnds, { days: -1 });
    const dayAfter = shiftInSeoul(emailEnds, { days: 1 });

    expect(await liveVaultItem(emailKey, dayBefore)).toBeDefined();
    // DynamoDB TTL has not deleted it (moto never does; AWS may take two days): reads ignore it.
    expect(await liveVaultItem(emailKey, dayAfter)).toBeUndefined();
    expect((await scanTable(stack, 'vault')).some((i) => i.sk === emailKey.sk && i.pk === emailKey.pk)).toBe(
      true,
    );

    await runJob('retention', stack.env, 'littleone', dayBefore.toISOString());
    expect((await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#expiring')).toHaveLength(3);

    const first = (await runJob('retention', stack.env, 'littleone', dayAfter.toISOString())) as Record<
      string,
      number
    >;
    expect(first.deleted).toBeGreaterThanOrEqual(1);
    const left = (await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#expiring').map((i) => i.sk);
    // The contract record (5 years) and the receipt that proves it stay.
    expect(left.sort()).toEqual(['RECEIPT', 'contract-records#withdrawal']);

    // A rerun (a retry after a crash, or the next day's run) finds nothing more to do.
    const rerun = (await runJob('retention', stack.env, 'littleone', dayAfter.toISOString())) as Record<
      string,
      number
    >;
    expect(rerun.deleted).toBe(0);
  });
});
