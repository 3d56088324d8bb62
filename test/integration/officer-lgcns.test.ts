/**
 * The privacy officer's API end to end for the lgcns profile: authorization, the request
 * ledger with offline requests, suspension, provisions with correction propagation, handler
 * access records and the daily digest. HTTP to the local front, handlers against moto.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { physicalNames } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { verifyAccessRecords } from '../../local/verify-access-records';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { call, latestCode, mailsTo, scanTable } from './member-api';
import { asOfficer, chainOf, documentClientOf, officerCalls } from './officer-api';

const password = { method: 'password' as const };
const required = { membership: true, inquiries: true, 'service-history': true };

async function join(sub: string) {
  const res = await call(stack, 'POST', '/v1/members', {
    sub,
    token: password,
    body: {
      items: { name: `Name of ${sub}`, email: `${sub}@example.com` },
      consents: required,
      ageAffirmation: true,
      policyVersion: '1.0',
    },
  });
  expect(res.status).toBe(201);
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack('lgcns');
  await join('victim');
});
afterAll(async () => {
  await stack?.stop();
});

describe('who may call the officer API (lgcns)', () => {
  it('G17: every admin route answers 403 to a member token and writes nothing', async () => {
    const before = {
      records: (await chainOf(stack)).length,
      requests: (await scanTable(stack, 'requests')).length,
    };
    for (const route of officerCalls('victim')) {
      const res = await call(stack, route.method, route.path, {
        sub: 'victim',
        token: password,
        ...(route.method === 'POST' ? { body: {} } : {}),
      });
      await expectProblem(
        {
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? '' },
          body: res.text,
        },
        403,
      );
    }
    expect((await chainOf(stack)).length).toBe(before.records);
    expect((await scanTable(stack, 'requests')).length).toBe(before.requests);
  });
});

describe('request ledger (lgcns)', () => {
  it('G10: a self-service view is a completed ledger record with a 10-day PIPA deadline', async () => {
    const view = await call(stack, 'GET', '/v1/me', { sub: 'victim', token: password });
    expect(view.status).toBe(200);
    const ledger = await asOfficer(stack, 'GET', '/v1/admin/requests?member=victim');
    expect(ledger.status).toBe(200);
    const access = ledger.json.requests.find((r: { type: string }) => r.type === 'access');
    expect(access).toMatchObject({
      channel: 'app',
      status: 'completed',
      handler: 'self-service',
      jurisdiction: 'pipa',
    });
    const received = new Date(access.receivedAt);
    const day = new Date(received.getTime() + 9 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(access.deadline).toBe(day);
  });

  it('G10: an offline request without identity-verification evidence cannot be acted on', async () => {
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'access',
      channel: 'phone',
    });
    expect(logged.status).toBe(201);
    expect(logged.json.status).toBe('awaiting-verification');
    const refused = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'view',
    });
    const problem = await expectProblem(
      {
        status: refused.status,
        headers: { 'content-type': refused.headers.get('content-type') ?? '' },
        body: refused.text,
      },
      409,
    );
    expect(problem.title).toBe('Identity not verified');
    expect(refused.text).not.toContain('Name of victim');

    const verified = await asOfficer(
      stack,
      'POST',
      `/v1/admin/requests/${logged.json.requestId}/verification`,
      {
        method: 'call-back-to-registered-number',
        reference: 'call-back 2026-11-21 10:02',
      },
    );
    expect(verified.json.status).toBe('open');
    expect(verified.text).not.toContain('call-back 2026');
    const viewed = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'view',
    });
    expect(viewed.status).toBe(200);
    expect(viewed.json.status).toBe('completed');
    expect(viewed.json.result.items.map((i: { id: string }) => i.id)).toContain('name');
    const again = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
      action: 'view',
    });
    expect(again.status).toBe(409);
  });

  it('G10: the action must answer the request, an export needs a download reason, unknown fields are refused', async () => {
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'portability',
      channel: 'email',
      verification: { method: 'reply-from-registered-email', reference: 'mail 4411' },
    });
    const path = `/v1/admin/requests/${logged.json.requestId}/actions`;
    expect((await asOfficer(stack, 'POST', path, { action: 'delete' })).status).toBe(422);
    const noReason = await asOfficer(stack, 'POST', path, { action: 'export' });
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors).toEqual([{ field: 'downloadReason', problem: 'required' }]);
    const extra = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'access',
      channel: 'fax',
      note: 'x',
    });
    expect(extra.status).toBe(400);
    const exported = await asOfficer(stack, 'POST', path, {
      action: 'export',
      downloadReason: 'mailed to the member',
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="personal-data-/);
    const records = await asOfficer(stack, 'GET', '/v1/admin/access-records?member=victim');
    expect(records.json.records[0]).toMatchObject({
      action: 'get-access-records',
      memberId: 'victim',
      officerId: 'officer-kim',
    });
    expect(records.json.records[1]).toMatchObject({
      action: 'post-request-action',
      reason: 'mailed to the member',
      requestId: logged.json.requestId,
    });
    expect(records.json.records[1].sourceIp).toMatch(/127\.0\.0\.1/);
  });

  it('G10: a PIPA request cannot be extended; a request in the future is refused', async () => {
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'access',
      channel: 'letter',
    });
    const ext = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/extension`, {
      months: 1,
      reason: 'complex',
    });
    expect(ext.status).toBe(409);
    const future = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'access',
      channel: 'letter',
      receivedAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(future.json.errors).toEqual([{ field: 'receivedAt', problem: 'must not be in the future' }]);
  });

  it('G10: a GDPR request is extended by up to two months, with a reason', async () => {
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'access',
      channel: 'letter',
      jurisdiction: 'gdpr',
      receivedAt: '2024-01-31T03:00:00Z',
    });
    expect(logged.json.deadline).toBe('2024-02-29');
    const path = `/v1/admin/requests/${logged.json.requestId}/extension`;
    const noReason = await asOfficer(stack, 'POST', path, { months: 2 });
    expect(noReason.status).toBe(400);
    const ext = await asOfficer(stack, 'POST', path, { months: 2, reason: 'many requests at once' });
    expect(ext.status).toBe(200);
    expect(ext.json.deadline).toBe('2024-04-30');
    expect(ext.json.extension).toMatchObject({ months: 2, reason: 'many requests at once' });
    const tooMuch = await asOfficer(stack, 'POST', path, { months: 1, reason: 'more' });
    expect(tooMuch.status).toBe(400);
  });

  it('G10: overdue requests are listed, counted by the daily job and sent to the officer in a digest', async () => {
    const old = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'victim',
      type: 'correction',
      channel: 'letter',
      receivedAt: new Date(Date.now() - 20 * 86_400_000).toISOString(),
    });
    const overdue = await asOfficer(stack, 'GET', '/v1/admin/requests?overdue=true');
    expect(overdue.json.requests.map((r: { requestId: string }) => r.requestId)).toContain(
      old.json.requestId,
    );
    expect(overdue.json.requests.every((r: { overdue: boolean }) => r.overdue)).toBe(true);
    const counts = (await runJob('requestsDigest', stack.env, stack.profile)) as Record<string, number>;
    expect(counts.overdue).toBeGreaterThanOrEqual(1);
    expect(counts.digestSent).toBe(1);
    const digest = (await mailsTo(stack, 'syoonlee@lgcns.com')).at(-1)!;
    // The officer reads Korean (the catalogue's officer contact states no other language).
    expect(digest.subject).toMatch(/기한 초과/);
    expect(digest.body).toContain(old.json.requestId);
    expect(digest.body).not.toContain('Name of victim');
  });
});

describe('suspension (lgcns)', () => {
  it('G10: a suspended member keeps every right (view, export, correct, consent withdrawal, restriction); what the catalogue blocks waits for reinstatement', async () => {
    await join('liar');
    const suspend = await asOfficer(stack, 'POST', '/v1/admin/members/liar/suspend', {
      reason: 'used another name',
    });
    expect(suspend.status).toBe(200);
    const as = (method: string, path: string, body?: unknown) =>
      call(stack, method, path, { sub: 'liar', token: password, ...(body !== undefined ? { body } : {}) });
    expect((await as('GET', '/v1/me')).json.status).toBe('suspended');
    expect((await as('GET', '/v1/me/export')).status).toBe(200);
    expect((await as('GET', '/v1/me/consents')).status).toBe(200);
    expect((await as('PATCH', '/v1/me', { items: { name: 'X' } })).status).toBe(200);
    expect((await as('PUT', '/v1/me/consents/statistics', { granted: false })).status).toBe(200);
    expect((await as('PUT', '/v1/me/restriction', { scope: 'all', reason: 'objection' })).status).toBe(200);
    const grant = await as('PUT', '/v1/me/consents/statistics', { granted: true });
    const problem = await expectProblem(
      {
        status: grant.status,
        headers: { 'content-type': grant.headers.get('content-type') ?? '' },
        body: grant.text,
      },
      403,
    );
    expect(problem.title).toBe('Membership suspended');
    expect(problem.detail).toMatch(/rights stay open/);
    expect((await as('DELETE', '/v1/me/restriction')).status).toBe(403);
    const stored = (await scanTable(stack, 'members')).find((i) => i.pk === 'M#liar' && i.sk === 'PROFILE')!;
    expect(JSON.stringify(stored)).not.toContain('used another name');
    expect(
      (await asOfficer(stack, 'POST', '/v1/admin/members/liar/reinstate', { reason: 'identity proven' }))
        .status,
    ).toBe(200);
    expect((await as('PUT', '/v1/me/consents/statistics', { granted: true })).status).toBe(200);
    expect((await as('DELETE', '/v1/me/restriction')).status).toBe(200);
  });
});

describe('third-party provisions (lgcns)', () => {
  const provision = (memberId: string, recipient: string, items: string[], basis: unknown) => ({
    memberId,
    recipient: { name: recipient, contact: `${recipient.toLowerCase().replace(/\W/g, '')}@agency.example` },
    items,
    purpose: 'inquiries',
    basis,
  });

  it('G6: refused without consent to that recipient; recorded on the service agreement and shown to the member', async () => {
    await join('prov');
    const noConsent = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('prov', 'Acme', ['name'], { type: 'consent' }),
    );
    expect(noConsent.status).toBe(422);
    expect(noConsent.json.field).toBe('basis');
    const noReference = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('prov', 'Courier', ['name'], { type: 'contract' }),
    );
    expect(noReference.status).toBe(400);
    const lawful = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('prov', 'Courier', ['name', 'email'], {
        type: 'contract',
        reference: 'delivery of the service; the member cannot be reached for consent',
      }),
    );
    expect(lawful.status).toBe(201);
    const me = await call(stack, 'GET', '/v1/me', { sub: 'prov', token: password });
    expect(me.json.provisions).toEqual([
      expect.objectContaining({
        recipient: 'Courier',
        items: ['name', 'email'],
        basis: 'contract',
        legalReference: 'delivery of the service; the member cannot be reached for consent',
      }),
    ]);
    const listed = await asOfficer(stack, 'GET', '/v1/admin/provisions?member=prov');
    expect(listed.json.provisions).toHaveLength(1);
  });

  it('G6: only consent or the service agreement; an item outside the purpose is refused by name', async () => {
    await join('bases');
    for (const type of ['legal-obligation', 'vital-interests', 'legitimate-interests']) {
      const res = await asOfficer(
        stack,
        'POST',
        '/v1/admin/provisions',
        provision('bases', 'Broker', ['name'], { type, reference: 'any text at all' }),
      );
      expect(res.status, type).toBe(422);
      expect(res.json).toMatchObject({ title: 'Basis not allowed', field: 'basis' });
    }
    // loginId is declared for membership only, not for inquiries.
    const outside = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('bases', 'Courier', ['name', 'loginId'], { type: 'contract', reference: 'delivery' }),
    );
    expect(outside.status).toBe(422);
    expect(outside.json).toMatchObject({ title: 'Item not declared for the purpose', items: ['loginId'] });
    expect(outside.json.detail).toContain('loginId');
    const me = await call(stack, 'GET', '/v1/me', { sub: 'bases', token: password });
    expect(me.json.provisions).toEqual([]);
  });

  it('G6: the policy names no recipient, so the consent route is not served', async () => {
    await join('norecipient');
    const res = await call(stack, 'PUT', '/v1/me/provision-consents/acme', {
      sub: 'norecipient',
      token: password,
      body: { granted: true },
    });
    expect(res.status).toBe(404);
    const held = await call(stack, 'GET', '/v1/me/consents', { sub: 'norecipient', token: password });
    expect(held.json.recipients).toEqual([]);
  });

  it('G11: items under correction and restricted members are never provided', async () => {
    await join('frozen');
    const patch = await call(stack, 'PATCH', '/v1/me', {
      sub: 'frozen',
      token: password,
      body: { items: { email: 'frozen-new@example.com' } },
    });
    expect(patch.json.pending).toHaveLength(1);
    const legal = { type: 'contract', reference: 'court order 5' };
    const frozen = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('frozen', 'Court', ['email'], legal),
    );
    expect(frozen.status).toBe(409);
    expect(frozen.json.title).toBe('Item under correction');
    expect(
      (await asOfficer(stack, 'POST', '/v1/admin/provisions', provision('frozen', 'Court', ['name'], legal)))
        .status,
    ).toBe(201);
    await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'frozen',
      token: password,
      body: { scope: 'provision', reason: 'dispute' },
    });
    const restricted = await asOfficer(
      stack,
      'POST',
      '/v1/admin/provisions',
      provision('frozen', 'Court', ['name'], legal),
    );
    expect(restricted.status).toBe(409);
  });

  it('G11: a completed correction reaches each recipient of the item once, with the corrected value', async () => {
    await join('moved');
    const legal = { type: 'contract', reference: 'tax audit 9' };
    for (const [recipient, items] of [
      ['Tax Office', ['name']],
      ['Tax Office', ['name', 'email']],
      ['Insurer', ['email']],
    ] as const) {
      expect(
        (
          await asOfficer(
            stack,
            'POST',
            '/v1/admin/provisions',
            provision('moved', recipient, [...items], legal),
          )
        ).status,
      ).toBe(201);
    }
    const before = (await readOutbox(stack.endpoint)).length;
    await call(stack, 'PATCH', '/v1/me', {
      sub: 'moved',
      token: password,
      body: { items: { name: 'Corrected Name' } },
    });
    const sent = (await readOutbox(stack.endpoint)).slice(before);
    expect(sent.flatMap((m) => m.to)).toEqual(['taxoffice@agency.example']);
    expect(sent[0]!.body).toContain('Corrected Name');

    await call(stack, 'PATCH', '/v1/me', {
      sub: 'moved',
      token: password,
      body: { items: { email: 'moved-new@example.com' } },
    });
    const code = await latestCode(stack, 'moved-new@example.com');
    const pending = (await call(stack, 'GET', '/v1/me', { sub: 'moved', token: password })).json
      .pendingCorrections[0];
    const mark = (await readOutbox(stack.endpoint)).length;
    const confirmed = await call(stack, 'POST', `/v1/me/corrections/${pending.correctionId}/confirm`, {
      sub: 'moved',
      token: password,
      body: { code },
    });
    expect(confirmed.status).toBe(200);
    const told = (await readOutbox(stack.endpoint)).slice(mark);
    expect(told.flatMap((m) => m.to).sort()).toEqual(['insurer@agency.example', 'taxoffice@agency.example']);
    expect(told.every((m) => m.body.includes('moved-new@example.com'))).toBe(true);
    const notices = (await asOfficer(stack, 'GET', '/v1/admin/provisions?member=moved')).json
      .correctionNotices;
    expect(notices).toHaveLength(3);
    expect(notices.every((n: { status: string }) => n.status === 'sent')).toBe(true);
  });
});

describe('handler access records (lgcns)', () => {
  it('G17: one record per officer action, the chain verifies, a modified record is detected', async () => {
    const before = (await chainOf(stack)).length;
    await asOfficer(stack, 'GET', '/v1/admin/members/victim?reason=complaint%2042');
    await asOfficer(stack, 'GET', '/v1/admin/requests');
    const noReason = await asOfficer(stack, 'GET', '/v1/admin/members/victim');
    expect(noReason.status).toBe(400);
    const chain = await chainOf(stack);
    expect(chain.length).toBe(before + 2);
    const view = chain.at(-2)!;
    expect(view).toMatchObject({ action: 'get-admin-member', memberId: 'victim', officerId: 'officer-kim' });
    expect(JSON.stringify(view)).not.toContain('complaint 42');
    expect(JSON.stringify(view)).not.toContain('127.0.0.1');

    expect(await verifyAccessRecords(stack.env)).toMatchObject({ intact: true, records: chain.length });

    await documentClientOf(stack).send(
      new UpdateCommand({
        TableName: physicalNames.table(stack.profile, 'handlerAccess'),
        Key: { chain: view.chain, seq: view.seq },
        UpdateExpression: 'SET memberId = :other',
        ExpressionAttributeValues: { ':other': 'someone-else' },
      }),
    );
    expect(await verifyAccessRecords(stack.env)).toMatchObject({
      intact: false,
      brokenAt: { seq: view.seq, problem: 'hash mismatch' },
    });
    // The console shows the same verdict: the API checks the chain when asked.
    const verified = await asOfficer(stack, 'GET', '/v1/admin/access-records?verify=true');
    expect(verified.status).toBe(200);
    expect(verified.json.chain).toMatchObject({
      intact: false,
      brokenAt: { seq: Number(view.seq), problem: 'hash mismatch' },
    });
    await documentClientOf(stack).send(
      new UpdateCommand({
        TableName: physicalNames.table(stack.profile, 'handlerAccess'),
        Key: { chain: view.chain, seq: view.seq },
        UpdateExpression: 'SET memberId = :back',
        ExpressionAttributeValues: { ':back': 'victim' },
      }),
    );
    expect((await verifyAccessRecords(stack.env)).intact).toBe(true);
    const again = await asOfficer(stack, 'GET', '/v1/admin/access-records?verify=true');
    const count = (await chainOf(stack)).length;
    expect(again.json.chain).toEqual({ intact: true, records: count, firstSeq: 1, lastSeq: count });
    expect((await asOfficer(stack, 'GET', '/v1/admin/access-records')).json.chain).toBeUndefined();
  });

  it('G17: concurrent officers each get their own place in one unbroken chain', async () => {
    const before = (await chainOf(stack)).length;
    const results = await Promise.all(
      ['officer-a', 'officer-b', 'officer-c', 'officer-d'].map((sub) =>
        asOfficer(stack, 'GET', '/v1/admin/members/victim?reason=audit', undefined, sub),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const chain = await chainOf(stack);
    expect(chain.length).toBe(before + 4);
    expect(new Set(chain.map((r) => r.seq)).size).toBe(chain.length);
    expect((await verifyAccessRecords(stack.env)).intact).toBe(true);
  });
});
