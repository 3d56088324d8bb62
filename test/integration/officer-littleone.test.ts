/**
 * The privacy officer's API end to end for the littleone profile: an offline deletion request
 * from intake to receipt, under-14 termination, provisions, and the access-record chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessRecords } from '../../local/verify-access-records';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { call, scanTables } from './member-api';
import { asOfficer, chainOf, officerCalls } from './officer-api';

const apple = { method: 'apple' as const };
const consents = {
  membership: true,
  'service-delivery': true,
  'abuse-prevention': true,
  statistics: true,
  'new-service-development': false,
  'profile-photos': false,
};

async function join(sub: string, name: string, email: string) {
  const res = await call(stack, 'POST', '/v1/members', {
    sub,
    // The Apple member number is the federated identity's (L2).
    token: { ...apple, username: `signinwithapple_000${sub}.abc` },
    body: {
      items: { userName: name, appleMemberNumber: `000${sub}.abc`, email },
      consents,
      ageAffirmation: true,
      policyVersion: '1.0',
    },
  });
  expect(res.status).toBe(201);
  const baby = await call(stack, 'POST', '/v1/me/babies', {
    sub,
    token: apple,
    body: { items: { babyNickname: `Baby of ${name}`, babyGender: 'female' } },
  });
  expect(baby.status).toBe(201);
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('littleone');
});
afterAll(async () => {
  await stack?.stop();
});

describe('who may call the officer API (littleone)', () => {
  it('L14: every admin route answers 403 to a member token and writes no record', async () => {
    await join('plain', 'Plain Member', 'plain@example.com');
    const before = (await chainOf(stack)).length;
    for (const route of officerCalls('plain')) {
      const res = await call(stack, route.method, route.path, {
        sub: 'plain',
        token: apple,
        ...(route.method === 'POST' ? { body: {} } : {}),
      });
      expect(res.status, route.id).toBe(403);
    }
    expect((await chainOf(stack)).length).toBe(before);
  });
});

describe('offline deletion request (littleone)', () => {
  it('L14: by letter, verified, deleted through withdrawal, answered with a receipt that verifies', async () => {
    await join('letter', 'Letter Writer', 'letter@example.com');
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'letter',
      type: 'deletion',
      channel: 'letter',
      receivedAt: '2026-11-20T01:00:00Z',
    });
    expect(logged.status).toBe(201);
    expect(logged.json).toMatchObject({
      status: 'awaiting-verification',
      deadline: '2026-11-30',
      overdue: false,
    });
    const id = logged.json.requestId;
    const early = await asOfficer(stack, 'POST', `/v1/admin/requests/${id}/actions`, { action: 'delete' });
    expect(early.status).toBe(409);
    expect((await call(stack, 'GET', '/v1/me', { sub: 'letter', token: apple })).status).toBe(200);

    await asOfficer(stack, 'POST', `/v1/admin/requests/${id}/verification`, {
      method: 'identity-document',
      reference: 'copy of ID enclosed with the letter',
    });
    const deleted = await asOfficer(stack, 'POST', `/v1/admin/requests/${id}/actions`, { action: 'delete' });
    expect(deleted.status).toBe(200);
    expect(deleted.json.status).toBe('completed');
    const verified = await call(stack, 'POST', '/v1/receipts/verify', { body: deleted.json.result });
    expect(verified.json).toEqual({ valid: true });
    expect((await call(stack, 'GET', '/v1/me', { sub: 'letter', token: apple })).status).toBe(404);

    const ledger = await asOfficer(stack, 'GET', '/v1/admin/requests?member=letter');
    // The member's own view earlier is in the ledger too, as a self-service access request; the
    // view tried after the deletion is not: there is no member left to record it for.
    const completed = ledger.json.requests.filter((r: { status: string }) => r.status === 'completed');
    expect(completed.map((r: { type: string; channel: string }) => `${r.type}/${r.channel}`)).toEqual([
      'access/app',
      'deletion/letter',
    ]);
    expect(ledger.json.requests).toHaveLength(2);
    expect(completed[1]).toEqual(
      expect.objectContaining({
        requestId: id,
        status: 'completed',
        handler: 'officer-kim',
        outcome: expect.objectContaining({ action: 'delete', summary: expect.stringContaining('receipt') }),
        verification: expect.objectContaining({ method: 'identity-document' }),
      }),
    );
    expect(ledger.text).not.toContain('copy of ID');
  });
});

describe('under-14 termination (littleone)', () => {
  it('L11: terminates at once, keeping nothing of the child outside the vault and only law-required records in it', async () => {
    await join('child', 'Young Child', 'child@example.com');
    const terminated = await asOfficer(stack, 'POST', '/v1/admin/members/child/terminate', {
      reason: 'parent reported the member is 12',
    });
    expect(terminated.status).toBe(200);
    expect(terminated.json.receipt.retained.map((r: { class: string }) => r.class)).toEqual([
      'contract-records',
    ]);
    expect(terminated.json.receipt.retained.every((r: { law?: string }) => r.law)).toBe(true);

    const all = await scanTables(stack);
    const { vault, ...rest } = all;
    const outside = JSON.stringify(rest);
    for (const value of ['Young Child', 'child@example.com', '000child.abc', 'Baby of Young Child']) {
      expect(outside).not.toContain(value);
    }
    expect(all.members.filter((i) => JSON.stringify(i).includes('M#child'))).toEqual([]);
    expect(all.keys.filter((i) => JSON.stringify(i).includes('"child"'))).toEqual([]);
    // Only the withdrawal receipt and the law-required contract record remain, sealed.
    const childVault = vault.filter((i) => JSON.stringify(i).includes('V#child'));
    expect(childVault).toHaveLength(2);
    expect(JSON.stringify(childVault)).not.toContain('child@example.com');
    expect((await call(stack, 'GET', '/v1/me', { sub: 'child', token: apple })).status).toBe(404);
    const again = await asOfficer(stack, 'POST', '/v1/admin/members/child/terminate', { reason: 'repeat' });
    expect(again.status).toBe(200);
    expect(again.json.receipt.receiptId).toBe(terminated.json.receipt.receiptId);
  });
});

describe('provisions (littleone)', () => {
  it('L5: refused without consent to the recipient, even for a consented purpose', async () => {
    await join('stats', 'Stats Member', 'stats@example.com');
    const res = await asOfficer(stack, 'POST', '/v1/admin/provisions', {
      memberId: 'stats',
      recipient: { name: 'Analytics Co', contact: 'privacy@analytics.example' },
      items: ['userName'],
      purpose: 'statistics',
      basis: { type: 'consent' },
    });
    const problem = await expectProblem(
      {
        status: res.status,
        headers: { 'content-type': res.headers.get('content-type') ?? '' },
        body: res.text,
      },
      422,
    );
    expect(problem.title).toBe('No consent to this provision');
    const unknownItem = await asOfficer(stack, 'POST', '/v1/admin/provisions', {
      memberId: 'stats',
      recipient: { name: 'Analytics Co', contact: 'privacy@analytics.example' },
      items: ['password'],
      purpose: 'statistics',
      basis: { type: 'consent' },
    });
    expect(unknownItem.status).toBe(400);
    expect((await call(stack, 'GET', '/v1/me', { sub: 'stats', token: apple })).json.provisions).toEqual([]);
  });
});

describe('handler access records (littleone)', () => {
  it('L14: every officer action above left one record, and the chain verifies', async () => {
    const chain = await chainOf(stack);
    expect(chain.map((r) => r.seq)).toEqual(chain.map((_, i) => i + 1));
    expect(chain.filter((r) => r.memberId === 'child').map((r) => r.action)).toEqual([
      'post-member-terminate',
      'post-member-terminate',
    ]);
    expect(await verifyAccessRecords(stack.env)).toMatchObject({ intact: true, records: chain.length });
  });
});
