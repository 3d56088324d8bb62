/**
 * Failing closed (L13/G15 and the rights that write): when KMS, DynamoDB, SES or the user pool
 * fails, the request answers a generic 5xx, nothing is half-written and no plaintext is stored;
 * once the dependency is back, a retry completes exactly once. Faults are injected by a proxy
 * between the handlers and a real moto server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localAccountExists } from '../../local/accounts';
import type { FaultProxy } from '../support/fault-proxy';
import { startTestStack, type TestStack } from './harness';
import { call, mailsTo, scanTable, scanTables } from './member-api';

const apple = { method: 'apple' as const };
const consents = { membership: true, 'service-delivery': true, 'abuse-prevention': true };

function join(marker: string) {
  return {
    items: {
      userName: `${marker}-name`,
      email: `${marker}@example.com`,
    },
    consents,
    ageAffirmation: true,
    policyVersion: '1.0',
  };
}

let stack: TestStack;
let faults: FaultProxy;
beforeAll(async () => {
  stack = await startTestStack('littleone', { faults: true });
  faults = stack.faults!;
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => faults.reset());

/**
 * Every stored item that belongs to `sub`, in any table but the records of what was asked and
 * done — the access log (G3) and the request ledger (L14/G10) — which keep refused and failed
 * requests too, and the outbox, whose lifecycle events (ids only) name the member until TTL
 * removes them two days after their change.
 */
async function itemsOf(sub: string) {
  const tables = await scanTables(stack, ['accessLog', 'requests', 'outbox']);
  return Object.entries(tables).flatMap(([table, items]) =>
    items.filter((i) => JSON.stringify(i).includes(sub)).map((i) => ({ table, item: i })),
  );
}

/** A 5xx problem that names neither the dependency nor anything the caller sent. */
function expectGenericFailure(
  res: { status: number; text: string; json: { title?: string } },
  marker: string,
) {
  expect(res.status).toBe(503);
  expect(res.json.title).toBe('Service temporarily unavailable');
  expect(res.text).not.toMatch(new RegExp(`${marker}|kms|dynamo|ses|cognito|Exception|at [\\w.]+ \\(`, 'i'));
}

/** The local front's log never carries what a member sent. */
function expectLogsFree(marker: string) {
  expect(stack.log.join('\n')).not.toContain(marker);
}

