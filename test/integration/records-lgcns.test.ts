/**
 * Access logs and vault expiry end to end for the lgcns profile: access logs kept 6 months
 * (G3), no purchase records (the catalogue names none), and a withdrawal receipt that stops
 * being readable, and is swept, when its period ends.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../local/job';
import { shiftInSeoul } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';

import { startTestStack, type TestStack } from './harness';
import { call, scanTable } from './member-api';

const password = { method: 'password' as const };
const catalogue = loadCatalogue('lgcns');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function join(sub: string) {
  return {
    items: { name: `Name ${sub}`, email: `${sub}@example.com` },
    consents: { membership: true, inquiries: true, 'service-history': true },
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('lgcns');
});
afterAll(async () => {
  await stack?.stop();
});

describe('access log (lgcns)', () => {
  it('G3: records IP address, access time and use history of each call, sealed, and kept 6 months', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'g3', token: password, body: join('g3') });
    const stored = (await scanTable(stack, 'accessLog')).filter((r) => r.memberId === 'g3');
    expect(stored).toHaveLength(1);
    const items = stored[0]!.items as Record<string, string>;
    expect(items.ipAddress).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain('127.0.0.1');
    expect(stored[0]!.retentionClass).toBe('access-logs');
    expect(stored[0]!.expiresAt).toBe(seconds(shiftInSeoul(new Date(items.accessTime!), { months: 6 })));
  });

  it('G3: shows the member their own access history in GET /v1/me, with the 6-month period', async () => {
    const me = await call(stack, 'GET', '/v1/me', { sub: 'g3', token: password });
    expect(me.json.accessHistory.retention).toEqual({
      class: 'access-logs',
      label: catalogue.retention['access-logs']!.label,
      period: 'P6M',
    });
    expect(me.json.accessHistory.entries).toEqual([
      expect.objectContaining({ route: 'GET /v1/me', ipAddress: '127.0.0.1' }),
      expect.objectContaining({ route: 'POST /v1/members', ipAddress: '127.0.0.1' }),
    ]);
  });

  it("G3: records calls that are refused, under the caller, and never anyone else's in the view", async () => {
    const refused = await call(stack, 'PATCH', '/v1/me', {
      sub: 'g3',
      token: password,
      body: { colour: 'red' },
    });
    expect(refused.status).toBe(400);
    await call(stack, 'GET', '/v1/me/consents', { sub: 'g3-other', token: password });
    const me = await call(stack, 'GET', '/v1/me', { sub: 'g3', token: password });
    const routes = me.json.accessHistory.entries.map((e: { route: string }) => e.route);
    expect(routes).toContain('PATCH /v1/me');
    expect(routes).not.toContain('GET /v1/me/consents');
  });
});

describe('access history limits (lgcns)', () => {
  it('G3: leaves out records past their 6 months though TTL has not deleted them, and lists the newest 100 in the view', async () => {
    const { recordAccess } = await import('../../lambdas/features/access-log/access-log');
    await call(stack, 'POST', '/v1/members', { sub: 'g3-busy', token: password, body: join('g3-busy') });
    const sevenMonthsAgo = shiftInSeoul(new Date(), { months: -7 });
    await recordAccess(catalogue, {
      memberId: 'g3-busy',
      route: 'GET /v1/me',
      sourceIp: '198.51.100.9',
      requestId: 'old',
      at: sevenMonthsAgo,
    });
    for (let i = 0; i < 100; i++) {
      await recordAccess(catalogue, {
        memberId: 'g3-busy',
        route: 'GET /v1/me/consents',
        sourceIp: '203.0.113.1',
        requestId: `busy-${i}`,
        at: new Date(Date.now() - 60_000 + i),
      });
    }
    expect((await scanTable(stack, 'accessLog')).filter((r) => r.memberId === 'g3-busy')).toHaveLength(102);

    const me = (await call(stack, 'GET', '/v1/me', { sub: 'g3-busy', token: password })).json;
    expect(me.accessHistory.entries).toHaveLength(100);
    expect(me.accessHistory.entries[0].route).toBe('GET /v1/me');
    expect(me.accessHistory.truncated).toBe(true);

    const exported = (await call(stack, 'GET', '/v1/me/export', { sub: 'g3-busy', token: password })).json;
    const all = exported.member.accessHistory.entries;
    // 100 recorded here, the join, the view and the export; never the seven-month-old one.
    expect(all).toHaveLength(103);
    expect(all.map((e: { ipAddress: string }) => e.ipAddress)).not.toContain('198.51.100.9');
    expect(exported.member.accessHistory.truncated).toBe(false);
  });
});

describe('service records (lgcns)', () => {
  it('L10: has no purchase route, because the catalogue names no purchase records', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'g-buyer', token: password, body: join('g-buyer') });
    const res = await call(stack, 'POST', '/v1/me/purchases', {
      sub: 'g-buyer',
      token: password,
      body: { product: 'x', amount: 1, currency: 'KRW' },
    });
    expect(res.status).toBe(404);
    const openapi = await call(stack, 'GET', '/v1/openapi.json');
    expect(Object.keys(openapi.json.paths)).not.toContain('/v1/me/purchases');
    expect((await call(stack, 'GET', '/v1/me', { sub: 'g-buyer', token: password })).json.records).toEqual(
      [],
    );
  });
});

describe('vault expiry (lgcns)', () => {
  it('G7: a receipt one day past its period is invisible to reads and gone after the sweeper', async () => {
    const { withdraw } = await import('../../lambdas/features/withdrawal/withdraw');
    await call(stack, 'POST', '/v1/members', { sub: 'g7-exp', token: password, body: join('g7-exp') });
    const { receipt } = (await call(stack, 'DELETE', '/v1/me', { sub: 'g7-exp', token: password })).json;
    const ends = new Date(receipt.residualCopiesUnreadableBy);
    const dayBefore = shiftInSeoul(ends, { days: -1 });
    const dayAfter = shiftInSeoul(ends, { days: 1 });

    // Repeating the withdrawal reads the stored receipt back, while its period runs.
    expect((await withdraw(catalogue, 'g7-exp', dayBefore)).receipt.receiptId).toBe(receipt.receiptId);
    await expect(withdraw(catalogue, 'g7-exp', dayAfter)).rejects.toMatchObject({
      kind: 'not-found',
      title: 'Not a member',
    });
    expect((await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#g7-exp')).toHaveLength(1);

    await runJob('retention', stack.env, 'lgcns', dayAfter.toISOString());
    expect((await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#g7-exp')).toEqual([]);
  });
});
