/**
 * Lifecycle events (issue 15, item 5), end to end against moto: each change goes through the real
 * route, job or worker; the outbox item it commits with is read from moto's DynamoDB stream over
 * HTTP and handed to the real publisher (local/lifecycle-events.ts, as Lambda's event source
 * would); what reached the bus is read back from the queue a rule on the bus feeds. Each change
 * emits exactly one event of its type, none holds a value the member gave, a PutEvents failure is
 * retried and still puts the event once, and a change whose transaction fails emits nothing.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { OutboxPump, type ReceivedEvent, takeLifecycleEvents } from '../../local/lifecycle-events';
import { outboxDeadLetters } from '../../local/silos';
import { type LifecycleEventType, lifecycleEventSchemas } from '../../model/lifecycle-events';
import { tableEnv } from '../../model/resources';
import { outboxPublisher } from '../../model/workloads';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';
import { joinAt, runInactivity, yearOf } from './inactivity-fixtures';
import { call, latestCode, scanTable } from './member-api';
import { asOfficer } from './officer-api';

/** How a member of each profile joins and signs in, and the items joining gives. */
const joiners = {
  littleone: {
    token: { method: 'apple' as const },
    items: (sub: string) => ({ userName: `Name of ${sub}`, email: `${sub}@example.com` }),
    renamed: 'userName',
  },
  lgcns: {
    token: { method: 'password' as const },
    items: (sub: string) => ({ name: `Name of ${sub}`, email: `${sub}@example.com` }),
    renamed: 'name',
  },
} as const;

