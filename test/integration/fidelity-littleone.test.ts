/**
 * Where the running API must say and do what the littleone policy says: the channel of each
 * consent decision, what a suspension leaves open, the wording members and officers read, and
 * what a replay answers once the state has moved on. HTTP to the local front, handlers against moto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';
import { call, expectIdentifierFromSignIn } from './member-api';
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
    items: { userName: `Name of ${sub}`, email: `${sub}@example.com` },
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

describe('suspension (littleone)', () => {
  it('L14, L16: a member suspended for false information (L12) keeps every privacy right (view, export, correct, delete, consent withdrawal, restriction, withdrawal); only what the catalogue declares is blocked', async () => {
    await join('fibber');
    const baby = (sub: string, nickname: string) =>
      call(stack, 'POST', '/v1/me/babies', {
        sub,
        token: apple,
        body: { items: { babyNickname: nickname, babyGender: 'female' } },
      });
    const first = await baby('fibber', 'First');
    const second = await baby('fibber', 'Second');
    expect([first.status, second.status]).toEqual([201, 201]);
    const suspended = await asOfficer(stack, 'POST', '/v1/admin/members/fibber/suspend', {
      reason: 'entered another person’s name',
    });
    expect(suspended.status, suspended.text).toBe(200);

    const as = (method: string, path: string, body?: unknown) =>
      call(stack, method, path, { sub: 'fibber', token: apple, ...(body !== undefined ? { body } : {}) });
    const rights = {
      view: await as('GET', '/v1/me'),
      consents: await as('GET', '/v1/me/consents'),
      export: await as('GET', '/v1/me/export'),
      correct: await as('PATCH', '/v1/me', { items: { userName: 'My Real Name' } }),
      correctBaby: await as('PATCH', `/v1/me/babies/${first.json.babyId}`, {
        items: { babyNickname: 'Real' },
      }),
      deleteBaby: await as('DELETE', `/v1/me/babies/${second.json.babyId}`),
      withdrawConsent: await as('PUT', '/v1/me/consents/statistics', { granted: false }),
      restrict: await as('PUT', '/v1/me/restriction', { scope: 'provision', reason: 'disputed' }),
    };
    for (const [right, res] of Object.entries(rights))
      expect(res.status, `${right}: ${res.text}`).toBeLessThan(300);
    expect(rights.view.json.status).toBe('suspended');

    const blocked = {
      'add-baby': await baby('fibber', 'Third'),
      purchase: await as('POST', '/v1/me/purchases', { product: 'Diapers', amount: 1000, currency: 'KRW' }),
      'grant-consent': await as('PUT', '/v1/me/consents/new-service-development', { granted: true }),
      'lift-restriction': await as('DELETE', '/v1/me/restriction'),
    };
    for (const [use, res] of Object.entries(blocked)) {
      expect(res.status, use).toBe(403);
      expect(res.json.title, use).toBe('Membership suspended');
    }
    expect(loadCatalogue('littleone').suspension.blocks.slice().sort()).toEqual(Object.keys(blocked).sort());

    expect((await as('DELETE', '/v1/me')).status).toBe(200);
  });
});

describe('sign-in identifiers (littleone)', () => {
  it('L2: the Apple member number is the federated identity’s: another is refused with 422 and nothing is stored; omitted, it is taken from the token', async () => {
    await expectIdentifierFromSignIn(stack, {
      sub: 'applemember',
      token: { method: 'apple', username: 'signinwithapple_000777.xyz' },
      body: joinBody('applemember'),
      field: 'appleMemberNumber',
      other: '000888.xyz',
      expected: '000777.xyz',
    });
  });
});
