/**
 * Recipients told of every change (GDPR Art. 19) and the extension notice (GDPR Art. 12(3)), for
 * the lgcns profile: HTTP to the local front, handlers against moto, emails read from SES.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { physicalNames } from '../../local/bootstrap';
import { readOutbox } from '../../local/outbox';
import { membersTable } from '../../model/members-table';
import { startTestStack, type TestStack } from './harness';
import { call, mailsTo, scanTable } from './member-api';
import { asOfficer, documentClientOf } from './officer-api';

const password = { method: 'password' as const };
const required = { membership: true, inquiries: true, 'service-history': true };
const legal = { type: 'contract', reference: 'delivery of the service' };

let stack: TestStack;

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

/** Provides `items` of `memberId` to `recipient` (contact `<recipient>@agency.example`). */
async function provide(memberId: string, recipient: string, items: string[]) {
  const res = await asOfficer(stack, 'POST', '/v1/admin/provisions', {
    memberId,
    recipient: { name: recipient, contact: `${recipient.toLowerCase()}@agency.example` },
    items,
    purpose: 'inquiries',
    basis: legal,
  });
  expect(res.status).toBe(201);
}

/** The emails sent since `mark` (an outbox length), by recipient address. */
async function sentSince(mark: number) {
  return (await readOutbox(stack.endpoint)).slice(mark);
}

beforeAll(async () => {
  // Through the fault proxy, so a test can make SES refuse a notice.
  stack = await startTestStack('lgcns', { faults: true });
});
afterAll(async () => {
  await stack?.stop();
});