describe('failing closed (littleone)', () => {
  it('L13/G15: a join while KMS is unreachable answers 503, stores nothing, and a retry joins once', async () => {
    faults.inject({ service: 'kms', kind: 'unreachable' });
    const headers = { 'idempotency-key': 'fc-join-kms' };
    const failed = await call(stack, 'POST', '/v1/members', {
      sub: 'fc-kms',
      token: apple,
      headers,
      body: join('FcKmsMarker'),
    });
    expectGenericFailure(failed, 'FcKmsMarker');
    expect(faults.failed.length).toBeGreaterThan(0);
    expect(await itemsOf('fc-kms')).toEqual([]);

    faults.reset();
    const retried = await call(stack, 'POST', '/v1/members', {
      sub: 'fc-kms',
      token: apple,
      headers,
      body: join('FcKmsMarker'),
    });
    expect(retried.status).toBe(201);
    const again = await call(stack, 'POST', '/v1/members', {
      sub: 'fc-kms',
      token: apple,
      headers,
      body: join('FcKmsMarker'),
    });
    expect(again.json).toEqual(retried.json);
    expect(
      (await scanTable(stack, 'members')).filter((i) => i.pk === 'M#fc-kms' && i.sk === 'PROFILE'),
    ).toHaveLength(1);
    expect(JSON.stringify(await scanTables(stack))).not.toContain('FcKmsMarker');
    expectLogsFree('FcKmsMarker');
  });

  it('L13/G15: a join whose transaction DynamoDB refuses leaves no member, key or lookup behind', async () => {
    faults.inject({ service: 'dynamodb', operation: 'TransactWriteItems', kind: 'internal' });
    const failed = await call(stack, 'POST', '/v1/members', {
      sub: 'fc-ddb',
      token: apple,
      body: join('FcDdbMarker'),
    });
    expectGenericFailure(failed, 'FcDdbMarker');
    expect(await itemsOf('fc-ddb')).toEqual([]);
    // The identifiers stay free: no lookup item claims them.
    faults.reset();
    const joined = await call(stack, 'POST', '/v1/members', {
      sub: 'fc-ddb',
      token: apple,
      body: join('FcDdbMarker'),
    });
    expect(joined.status).toBe(201);
  });

  it('L13/G15: a view while DynamoDB throttles answers 503 and returns no personal data', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'fc-view', token: apple, body: join('FcViewMarker') });
    faults.inject({ service: 'dynamodb', kind: 'throttled' });
    const res = await call(stack, 'GET', '/v1/me', { sub: 'fc-view', token: apple });
    expectGenericFailure(res, 'FcViewMarker');
  });

  it('L15/G11: a correction whose code cannot be emailed answers 503 and leaves the item as it was', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'fc-mail', token: apple, body: join('FcMailMarker') });
    const before = await scanTable(stack, 'members');
    faults.inject({ service: 'ses', operation: 'SendEmail' });
    const res = await call(stack, 'PATCH', '/v1/me', {
      sub: 'fc-mail',
      token: apple,
      body: { items: { email: 'fc-mail-new@example.com' } },
    });
    expectGenericFailure(res, 'fc-mail-new');
    expect(await scanTable(stack, 'members')).toEqual(before);
    const view = await call(stack, 'GET', '/v1/me', { sub: 'fc-mail', token: apple });
    expect(view.json.pendingCorrections).toEqual([]);

    faults.reset();
    const retried = await call(stack, 'PATCH', '/v1/me', {
      sub: 'fc-mail',
      token: apple,
      body: { items: { email: 'fc-mail-new@example.com' } },
    });
    expect(retried.status).toBe(200);
    expect(await mailsTo(stack, 'fc-mail-new@example.com')).toHaveLength(1);
  });

  it('L16: a restriction is not lifted when the member cannot be told first', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'fc-lift', token: apple, body: join('FcLiftMarker') });
    await call(stack, 'PUT', '/v1/me/restriction', {
      sub: 'fc-lift',
      token: apple,
      body: { scope: 'all', reason: 'FcLiftReason' },
    });
    faults.inject({ service: 'ses', operation: 'SendEmail', kind: 'unreachable' });
    const res = await call(stack, 'DELETE', '/v1/me/restriction', { sub: 'fc-lift', token: apple });
    expectGenericFailure(res, 'FcLiftReason');
    faults.reset();
    const view = await call(stack, 'GET', '/v1/me', { sub: 'fc-lift', token: apple });
    expect(view.json.restriction).toMatchObject({ scope: 'all' });
  });

  it('L7/G7: a withdrawal whose receipt cannot be signed changes nothing', async () => {
    await call(stack, 'POST', '/v1/members', { sub: 'fc-sign', token: apple, body: join('FcSignMarker') });
    const before = await itemsOf('fc-sign');
    faults.inject({ service: 'kms', operation: 'Sign' });
    const res = await call(stack, 'DELETE', '/v1/me', { sub: 'fc-sign', token: apple });
    expectGenericFailure(res, 'FcSignMarker');
    expect(await itemsOf('fc-sign')).toEqual(before);
    expect((await scanTable(stack, 'vault')).filter((i) => i.pk === 'V#fc-sign')).toEqual([]);
  });

  it.each([
    { step: 'the user pool', rule: { service: 'cognito-idp' as const, operation: 'AdminDeleteUser' } },
    { step: 'deleting the items', rule: { service: 'dynamodb' as const, operation: 'BatchWriteItem' } },
  ])('L7/G7: a withdrawal interrupted at $step resumes on retry with the same receipt and leaves nothing', async ({
    step,
    rule,
  }) => {
    const username = `signinwithapple_fc-${step.replaceAll(' ', '-')}`;
    const { sub } = await stack.account(username, apple);
    const token = { ...apple, username };
    const marker = `FcResume${step.length}`;
    await call(stack, 'POST', '/v1/members', { sub, token, body: join(marker) });
    faults.inject(rule);
    const failed = await call(stack, 'DELETE', '/v1/me', { sub, token });
    expectGenericFailure(failed, marker);
    faults.reset();

    const done = await call(stack, 'DELETE', '/v1/me', { sub, token });
    expect(done.status).toBe(200);
    const again = await call(stack, 'DELETE', '/v1/me', { sub, token });
    expect(again.json.receipt.receiptId).toBe(done.json.receipt.receiptId);
    const vault = (await scanTable(stack, 'vault')).filter((i) => i.pk === `V#${sub}`);
    expect(vault.filter((i) => i.sk === 'RECEIPT')).toHaveLength(1);
    expect((await itemsOf(sub)).filter(({ table }) => table !== 'vault')).toEqual([]);
    expect(await localAccountExists(stack.endpoint, stack.stack.resources.userPoolId, sub)).toBe(false);
    expect(JSON.stringify(await scanTables(stack))).not.toContain(marker);
  });
});
