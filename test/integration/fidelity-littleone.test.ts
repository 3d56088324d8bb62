/**
 * Where the running API must say and do what the littleone policy says: the channel of each
 * consent decision, what a suspension leaves open, the wording members and officers read, and
 * what a replay answers once the state has moved on. HTTP to the local front, handlers against moto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness';
import { call } from './member-api';
import { asOfficer } from './officer-api';

const apple = { method: 'apple' as const };
const consents = {
  membership: true,
  'service-delivery': true,
  'abuse-prevention': true,
  statistics: true,
  'new-service-development': false,
  'profile-photos': true,
};

function joinBody(sub: string) {
  return {
    items: { userName: `Name of ${sub}`, appleMemberNumber: `000${sub}.abc`, email: `${sub}@example.com` },
    consents,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

async function join(sub: string) {
  const res = await call(stack, 'POST', '/v1/members', { sub, token: apple, body: joinBody(sub) });
  expect(res.status, res.text).toBe(201);
}

/** Logs an offline request of `type` for `memberId`, already verified; its id. */
async function verifiedRequest(memberId: string, type: string, channel: string): Promise<string> {
  const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
    memberId,
    type,
    channel,
    verification: { method: 'call-back-to-registered-number', reference: 'call-back 0042' },
  });
  expect(logged.status, logged.text).toBe(201);
  return logged.json.requestId;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('littleone');
});
afterAll(async () => {
  await stack?.stop();
});

describe('consent channels (littleone)', () => {
  it('L14: a consent withdrawal the officer acts on is recorded with the channel it came by, in the history as in the ledger', async () => {
    await join('phoner');
    const requestId = await verifiedRequest('phoner', 'consent-withdrawal', 'phone');
    const acted = await asOfficer(stack, 'POST', `/v1/admin/requests/${requestId}/actions`, {
      action: 'withdraw-consent',
      purpose: 'statistics',
    });
    expect(acted.status, acted.text).toBe(200);
    const ledger = await asOfficer(stack, 'GET', '/v1/admin/requests?member=phoner');
    expect(ledger.json.requests.find((r: { requestId: string }) => r.requestId === requestId).channel).toBe(
      'phone',
    );
    const held = await call(stack, 'GET', '/v1/me/consents', { sub: 'phoner', token: apple });
    const statistics = held.json.consents.find((p: { purpose: string }) => p.purpose === 'statistics');
    expect(statistics).toMatchObject({ granted: false, channel: 'phone' });
    expect(statistics.history[0]).toMatchObject({ granted: false, channel: 'phone', event: 'change' });
    // The decisions made at join came through the app, and say so.
    expect(statistics.history.at(-1)).toMatchObject({ granted: true, channel: 'app' });
  });

  it('L1: a consent the member withdraws in the app says app', async () => {
    await join('tapper');
    const res = await call(stack, 'PUT', '/v1/me/consents/statistics', {
      sub: 'tapper',
      token: apple,
      body: { granted: false },
    });
    expect(res.status, res.text).toBe(200);
    const held = await call(stack, 'GET', '/v1/me/consents', { sub: 'tapper', token: apple });
    expect(held.json.consents.find((p: { purpose: string }) => p.purpose === 'statistics')).toMatchObject({
      granted: false,
      channel: 'app',
    });
  });
});
