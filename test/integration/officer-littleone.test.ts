/**
 * The privacy officer's API end to end for the littleone profile: an offline deletion request
 * from intake to receipt, under-14 termination, provisions, and the access-record chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberProvisionConsent } from '../../lambdas/features/consents/provision-consents';
import { recipientConsentViews } from '../../lambdas/features/members/rules';
import { requireMemberData } from '../../lambdas/features/members/store';
import { exportMember, viewMember } from '../../lambdas/features/members/view';
import { actOnRequest, type RequestAction } from '../../lambdas/features/officer/officer';
import { recordProvision } from '../../lambdas/features/provisions/provisions';
import type { ProvisionRequest } from '../../lambdas/features/provisions/rules';
import { requireRequest } from '../../lambdas/features/requests/store';
import { verifyAccessRecords } from '../../local/verify-access-records';
import { addToSeoulDay, seoulDay } from '../../model/calendar';
import { requestActionSchema } from '../../model/routes/officer';
import { memberViewResponse } from '../../model/routes/responses';
import { littleoneWith } from '../support/recipients';
import { expectProblem, invoked, startTestStack, type TestStack } from './harness';
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
    // Received two days ago: the 10-day deadline (PIPA) runs from its Seoul day, and is not past.
    const receivedAt = new Date(Date.now() - 2 * 86_400_000);
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'letter',
      type: 'deletion',
      channel: 'letter',
      receivedAt: receivedAt.toISOString(),
    });
    expect(logged.status).toBe(201);
    expect(logged.json).toMatchObject({
      status: 'awaiting-verification',
      deadline: addToSeoulDay(seoulDay(receivedAt), { days: 10 }),
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
    // The withdrawal also opened the record of its erasure in the operator's silos, open until
    // the last silo answers (nothing drains the silo queue in this file).
    expect(ledger.json.requests).toHaveLength(3);
    expect(
      ledger.json.requests.find((r: { requestId: string }) => r.requestId.startsWith('silos-')),
    ).toMatchObject({ type: 'deletion', status: 'open' });
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
  const provide = (memberId: string, body: Record<string, unknown>) =>
    asOfficer(stack, 'POST', '/v1/admin/provisions', {
      memberId,
      recipient: { name: 'Analytics Co', contact: 'privacy@analytics.example' },
      items: ['email'],
      purpose: 'membership',
      ...body,
    });

  it('L5: refused on the consent basis without a consent to that recipient (the policy names none)', async () => {
    await join('stats', 'Stats Member', 'stats@example.com');
    const noConsent = await provide('stats', { basis: { type: 'consent' } });
    const problem = await expectProblem(
      {
        status: noConsent.status,
        headers: { 'content-type': noConsent.headers.get('content-type') ?? '' },
        body: noConsent.text,
      },
      422,
    );
    expect(problem.title).toBe('No consent to this provision');
    const unknownItem = await provide('stats', { items: ['password'], basis: { type: 'consent' } });
    expect(unknownItem.status).toBe(400);
    expect((await call(stack, 'GET', '/v1/me', { sub: 'stats', token: apple })).json.provisions).toEqual([]);
  });

  it('L5: only separate consent or a law; contract and interests are refused whatever the reference', async () => {
    await join('bases', 'Bases Member', 'bases@example.com');
    for (const type of ['contract', 'vital-interests', 'legitimate-interests']) {
      const res = await provide('bases', { basis: { type, reference: 'our terms of service' } });
      expect(res.status, type).toBe(422);
      expect(res.json).toMatchObject({ title: 'Basis not allowed', field: 'basis' });
    }
    const blank = await provide('bases', { basis: { type: 'legal-obligation', reference: '  ' } });
    expect(blank.status).toBe(400);
    const law = await provide('bases', {
      recipient: { name: 'Police', contact: 'cyber@police.example' },
      basis: { type: 'legal-obligation', reference: 'warrant 2026-77' },
    });
    expect(law.status, law.text).toBe(201);
    expect(law.json).toMatchObject({ basis: 'legal-obligation', legalReference: 'warrant 2026-77' });
    const me = await call(stack, 'GET', '/v1/me', { sub: 'bases', token: apple });
    expect(me.json.provisions).toHaveLength(1);
  });

  it('L5: a recipient the policy names is provided to only while the member consents to it, per recipient', async () => {
    // The seed names no recipient; a catalogue that names one runs the same use cases on the
    // same tables, as the officer's and the member's functions would.
    const named = littleoneWith();
    await join('consenter', 'Consenter', 'consenter@example.com');
    const decide = (granted: boolean, at: string) =>
      invoked('put-provision-consent', stack.env, () =>
        memberProvisionConsent(named, 'consenter', 'courier', granted, new Date(at)),
      )();
    const provide = (items: string[], at: string) =>
      invoked('post-provision', stack.env, () =>
        recordProvision(
          named,
          'officer-1',
          {
            memberId: 'consenter',
            recipient: { name: 'Baby Courier', contact: 'privacy@courier.example' },
            items,
            purpose: 'service-delivery',
            basis: { type: 'consent' },
          } satisfies ProvisionRequest,
          new Date(at),
        ),
      )();
    await expect(provide(['userName'], '2026-06-01T00:00:00Z')).rejects.toMatchObject({
      title: 'No consent to this provision',
    });
    expect(await decide(true, '2026-06-01T01:00:00Z')).toMatchObject({ recipient: 'courier', granted: true });
    const provided = await provide(['userName', 'email'], '2026-06-01T02:00:00Z');
    expect(provided).toMatchObject({
      recipient: 'Baby Courier',
      basis: 'consent',
      items: ['userName', 'email'],
    });
    await expect(provide(['relationshipToBaby'], '2026-06-01T02:30:00Z')).rejects.toMatchObject({
      title: 'Item not held',
    });
    await expect(provide(['appleMemberNumber'], '2026-06-01T02:40:00Z')).rejects.toMatchObject({
      title: 'Item not declared for the purpose',
      extra: { items: ['appleMemberNumber'] },
    });

    // Suspended: withdrawing is a right (open), consenting again a grant of consent (blocked).
    expect(
      (await asOfficer(stack, 'POST', '/v1/admin/members/consenter/suspend', { reason: 'false name' }))
        .status,
    ).toBe(200);
    expect(await decide(false, '2026-06-01T03:00:00Z')).toMatchObject({ granted: false });
    await expect(decide(true, '2026-06-01T04:00:00Z')).rejects.toMatchObject({
      title: 'Membership suspended',
    });
    await expect(provide(['userName'], '2026-06-01T05:00:00Z')).rejects.toMatchObject({
      title: 'No consent to this provision',
    });

    const data = await invoked('get-consents', stack.env, () => requireMemberData('consenter'))();
    const [courier] = recipientConsentViews(named, data);
    expect(courier).toMatchObject({ recipient: 'courier', granted: false, channel: 'app' });
    expect(courier!.history.map((h) => [h.granted, h.channel])).toEqual([
      [false, 'app'],
      [true, 'app'],
    ]);
    const me = await call(stack, 'GET', '/v1/me', { sub: 'consenter', token: apple });
    expect(me.json.provisions).toEqual([
      expect.objectContaining({ provisionId: provided.provisionId, basis: 'consent' }),
    ]);
    // The withdrawal is a rights request in the ledger, completed.
    const ledger = await asOfficer(stack, 'GET', '/v1/admin/requests?member=consenter');
    const withdrawals = ledger.json.requests.filter((r: { type: string }) => r.type === 'consent-withdrawal');
    expect(withdrawals).toEqual([
      expect.objectContaining({
        channel: 'app',
        status: 'completed',
        outcome: expect.objectContaining({ summary: 'consent to provision withdrawn: courier' }),
      }),
    ]);
  });

  it('L5, L14: a withdrawal of consent to a recipient by phone, acted on by the officer, says phone; the view and the export list each recipient decision', async () => {
    const named = littleoneWith();
    await join('caller', 'Caller', 'caller@example.com');
    const granted = await invoked('put-provision-consent', stack.env, () =>
      memberProvisionConsent(named, 'caller', 'courier', true, new Date('2026-06-02T01:00:00Z')),
    )();
    expect(granted).toMatchObject({ granted: true });
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'caller',
      type: 'consent-withdrawal',
      channel: 'phone',
      verification: { method: 'call-back-to-registered-number', reference: 'call-back 0077' },
    });
    expect(logged.status, logged.text).toBe(201);
    // The action's body as the route validates it where the policy names recipients.
    const body = requestActionSchema(named).parse({
      action: 'withdraw-provision-consent',
      recipient: 'courier',
    });
    const acted = await invoked('post-request-action', stack.env, async () =>
      actOnRequest(
        named,
        await requireRequest(logged.json.requestId),
        'officer-1',
        body as RequestAction,
        new Date('2026-06-02T02:00:00Z'),
      ),
    )();
    expect(acted).toMatchObject({ status: 'completed', result: { recipient: 'courier', granted: false } });
    const data = await invoked('get-me', stack.env, () => requireMemberData('caller'))();
    const [courier] = recipientConsentViews(named, data);
    expect(courier).toMatchObject({ granted: false, channel: 'phone' });
    expect(courier!.history.map((h) => [h.granted, h.channel])).toEqual([
      [false, 'phone'],
      [true, 'app'],
    ]);
    // What the member sees of themselves and takes away names the decision and its channel.
    const view = await invoked('get-me', stack.env, () => viewMember(named, 'caller', new Date()))();
    expect(view.recipientConsents).toEqual([courier]);
    const exported = await invoked('get-export', stack.env, () =>
      exportMember(named, 'caller', new Date()),
    )();
    expect(exported.member.recipientConsents).toEqual([courier]);
    expect(memberViewResponse().safeParse(view).success).toBe(true);
    // The seed names no recipient: its members' view lists none, and the action is not offered.
    const me = await call(stack, 'GET', '/v1/me', { sub: 'caller', token: apple });
    expect(me.json.recipientConsents).toEqual([]);
    const offered = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'withdraw-provision-consent',
      recipient: 'courier',
    });
    expect(offered.status).toBe(400);
  });

  it('L5: an item is provided only under a purpose it is declared for, refused by name otherwise', async () => {
    await join('declared', 'Declared Member', 'declared@example.com');
    // appleMemberNumber is declared for membership only, not for service delivery.
    const res = await provide('declared', {
      recipient: { name: 'Police', contact: 'cyber@police.example' },
      items: ['email', 'appleMemberNumber'],
      purpose: 'service-delivery',
      basis: { type: 'legal-obligation', reference: 'warrant 2026-78' },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      title: 'Item not declared for the purpose',
      field: 'items',
      items: ['appleMemberNumber'],
    });
    expect(res.json.detail).toContain('appleMemberNumber');
    expect((await call(stack, 'GET', '/v1/me', { sub: 'declared', token: apple })).json.provisions).toEqual(
      [],
    );
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