describe('recipients told of every change (GDPR Art. 19, lgcns)', () => {
  it('GDPR Art. 19: a restriction reaches each recipient once, a replacement tells nobody again, and GET /v1/me lists them', async () => {
    await join('restrictor');
    await provide('restrictor', 'Courier', ['name']);
    await provide('restrictor', 'Courier', ['name', 'email']);
    await provide('restrictor', 'Insurer', ['email']);
    const mark = (await readOutbox(stack.endpoint)).length;
    const restricted = await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'restrictor',
      token: password,
      body: { scope: 'provision', reason: 'dispute about delivery' },
    });
    expect(restricted.status).toBe(200);
    const told = await sentSince(mark);
    expect(told.flatMap((m) => m.to).sort()).toEqual(['courier@agency.example', 'insurer@agency.example']);
    expect(told.every((m) => m.subject.includes('처리정지'))).toBe(true);
    // Item labels and provision ids, never the member's values.
    expect(told.some((m) => m.body.includes('restrictor@example.com'))).toBe(false);
    expect(told.find((m) => m.to.includes('courier@agency.example'))!.body).toMatch(/\(email\)/);

    // A restriction replacing the one in force is the same restriction to the recipients.
    const again = await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'restrictor',
      token: password,
      body: { scope: 'all', reason: 'and everything else' },
    });
    expect(again.status).toBe(200);
    expect(await sentSince(mark + told.length)).toEqual([]);

    const me = await call(stack, 'GET', '/v1/me', { sub: 'restrictor', token: password });
    expect(
      me.json.recipientNotices.map((n: { change: string; recipient: string; status: string }) => [
        n.change,
        n.recipient,
        n.status,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['restriction', 'Courier', 'sent'],
        ['restriction', 'Insurer', 'sent'],
      ]),
    );
    expect(me.json.recipientNotices).toHaveLength(2);
    const courier = me.json.recipientNotices.find((n: { recipient: string }) => n.recipient === 'Courier');
    expect(courier.provisionIds).toHaveLength(2);
  });

  it('GDPR Art. 19: an erasure (withdrawal) reaches each recipient once, and the receipt names them', async () => {
    await join('eraser');
    await provide('eraser', 'Courier', ['name']);
    await provide('eraser', 'Insurer', ['email']);
    await provide('eraser', 'Insurer', ['name']);
    const mark = (await readOutbox(stack.endpoint)).length;
    const withdrawn = await call(stack, 'DELETE', '/v1/me', {
      sub: 'eraser',
      token: password,
      headers: { 'idempotency-key': 'erase-once' },
    });
    expect(withdrawn.status).toBe(200);
    const told = await sentSince(mark);
    const toRecipients = told.filter((m) => m.to.some((a) => a.endsWith('@agency.example')));
    expect(toRecipients.flatMap((m) => m.to).sort()).toEqual([
      'courier@agency.example',
      'insurer@agency.example',
    ]);
    expect(toRecipients.every((m) => m.subject.includes('삭제'))).toBe(true);
    expect(withdrawn.json.receipt.recipientsTold).toEqual(
      expect.arrayContaining([
        { recipient: 'Courier', contact: 'courier@agency.example' },
        { recipient: 'Insurer', contact: 'insurer@agency.example' },
      ]),
    );

    // The same withdrawal delivered again, and a rerun of it, tell nobody again.
    const replay = await call(stack, 'DELETE', '/v1/me', {
      sub: 'eraser',
      token: password,
      headers: { 'idempotency-key': 'erase-once' },
    });
    expect(replay.status).toBe(200);
    const rerun = await call(stack, 'DELETE', '/v1/me', { sub: 'eraser', token: password });
    expect([200, 404]).toContain(rerun.status);
    const after = await sentSince(mark + told.length);
    expect(after.filter((m) => m.to.some((a) => a.endsWith('@agency.example')))).toEqual([]);
  });

  it('GDPR Art. 19: a termination by the officer is an erasure each recipient hears of once', async () => {
    await join('terminated');
    await provide('terminated', 'Courier', ['name', 'email']);
    const mark = (await readOutbox(stack.endpoint)).length;
    const path = '/v1/admin/members/terminated/terminate';
    const done = await asOfficer(stack, 'POST', path, { reason: 'false identity confirmed' });
    expect(done.status).toBe(200);
    expect(done.json.receipt.recipientsTold).toEqual([
      { recipient: 'Courier', contact: 'courier@agency.example' },
    ]);
    const told = (await sentSince(mark)).filter((m) => m.to.includes('courier@agency.example'));
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toContain('삭제');
  });

  it('GDPR Art. 19: SES failing mid-way fails the erasure closed (503); the retry tells only the recipients not yet told', async () => {
    await join('interrupted');
    await provide('interrupted', 'Courier', ['name']);
    await provide('interrupted', 'Insurer', ['email']);
    const mark = (await readOutbox(stack.endpoint)).length;
    // The first recipient's email goes, the second's is refused.
    stack.faults!.inject({ service: 'ses', operation: 'SendEmail', after: 1, times: 1, kind: 'realistic' });
    const failed = await call(stack, 'DELETE', '/v1/me', { sub: 'interrupted', token: password });
    stack.faults!.reset();
    expect(failed.status).toBe(503);
    const retried = await call(stack, 'DELETE', '/v1/me', { sub: 'interrupted', token: password });
    expect(retried.status).toBe(200);
    const told = (await sentSince(mark)).flatMap((m) => m.to).filter((a) => a.endsWith('@agency.example'));
    expect(told.sort()).toEqual(['courier@agency.example', 'insurer@agency.example']);
  });

  it('GDPR Art. 19: SES failing after a restriction answers 503 with the restriction in force; the retry tells the rest once', async () => {
    await join('held');
    await provide('held', 'Courier', ['name']);
    await provide('held', 'Insurer', ['email']);
    const mark = (await readOutbox(stack.endpoint)).length;
    stack.faults!.inject({ service: 'ses', operation: 'SendEmail', after: 0, times: 1, kind: 'realistic' });
    const body = { scope: 'provision', reason: 'dispute' };
    const failed = await call(stack, 'PUT', '/v1/me/restriction', { sub: 'held', token: password, body });
    stack.faults!.reset();
    expect(failed.status).toBe(503);
    const meanwhile = await call(stack, 'GET', '/v1/me', { sub: 'held', token: password });
    expect(meanwhile.json.restriction).toMatchObject({ scope: 'provision' });
    const retried = await call(stack, 'PUT', '/v1/me/restriction', { sub: 'held', token: password, body });
    expect(retried.status).toBe(200);
    const told = (await sentSince(mark)).flatMap((m) => m.to).filter((a) => a.endsWith('@agency.example'));
    expect(told.sort()).toEqual(['courier@agency.example', 'insurer@agency.example']);
    const me = await call(stack, 'GET', '/v1/me', { sub: 'held', token: password });
    expect(me.json.recipientNotices.map((n: { status: string }) => n.status)).toEqual(['sent', 'sent']);
  });

  it('GDPR Art. 19: a member without provisions tells nobody, and bad input changes nothing', async () => {
    await join('lonely');
    const mark = (await readOutbox(stack.endpoint)).length;
    const before = await scanTable(stack, 'members');
    const bad = await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'lonely',
      token: password,
      body: { scope: 'everything', reason: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(await scanTable(stack, 'members')).toEqual(before);
    const restricted = await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'lonely',
      token: password,
      body: { scope: 'all', reason: 'no reason given' },
    });
    expect(restricted.status).toBe(200);
    expect(await sentSince(mark)).toEqual([]);
    const me = await call(stack, 'GET', '/v1/me', { sub: 'lonely', token: password });
    expect(me.json.recipientNotices).toEqual([]);
  });
});

