/**
 * Where the running API must say and do what the lgcns policy says: the wording members and
 * officers read, the records an officer's refused action leaves, what a withdrawn member's calls
 * leave behind, and what a replay answers once the state has moved on. HTTP to the local front,
 * handlers against moto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './harness';
import { call, expectIdentifierFromSignIn, scanTable } from './member-api';
import { asOfficer, chainOf } from './officer-api';

const password = { method: 'password' as const };
const required = { membership: true, inquiries: true, 'service-history': true };

function joinBody(sub: string) {
  return {
    items: { name: `Name of ${sub}`, email: `${sub}@example.com` },
    consents: required,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

async function join(sub: string) {
  const res = await call(stack, 'POST', '/v1/members', { sub, token: password, body: joinBody(sub) });
  expect(res.status, res.text).toBe(201);
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('lgcns');
});
afterAll(async () => {
  await stack?.stop();
});

describe('what officers read (lgcns)', () => {
  it('G10: an action that does not answer the request reads with the right article', async () => {
    await join('reader');
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'reader',
      type: 'access',
      channel: 'letter',
      verification: { method: 'identity-document', reference: 'ID copy' },
    });
    const res = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'delete',
    });
    expect(res.status).toBe(422);
    expect(res.json.detail).toMatch(/^An access request is answered by view\b/);
  });

  it('G10, G17: officer routes answer an unknown member in the officer’s terms, not the member’s', async () => {
    const answers = [
      await asOfficer(stack, 'GET', '/v1/admin/members/nobody?reason=complaint'),
      await asOfficer(stack, 'POST', '/v1/admin/requests', {
        memberId: 'nobody',
        type: 'access',
        channel: 'letter',
      }),
      await asOfficer(stack, 'POST', '/v1/admin/members/nobody/suspend', { reason: 'false name' }),
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBe(404);
      expect(res.json.title).toBe('No such member');
      expect(res.text).not.toContain('POST /v1/members');
    }
    const member = await call(stack, 'GET', '/v1/me', { sub: 'nobody', token: password });
    expect(member.json.detail).toContain('join with POST /v1/members');
  });

  it('G17: an action refused before identity verification leaves an access record saying it was refused', async () => {
    await join('early');
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'early',
      type: 'access',
      channel: 'phone',
    });
    const refused = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'view',
    });
    expect(refused.status).toBe(409);
    const records = await asOfficer(stack, 'GET', '/v1/admin/access-records?member=early');
    const record = records.json.records.find(
      (r: { action: string; requestId?: string }) =>
        r.action === 'post-request-action' && r.requestId === logged.json.requestId,
    );
    expect(record.reason).toBe('refused, nothing done (Identity not verified): view on an access request');
    expect((await chainOf(stack)).at(-2)?.requestId).toBe(logged.json.requestId);
  });
});

describe('after withdrawal (lgcns)', () => {
  it('G10: viewing after withdrawal answers 404 and writes no ledger record under the withdrawn member’s id', async () => {
    await join('gone');
    expect((await call(stack, 'DELETE', '/v1/me', { sub: 'gone', token: password })).status).toBe(200);
    const ledgerBefore = (await scanTable(stack, 'requests')).filter((r) => r.memberId === 'gone');
    for (const path of ['/v1/me', '/v1/me/export']) {
      expect((await call(stack, 'GET', path, { sub: 'gone', token: password })).status).toBe(404);
    }
    const ledgerAfter = (await scanTable(stack, 'requests')).filter((r) => r.memberId === 'gone');
    expect(ledgerAfter).toEqual(ledgerBefore);
  });
});

describe('replays after withdrawal (lgcns)', () => {
  it('G10: a join replayed after withdrawal answers 404, not the first 201, and recreates nothing', async () => {
    const body = joinBody('returner');
    const joinOnce = () =>
      call(stack, 'POST', '/v1/members', {
        sub: 'returner',
        token: password,
        body,
        headers: { 'idempotency-key': 'join-once' },
      });
    const leaveOnce = () =>
      call(stack, 'DELETE', '/v1/me', {
        sub: 'returner',
        token: password,
        headers: { 'idempotency-key': 'leave-once' },
      });
    expect((await joinOnce()).status).toBe(201);
    const left = await leaveOnce();
    expect(left.status).toBe(200);

    const replay = await joinOnce();
    expect(replay.status, replay.text).toBe(404);
    expect(replay.json.title).toBe('Not a member');
    const profile = (await scanTable(stack, 'members')).filter((i) => i.pk === 'M#returner');
    expect(profile).toEqual([]);

    // The withdrawal's own replay still answers its receipt: that is the state it made.
    const again = await leaveOnce();
    expect(again.status).toBe(200);
    expect(again.json.receipt.receiptId).toBe(left.json.receipt.receiptId);
  });

  it('G10: any Idempotency-Key replay of a member whose data has since been destroyed answers 404', async () => {
    await join('changer');
    const change = () =>
      call(stack, 'PATCH', '/v1/me', {
        sub: 'changer',
        token: password,
        body: { items: { name: 'New Name' } },
        headers: { 'idempotency-key': 'name-change' },
      });
    expect((await change()).status).toBe(200);
    expect((await call(stack, 'DELETE', '/v1/me', { sub: 'changer', token: password })).status).toBe(200);
    const replay = await change();
    expect(replay.status, replay.text).toBe(404);
  });
});

describe('sign-in identifiers (lgcns)', () => {
  it('G1: the ID is the sign-in username from the verified token: another account’s is refused with 422 and nothing is stored', async () => {
    await expectIdentifierFromSignIn(stack, {
      sub: 'alice',
      token: { method: 'password', username: 'alice-login' },
      body: joinBody('alice'),
      field: 'loginId',
      other: 'bob-login',
      expected: 'alice-login',
    });

    // Its own ID, another account joins with.
    const same = await call(stack, 'POST', '/v1/members', {
      sub: 'bob',
      token: { method: 'password', username: 'bob-login' },
      body: { ...joinBody('bob'), items: { ...joinBody('bob').items, loginId: 'bob-login' } },
    });
    expect(same.status, same.text).toBe(201);
  });
});