/** The lifecycle-events suite of `profile`. */
export function lifecycleEventsSuite(profile: ProfileName): void {
  const c = loadCatalogue(profile);
  const joiner = joiners[profile as keyof typeof joiners];
  const consents = Object.fromEntries(Object.keys(c.purposes).map((p) => [p, true]));
  let stack: TestStack;
  let pump: OutboxPump;
  /** Every event that reached the bus in this file, for the personal-data check. */
  const seen: ReceivedEvent[] = [];
  /** Every value a member gave on joining, in this file. */
  const given: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack(profile, { faults: true });
    pump = new OutboxPump(stack.endpoint, stack.env, profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Publishes what the outbox holds, and takes what reached the bus since the last call. */
  async function published(): Promise<ReceivedEvent[]> {
    await pump.pump();
    const events = await takeLifecycleEvents(stack.endpoint, profile);
    seen.push(...events);
    return events;
  }

  /** Expects exactly one event, of `type`, about `memberId`, valid against its schema. */
  async function expectOne(type: LifecycleEventType, memberId: string): Promise<Record<string, unknown>> {
    const events = await published();
    expect(events.map((e) => [e.detailType, e.detail.memberId])).toEqual([[type, memberId]]);
    const [event] = events;
    expect(event!.source).toBe('privacy-rights');
    expect(lifecycleEventSchemas[type].safeParse(event!.detail).success).toBe(true);
    expect(event!.detail).toMatchObject({ profile });
    return event!.detail;
  }

  async function join(sub: string): Promise<void> {
    const items = joiner.items(sub);
    given.push(...Object.values(items));
    const res = await call(stack, 'POST', '/v1/members', {
      sub,
      token: joiner.token,
      body: { items, consents, ageAffirmation: true, policyVersion: c.policy.version },
    });
    expect(res.status, res.text).toBe(201);
  }

  const as = (sub: string, method: string, path: string, body?: unknown) =>
    call(stack, method, path, { sub, token: joiner.token, ...(body === undefined ? {} : { body }) });

  async function verifiedRequest(memberId: string, type: string): Promise<string> {
    const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
      memberId,
      type,
      channel: 'phone',
      verification: { method: 'call-back-to-registered-number', reference: 'call-back 0042' },
    });
    expect(logged.status, logged.text).toBe(201);
    return logged.json.requestId;
  }

  describe(`lifecycle events (${profile})`, () => {
    it('L1/L3: joining emits one MemberJoined naming the purposes consented to', async () => {
      await join('ev-join');
      const detail = await expectOne('MemberJoined', 'ev-join');
      expect(detail.consented).toEqual(Object.keys(c.purposes));
    });

    it("L1: a member's consent withdrawal and a grant each emit one ConsentChanged; the officer's too", async () => {
      await join('ev-consent');
      await published();
      expect((await as('ev-consent', 'PUT', '/v1/me/consents/statistics', { granted: false })).status).toBe(
        200,
      );
      expect(await expectOne('ConsentChanged', 'ev-consent')).toMatchObject({
        purpose: 'statistics',
        granted: false,
      });
      expect((await as('ev-consent', 'PUT', '/v1/me/consents/statistics', { granted: true })).status).toBe(
        200,
      );
      expect(await expectOne('ConsentChanged', 'ev-consent')).toMatchObject({
        purpose: 'statistics',
        granted: true,
      });
      const requestId = await verifiedRequest('ev-consent', 'consent-withdrawal');
      const acted = await asOfficer(stack, 'POST', `/v1/admin/requests/${requestId}/actions`, {
        action: 'withdraw-consent',
        purpose: 'statistics',
      });
      expect(acted.status, acted.text).toBe(200);
      expect(await expectOne('ConsentChanged', 'ev-consent')).toMatchObject({
        purpose: 'statistics',
        granted: false,
      });
    });

    it('L15/G11: a direct correction emits one MemberCorrected; a pending one only when its code is confirmed', async () => {
      await join('ev-correct');
      await published();
      const direct = await as('ev-correct', 'PATCH', '/v1/me', {
        items: { [joiner.renamed]: 'Renamed Person' },
      });
      expect(direct.status, direct.text).toBe(200);
      given.push('Renamed Person');
      expect(await expectOne('MemberCorrected', 'ev-correct')).toMatchObject({ items: [joiner.renamed] });

      const address = 'ev-correct-new@example.com';
      given.push(address);
      const pending = await as('ev-correct', 'PATCH', '/v1/me', { items: { email: address } });
      expect(pending.json.pending).toHaveLength(1);
      expect(await published()).toEqual([]);
      const confirm = await as(
        'ev-correct',
        'POST',
        `/v1/me/corrections/${pending.json.pending[0].correctionId}/confirm`,
        { code: await latestCode(stack, address) },
      );
      expect(confirm.status, confirm.text).toBe(200);
      expect(await expectOne('MemberCorrected', 'ev-correct')).toMatchObject({ items: ['email'] });
    });

    it('L16: a restriction emits one ProcessingRestricted, its lifting one RestrictionLifted', async () => {
      await join('ev-restrict');
      await published();
      const restricted = await as('ev-restrict', 'PUT', '/v1/me/restriction', {
        scope: 'all',
        reason: 'Private reason text',
      });
      expect(restricted.status, restricted.text).toBe(200);
      given.push('Private reason text');
      expect(await expectOne('ProcessingRestricted', 'ev-restrict')).toMatchObject({ scope: 'all' });
      expect((await as('ev-restrict', 'DELETE', '/v1/me/restriction')).status).toBe(200);
      await expectOne('RestrictionLifted', 'ev-restrict');
    });

    it('L12: a suspension emits one MemberSuspended, a reinstatement one MemberReinstated', async () => {
      await join('ev-suspend');
      await published();
      const reason = 'False name given';
      given.push(reason);
      expect(
        (await asOfficer(stack, 'POST', '/v1/admin/members/ev-suspend/suspend', { reason })).status,
      ).toBe(200);
      await expectOne('MemberSuspended', 'ev-suspend');
      const again = await asOfficer(stack, 'POST', '/v1/admin/members/ev-suspend/reinstate', {
        reason: 'corrected',
      });
      expect(again.status, again.text).toBe(200);
      await expectOne('MemberReinstated', 'ev-suspend');
    });

    it('L7/G7: a withdrawal emits one MemberWithdrawn; repeating it emits none', async () => {
      await join('ev-withdraw');
      await published();
      expect((await as('ev-withdraw', 'DELETE', '/v1/me')).status).toBe(200);
      expect(await expectOne('MemberWithdrawn', 'ev-withdraw')).toMatchObject({ reason: 'member' });
      expect((await as('ev-withdraw', 'DELETE', '/v1/me')).status).toBe(200);
      expect(await published()).toEqual([]);
    });

    it("L14/G10: an officer's deletion on request emits one MemberWithdrawn", async () => {
      await join('ev-officer-delete');
      await published();
      const requestId = await verifiedRequest('ev-officer-delete', 'deletion');
      const acted = await asOfficer(stack, 'POST', `/v1/admin/requests/${requestId}/actions`, {
        action: 'delete',
      });
      expect(acted.status, acted.text).toBe(200);
      expect(await expectOne('MemberWithdrawn', 'ev-officer-delete')).toMatchObject({
        reason: 'officer-request',
      });
    });

    it('L11/G13: terminating an under-age membership emits one MemberWithdrawn', async () => {
      await join('ev-child');
      await published();
      const terminated = await asOfficer(stack, 'POST', '/v1/admin/members/ev-child/terminate', {
        reason: 'under the minimum age',
      });
      expect(terminated.status, terminated.text).toBe(200);
      expect(await expectOne('MemberWithdrawn', 'ev-child')).toMatchObject({ reason: 'under-age' });
    });

    it('G9: the inactivity notice emits nothing; the destruction one MemberDestroyed', async () => {
      const { signIn, day } = yearOf('2031-01-10T02:00:00+09:00');
      const email = `ev-idle-${profile}@example.com`;
      given.push(email);
      await joinAt(profile, 'ev-idle', email, signIn);
      expect((await published()).map((e) => e.detailType)).toEqual(['MemberJoined']);
      await runInactivity(stack, day(335));
      expect(await published()).toEqual([]);
      await runInactivity(stack, day(365));
      expect(await expectOne('MemberDestroyed', 'ev-idle')).toMatchObject({ reason: 'inactivity' });
    });

    it('a change whose transaction fails emits nothing, and commits no outbox item', async () => {
      await join('ev-fail');
      await published();
      const before = (await scanTable(stack, 'outbox')).length;
      stack.faults!.inject({
        service: 'dynamodb',
        operation: 'TransactWriteItems',
        kind: 'realistic',
        times: 1,
      });
      const refused = await as('ev-fail', 'PUT', '/v1/me/restriction', { scope: 'all', reason: 'x' });
      stack.faults!.reset();
      expect(refused.status).toBe(409);
      expect(await scanTable(stack, 'outbox')).toHaveLength(before);
      expect(await published()).toEqual([]);
    });

    it('a PutEvents failure is retried, and the event still goes out exactly once with its outbox id', async () => {
      await join('ev-retry');
      const outbox = await scanTable(stack, 'outbox');
      const item = outbox.find((i) => String(i.detail).includes('"ev-retry"'));
      expect(item).toBeDefined();
      const before = pump.totals;
      stack.faults!.inject({ service: 'events', operation: 'PutEvents', kind: 'denied', times: 1 });
      const events = await published();
      stack.faults!.reset();
      expect(pump.totals.failedInvocations - before.failedInvocations).toBe(1);
      expect(pump.totals.invocations - before.invocations).toBe(2);
      expect(events.map((e) => [e.detailType, e.detail.eventId])).toEqual([['MemberJoined', item!.eventId]]);
      expect(await published()).toEqual([]);
    });

    it('a record that is no valid event is retried, bisected and dead-lettered by position; the events around it go out once', async () => {
      await join('ev-before');
      const ddb = new DynamoDBClient(clientConfig(stack.endpoint));
      try {
        await ddb.send(
          new PutItemCommand({
            TableName: stack.env[tableEnv('outbox')],
            Item: {
              eventId: { S: randomUUID() },
              detailType: { S: 'MemberJoined' },
              detail: { S: JSON.stringify({ memberId: 'ev-broken' }) },
            },
          }),
        );
      } finally {
        ddb.destroy();
      }
      await join('ev-after');
      const before = pump.totals;
      const events = await published();
      expect(events.map((e) => [e.detailType, e.detail.memberId])).toEqual([
        ['MemberJoined', 'ev-before'],
        ['MemberJoined', 'ev-after'],
      ]);
      expect(pump.totals.deadLettered - before.deadLettered).toBe(1);
      expect(pump.totals.failedInvocations - before.failedInvocations).toBe(
        outboxPublisher.retryAttempts + 1,
      );
      const sqs = new SQSClient(clientConfig(stack.endpoint));
      try {
        const { QueueUrl } = await sqs.send(
          new GetQueueUrlCommand({ QueueName: outboxDeadLetters(profile) }),
        );
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: QueueUrl!, MaxNumberOfMessages: 10 }),
        );
        expect(Messages).toHaveLength(1);
        expect(Object.keys(JSON.parse(Messages[0]!.Body!)).sort()).toEqual([
          'batchSize',
          'shardId',
          'startSequenceNumber',
          'streamArn',
        ]);
        expect(Messages[0]!.Body).not.toContain('ev-broken');
      } finally {
        sqs.destroy();
      }
      expect(await published()).toEqual([]);
    });

    it('no event holds a value a member gave; every event id is unique', () => {
      expect(seen.length).toBeGreaterThan(10);
      const text = JSON.stringify(seen);
      for (const value of given) expect(text).not.toContain(value);
      const ids = seen.map((e) => e.detail.eventId);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
}