describe('the extension of a GDPR request is told to the member (GDPR Art. 12(3), lgcns)', () => {
  const log = (memberId: string) =>
    asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId,
      type: 'access',
      channel: 'letter',
      jurisdiction: 'gdpr',
      receivedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
    });

  it('GDPR Art. 12(3): the member is emailed within the first month with the reason, in Korean by default, once per delivery', async () => {
    await join('waiting');
    const logged = await log('waiting');
    expect(logged.status).toBe(201);
    const path = `/v1/admin/requests/${logged.json.requestId}/extension`;
    const body = { months: 1, reason: '동시에 접수된 요청이 많음' };
    const headers = { 'idempotency-key': 'extend-waiting' };
    const first = await call(stack, 'POST', path, {
      sub: 'officer-kim',
      token: { groups: ['privacy-officer'] },
      body,
      headers,
    });
    expect(first.status).toBe(200);
    const mails = await mailsTo(stack, 'waiting@example.com');
    const notice = mails.filter((m) => m.subject.includes('연장'));
    expect(notice).toHaveLength(1);
    expect(notice[0]!.body).toContain('동시에 접수된 요청이 많음');
    expect(notice[0]!.body).toContain(logged.json.requestId);
    expect(notice[0]!.body).toContain('1개월');
    // Sent the day of the extension, inside the first deadline.
    expect(Date.now()).toBeLessThan(Date.parse(`${logged.json.deadline}T15:00:00Z`));
    const replay = await call(stack, 'POST', path, {
      sub: 'officer-kim',
      token: { groups: ['privacy-officer'] },
      body,
      headers,
    });
    expect(replay.status).toBe(200);
    expect(
      (await mailsTo(stack, 'waiting@example.com')).filter((m) => m.subject.includes('연장')),
    ).toHaveLength(1);
    const record = (await scanTable(stack, 'requests')).find((r) => r.requestId === logged.json.requestId);
    expect((record?.extension as { noticeSentAt?: string }).noticeSentAt).toBeDefined();
  });

  it('GDPR Art. 12(3): a member whose language is English is told in English', async () => {
    await join('english');
    await documentClientOf(stack).send(
      new UpdateCommand({
        TableName: physicalNames.table(stack.profile, 'members'),
        Key: membersTable.profile('english'),
        UpdateExpression: 'SET lang = :en',
        ExpressionAttributeValues: { ':en': 'en' },
      }),
    );
    const logged = await log('english');
    const ext = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/extension`, {
      months: 2,
      reason: 'many requests at once',
    });
    expect(ext.status).toBe(200);
    const notice = (await mailsTo(stack, 'english@example.com')).filter((m) =>
      m.subject.includes('extended'),
    );
    expect(notice).toHaveLength(1);
    expect(notice[0]!.body).toContain('Reason: many requests at once');
    expect(notice[0]!.body).toContain('by 2 months');
    expect(notice[0]!.body).toMatch(/New deadline: \d{1,2} [A-Z][a-z]+ \d{4}/);
  });

  it('GDPR Art. 12(3): a refused extension emails nobody', async () => {
    await join('pipa');
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId: 'pipa',
      type: 'access',
      channel: 'letter',
      receivedAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const refused = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/extension`, {
      months: 1,
      reason: 'busy',
    });
    expect(refused.status).toBe(409);
    expect((await mailsTo(stack, 'pipa@example.com')).filter((m) => m.subject.includes('연장'))).toEqual([]);
  });
});
