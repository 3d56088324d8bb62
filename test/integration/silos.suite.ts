/**
 * The operator's data silos (issue 15) against moto, for a profile's demo configuration: a
 * DynamoDB table, a versioned S3 bucket and a custom system reached through the event bus. The
 * silo queue is drained through its worker as Lambda's event source would (local/queue-worker.ts).
 *
 * No item a shipped silo holds rests on an optional purpose alone, so no shipped consent
 * withdrawal reaches a silo. The consent tests run the same use cases, as the member's and the
 * officer's functions, on a test catalogue where the table silo's item rests on `statistics`
 * only and the silos hold it as each test lays out; the worker runs the shipped catalogue, whose
 * silos are the same stores.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callbackToken } from '../../lambdas/adapters/callback-tokens';
import { decideConsent } from '../../lambdas/features/consents/consents';
import { actOnRequest } from '../../lambdas/features/officer/officer';
import { requireRequest } from '../../lambdas/features/requests/store';
import { applyEnvironment, clientConfig } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { drainQueue } from '../../local/queue-worker';
import { customSiloInbox, ensureDemoSilos } from '../../local/silos';
import { consentResponse } from '../../model/routes/responses';
import { loadCatalogue, type ProfileName, parseCatalogue, profiles } from '../../policy/catalogue';
import type { Catalogue, Silo } from '../../policy/schema';
import type { MatrixFixture } from './authorization.suite';
import { expectProblem, invoked, startTestStack, type TestStack } from './harness';
import { call } from './member-api';
import { asOfficer } from './officer-api';

/** Declares the silo tests for `profile`, whose catalogue declares one silo of each kind. */
export function describeSilos(profile: ProfileName, fixture: MatrixFixture): void {
  const c = loadCatalogue(profile);
  const kinds = Object.entries(c.silos);
  const [tableSilo, table] = kinds.find(([, s]) => s.kind === 'dynamodb') as [
    string,
    Extract<Silo, { kind: 'dynamodb' }>,
  ];
  const [bucketSilo, bucket] = kinds.find(([, s]) => s.kind === 's3') as [
    string,
    Extract<Silo, { kind: 's3' }>,
  ];
  const [customSilo] = kinds.find(([, s]) => s.kind === 'custom')!;
  const TABLE = table.table;
  const BUCKET = bucket.bucket;
  const prefixOf = (memberId: string) => bucket.prefix.replace('{memberId}', memberId);

  let stack: TestStack;
  let ddb: DynamoDBDocumentClient;
  let s3: S3Client;
  let sqs: SQSClient;

  beforeAll(async () => {
    stack = await startTestStack(profile);
    applyEnvironment(stack.env);
    const config = clientConfig(stack.endpoint);
    ddb = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
  });

  afterAll(async () => {
    for (const client of [ddb, s3, sqs]) client?.destroy();
    await stack?.stop();
  });

  /** One item of `who` in the silo table: keyed by member, or found through the member index. */
  const tableItem = (who: string, i: number) =>
    table.memberIndex
      ? { [table.partitionKey]: `${who}-${i}`, [table.memberIndex.attribute]: who, event: 'open' }
      : {
          [table.partitionKey]: who,
          ...(table.sortKey ? { [table.sortKey]: `2026-11-0${i + 1}` } : {}),
          event: 'open',
        };

  /** Joins `sub` and seeds its data (and a bystander's) in the table and the versioned bucket. */
  async function memberWithSiloData(sub: string): Promise<void> {
    const joined = await call(stack, 'POST', '/v1/members', {
      sub,
      token: fixture.token,
      body: fixture.join(`Mk${sub.replace(/-/g, '')}`),
    });
    expect(joined.status, joined.text).toBe(201);
    for (const [who, n] of [
      [sub, 3],
      [`bystander-${sub}`, 1],
    ] as const) {
      for (let i = 0; i < n; i++)
        await ddb.send(new PutCommand({ TableName: TABLE, Item: tableItem(who, i) }));
      const key = `${prefixOf(who)}2026/11/events.json`;
      // Two versions and a delete marker, and one current object.
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{"v":1}' }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{"v":2}' }));
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `${prefixOf(who)}profile.json`, Body: '{"p":1}' }),
      );
    }
  }

  const memberOf = (item: Record<string, unknown>) =>
    item[table.memberIndex?.attribute ?? table.partitionKey];

  async function tableItemsOf(memberId: string) {
    const { Items = [] } = await ddb.send(new ScanCommand({ TableName: TABLE }));
    return Items.filter((i) => memberOf(i) === memberId);
  }

  /** Every version and delete marker under the member's prefix. */
  async function versionsOf(memberId: string) {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefixOf(memberId) }));
    return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])];
  }

  async function ledgerRecord(receiptId: string) {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: stack.env.REQUESTS_TABLE, Key: { requestId: `silos-${receiptId}` } }),
    );
    return Item;
  }

  /** What the custom systems were asked, read from the inbox the bus's rule feeds. */
  async function customRequests() {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: customSiloInbox(profile) }));
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        bodies.push(m.Body ?? '');
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    return bodies;
  }

  const drain = () => drainQueue('silos', stack.env, profile);

  /** A custom system's answer through the callback route, with the event's path and token. */
  const answer = (event: { answerPath: string; token: string }, body: Record<string, unknown>) =>
    call(stack, 'POST', event.answerPath, { body: { token: event.token, ...body } });

  /** The one request put on the bus for the custom silo since the last read. */
  async function askedOnce() {
    const asked = await customRequests();
    expect(asked).toHaveLength(1);
    return JSON.parse(asked[0]!).detail as {
      answerPath: string;
      token: string;
      requestId: string;
      silo: string;
    };
  }

  describe('silos: erasure on withdrawal (L7/G7, L8/G8/G12)', () => {
    it('L7/G7: erases the member in the table and every version and delete marker in the versioned bucket, asks the custom system with ids only, and signs the full receipt when it answers', async () => {
      await memberWithSiloData('silo-a');
      const started = Date.now();
      const res = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-a', token: fixture.token });
      expect(res.status).toBe(200);
      const { receiptId } = res.json.receipt;
      // Our part at once: the member's own receipt, before any silo has run.
      expect(res.json.receipt.silos).toBeUndefined();
      expect(
        Object.values((await ledgerRecord(receiptId))!.silos).map((o) => (o as { status: string }).status),
      ).toEqual(['pending', 'pending', 'pending']);

      const drained = await drain();
      const elapsed = Date.now() - started;
      expect(drained).toMatchObject({ delivered: 3, succeeded: 3, failed: 0, deadLettered: 0 });
      process.stdout.write(
        `silos (${profile}): 3 silos of one withdrawal handled in ${elapsed} ms (2 erased, 1 asked)\n`,
      );
      expect(await tableItemsOf('silo-a')).toEqual([]);
      expect(await versionsOf('silo-a')).toEqual([]);
      expect(await tableItemsOf('bystander-silo-a')).toHaveLength(1);
      expect(await versionsOf('bystander-silo-a')).toHaveLength(4);

      const asked = await customRequests();
      expect(asked).toHaveLength(1);
      expect(asked[0]).not.toContain('Mksiloa');
      const event = JSON.parse(asked[0]!).detail;
      expect(event).toMatchObject({
        silo: customSilo,
        memberId: 'silo-a',
        items: c.silos[customSilo]!.items,
      });

      const record = (await ledgerRecord(receiptId))!;
      expect(record.silos[tableSilo]).toMatchObject({ status: 'erased', count: 3 });
      expect(record.silos[bucketSilo]).toMatchObject({ status: 'erased', count: 4 });
      expect(record.silos[customSilo]).toMatchObject({ status: 'awaiting' });
      expect(record.openStatus).toBe('open');

      const taken = await answer(event, { outcome: 'erased', count: 2 });
      expect(taken.status).toBe(200);
      expect(taken.json).toEqual({
        requestId: `silos-${receiptId}`,
        silo: customSilo,
        taken: true,
        complete: true,
      });
      const closed = (await ledgerRecord(receiptId))!;
      expect(closed.status).toBe('completed');
      expect(closed.openStatus).toBeUndefined();

      // Repeating the withdrawal now returns the full receipt: every silo with its outcome and time.
      const full = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-a', token: fixture.token });
      expect(full.json.receipt.receiptId).toBe(receiptId);
      expect(
        full.json.receipt.silos.map((l: { silo: string; outcome: string; count?: number }) => [
          l.silo,
          l.outcome,
          l.count,
        ]),
      ).toEqual([
        [tableSilo, 'erased', 3],
        [bucketSilo, 'erased', 4],
        [customSilo, 'erased', 2],
      ]);
      for (const line of full.json.receipt.silos) expect(Date.parse(line.at)).toBeGreaterThan(0);
      const verified = await call(stack, 'POST', '/v1/receipts/verify', {
        body: { receipt: full.json.receipt, signature: full.json.signature },
      });
      expect(verified.json).toEqual({ valid: true });
    });

    it('L7/G7: a silo failing goes to the dead-letter queue as retrying, and a rerun of the withdrawal finishes it', async () => {
      await memberWithSiloData('silo-b');
      const res = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-b', token: fixture.token });
      await ddb.send(new DeleteTableCommand({ TableName: TABLE }));
      const failing = await drain();
      expect(failing.deadLettered).toBe(1);
      const { receiptId } = res.json.receipt;
      expect((await ledgerRecord(receiptId))!.silos[tableSilo]).toMatchObject({
        status: 'retrying',
        reason: 'DependencyFailed',
        attempts: 5,
      });
      // Our own erasure was not held back by the silo.
      expect((await call(stack, 'GET', '/v1/me', { sub: 'silo-b', token: fixture.token })).status).toBe(404);
      // The custom system answers meanwhile: the table is now the last silo to answer.
      const early = await answer(await askedOnce(), { outcome: 'nothing-held' });
      expect(early.json).toMatchObject({ taken: true, complete: false });

      const config = clientConfig(stack.endpoint);
      const events = new EventBridgeClient(config);
      await ensureDemoSilos({ ddb: ddb as unknown as DynamoDBClient, s3, events, sqs }, c);
      events.destroy();
      await ddb.send(new PutCommand({ TableName: TABLE, Item: tableItem('silo-b', 9) }));
      const rerun = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-b', token: fixture.token });
      expect(rerun.json.receipt.receiptId).toBe(receiptId);
      const second = await drain();
      expect(second.failed).toBe(0);
      const record = (await ledgerRecord(receiptId))!;
      expect(record.silos[tableSilo]).toMatchObject({ status: 'erased', count: 1 });
      expect(record.silos[bucketSilo]).toMatchObject({ status: 'erased' });
      expect(record.status).toBe('completed');
      expect(await tableItemsOf('silo-b')).toEqual([]);
      // The answered system is not asked again; the worker's last step signed the full receipt.
      expect(await customRequests()).toEqual([]);
      const full = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-b', token: fixture.token });
      expect(full.json.receipt.silos.map((l: { outcome: string }) => l.outcome)).toEqual([
        'erased',
        'erased',
        'nothing-held',
      ]);
    });

    it('G9/L14: a custom system that never answers leaves our erasure done, shows as lagging to the officer and in the digest metric, and may still answer late; a second answer changes nothing', async () => {
      await memberWithSiloData('silo-c');
      const res = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-c', token: fixture.token });
      const { receiptId } = res.json.receipt;
      await drain();
      const event = await askedOnce();
      // Four days on, past the custom system's three: moved back, not waited for.
      const since = new Date(Date.now() - 4 * 86_400_000).toISOString();
      await ddb.send(
        new UpdateCommand({
          TableName: stack.env.REQUESTS_TABLE,
          Key: { requestId: `silos-${receiptId}` },
          UpdateExpression: 'SET silos.#c.since = :s',
          ExpressionAttributeNames: { '#c': customSilo },
          ExpressionAttributeValues: { ':s': since },
        }),
      );
      const listing = await asOfficer(stack, 'GET', '/v1/admin/requests?member=silo-c');
      const silos = listing.json.requests.find(
        (r: { requestId: string }) => r.requestId === `silos-${receiptId}`,
      );
      expect(silos.laggingSilos).toEqual([customSilo]);
      expect(silos.silos[customSilo].status).toBe('awaiting');

      const lines: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      try {
        await runJob('requestsDigest', stack.env, profile);
      } finally {
        spy.mockRestore();
      }
      const metric = lines.map((l) => l.trim()).find((l) => l.includes('"LaggingSilos"'));
      expect(JSON.parse(metric!).LaggingSilos).toBeGreaterThanOrEqual(1);

      const late = await answer(event, { outcome: 'failed', reason: 'account frozen by court order' });
      expect(late.json).toMatchObject({ taken: true, complete: true });
      const twice = await answer(event, { outcome: 'erased' });
      expect(twice.status).toBe(200);
      expect(twice.json).toMatchObject({ taken: false, complete: true });
      const full = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-c', token: fixture.token });
      const custom = full.json.receipt.silos.find((l: { silo: string }) => l.silo === customSilo);
      expect(custom).toMatchObject({ outcome: 'failed', reason: 'account frozen by court order' });
    });
  });

  describe("silos: the officer's paths to erasure reach them too", () => {
    it("L16: the officer's export of a logged request includes every table and bucket silo's data", async () => {
      await memberWithSiloData('silo-g');
      const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
        memberId: 'silo-g',
        type: 'portability',
        channel: 'email',
        verification: { method: 'reply-from-registered-email', reference: 'mail 0001' },
      });
      expect(logged.status, logged.text).toBe(201);
      const exported = await asOfficer(stack, 'POST', `/v1/admin/requests/${logged.json.requestId}/actions`, {
        action: 'export',
        downloadReason: 'the member asked by email',
      });
      expect(exported.status, exported.text).toBe(200);
      expect(exported.json.result.silos[tableSilo].records).toHaveLength(3);
      expect(exported.json.result.silos[bucketSilo].objects.map((o: { key: string }) => o.key)).toEqual([
        'profile.json',
      ]);
    });

    it('L11/G13: terminating an under-age membership queues its silos like a withdrawal', async () => {
      await memberWithSiloData('silo-f');
      const terminated = await asOfficer(stack, 'POST', '/v1/admin/members/silo-f/terminate', {
        reason: 'under the minimum age',
      });
      expect(terminated.status, terminated.text).toBe(200);
      await drain();
      await customRequests();
      const record = (await ledgerRecord(terminated.json.receipt.receiptId))!;
      expect(record.silos[tableSilo]).toMatchObject({ status: 'erased', count: 3 });
      expect(record.silos[bucketSilo]).toMatchObject({ status: 'erased', count: 4 });
      expect(await tableItemsOf('silo-f')).toEqual([]);
      expect(await versionsOf('silo-f')).toEqual([]);
    });
  });

  describe('silos: erasure on consent withdrawal (L1, L4/G4/G5, L8/G8)', () => {
    const PURPOSE = 'statistics';
    // The table silo's item: in both profiles its purposes include `statistics`, and a required one.
    const RELEASED = table.items[0]!;
    const customItems = c.silos[customSilo]!.items;

    /** The profile's catalogue with RELEASED resting on PURPOSE only, and each silo holding `layout`'s items. */
    function variant(layout: { table: string[]; bucket: string[]; custom: readonly string[] }): Catalogue {
      const input = structuredClone(profiles[profile]) as unknown as {
        items: Record<string, { purposes: string[] }>;
        silos: Record<string, { items: readonly string[] }>;
      };
      input.items[RELEASED]!.purposes = [PURPOSE];
      input.silos[tableSilo]!.items = layout.table;
      input.silos[bucketSilo]!.items = layout.bucket;
      input.silos[customSilo]!.items = layout.custom;
      return parseCatalogue(input);
    }
    const covering = () =>
      variant({
        table: [RELEASED],
        bucket: [RELEASED],
        custom: [RELEASED, ...customItems.filter((i) => i !== RELEASED)],
      });

    /** The member's own withdrawal of PURPOSE, as the put-consent function runs it. */
    const withdrawConsent = (cat: Catalogue, sub: string) =>
      invoked('put-consent', stack.env, () => decideConsent(cat, sub, PURPOSE, false, new Date()))();

    type Outcomes = Record<string, { status: string; items?: string[]; kept?: string[] }>;
    const states = (silos: Outcomes | undefined) =>
      Object.fromEntries(Object.entries(silos ?? {}).map(([id, o]) => [id, [o.status, o.items]]));

    async function siloRecord(requestId: string) {
      const { Item } = await ddb.send(
        new GetCommand({ TableName: stack.env.REQUESTS_TABLE, Key: { requestId } }),
      );
      return Item;
    }

    /** The consent withdrawals' silo records of `memberId`, read by scanning the ledger. */
    async function consentSiloRecords(memberId: string) {
      const { Items = [] } = await ddb.send(new ScanCommand({ TableName: stack.env.REQUESTS_TABLE }));
      return Items.filter((i) => i.memberId === memberId && String(i.requestId).startsWith('silos-consent-'));
    }

    it('L1, L4/G4/G5: the shipped silos hold no item a consent alone justifies, so a consent withdrawal over the API asks none, and says so', async () => {
      expect(c.items[RELEASED]!.purposes).toContain(PURPOSE);
      expect(c.purposes[PURPOSE]!.required).toBe(false);
      await memberWithSiloData('consent-e');
      const res = await call(stack, 'PUT', `/v1/me/consents/${PURPOSE}`, {
        sub: 'consent-e',
        token: fixture.token,
        body: { granted: false },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.silos).toBeUndefined();
      expect(await consentSiloRecords('consent-e')).toEqual([]);
      expect(await drain()).toMatchObject({ delivered: 0 });
      expect(await tableItemsOf('consent-e')).toHaveLength(3);
    });

    it('L1, L8/G8: a consent withdrawal covering the silos erases the table and every version in the bucket, asks the custom system for exactly the released items, and a retry opens nothing twice', async () => {
      await memberWithSiloData('consent-a');
      const cat = covering();
      const started = Date.now();
      const first = await withdrawConsent(cat, 'consent-a');
      expect(consentResponse().safeParse(first).success).toBe(true);
      const requestId = first.silos!.requestId;
      expect(requestId).toMatch(/^silos-consent-[0-9a-f]{32}$/);
      expect(first.silos!.status).toBe('open');
      expect(states(first.silos!.silos as Outcomes)).toEqual({
        [tableSilo]: ['pending', [RELEASED]],
        [bucketSilo]: ['pending', [RELEASED]],
        [customSilo]: ['pending', [RELEASED]],
      });
      // A retried request finds the decision standing and its record: one record, the same id.
      const retried = await withdrawConsent(cat, 'consent-a');
      expect(retried.silos!.requestId).toBe(requestId);
      expect(await consentSiloRecords('consent-a')).toHaveLength(1);

      const drained = await drain();
      const elapsed = Date.now() - started;
      // The retry queued the three again: each step runs once, the duplicates find it done.
      expect(drained).toMatchObject({ delivered: 6, succeeded: 6, failed: 0 });
      process.stdout.write(
        `silos (${profile}): 3 silos of one consent withdrawal handled in ${elapsed} ms (2 erased, 1 asked)\n`,
      );
      expect(await tableItemsOf('consent-a')).toEqual([]);
      expect(await versionsOf('consent-a')).toEqual([]);
      expect(await tableItemsOf('bystander-consent-a')).toHaveLength(1);
      expect(await versionsOf('bystander-consent-a')).toHaveLength(4);
      const asked = await customRequests();
      expect(asked).toHaveLength(1);
      expect(asked[0]).not.toContain('Mkconsenta');
      const event = JSON.parse(asked[0]!).detail;
      expect(event).toMatchObject({
        requestId,
        silo: customSilo,
        memberId: 'consent-a',
        items: [RELEASED],
        reason: 'consent-withdrawn',
      });
      const record = (await siloRecord(requestId))!;
      expect(record).toMatchObject({ type: 'consent-withdrawal', channel: 'app', purpose: PURPOSE });
      expect(record.silos[tableSilo]).toMatchObject({ status: 'erased', count: 3 });
      expect(record.silos[bucketSilo]).toMatchObject({ status: 'erased', count: 4 });
      expect(record.silos[customSilo]).toMatchObject({ status: 'awaiting' });

      // Retried once the steps ran: the member is told what is pending; nobody is asked again.
      const third = await withdrawConsent(cat, 'consent-a');
      expect(third.silos).toMatchObject({ requestId, status: 'open' });
      expect(third.silos!.silos[customSilo]!.status).toBe('awaiting');
      expect(await drain()).toMatchObject({ delivered: 0 });
      expect(await customRequests()).toEqual([]);
      const listing = await asOfficer(stack, 'GET', '/v1/admin/requests?member=consent-a');
      expect(
        listing.json.requests.find((r: { requestId: string }) => r.requestId === requestId),
      ).toMatchObject({ type: 'consent-withdrawal', laggingSilos: [] });

      const taken = await answer(event, { outcome: 'erased', count: 1 });
      expect(taken.json).toEqual({ requestId, silo: customSilo, taken: true, complete: true });
      const closed = (await siloRecord(requestId))!;
      expect(closed).toMatchObject({ status: 'completed', outcome: { summary: 'silos: 3 erased' } });
      expect(closed.openStatus).toBeUndefined();
      const done = await withdrawConsent(cat, 'consent-a');
      expect(done.silos).toMatchObject({ requestId, status: 'completed' });
    });

    it('L1, L8/G8: a table silo holding an item still needed is kept untouched, and a silo holding no released item is not asked', async () => {
      await memberWithSiloData('consent-b');
      const cat = variant({ table: [RELEASED, c.noticeItem], bucket: [RELEASED], custom: customItems });
      const res = await withdrawConsent(cat, 'consent-b');
      expect(res.silos!.silos).toEqual({
        [tableSilo]: expect.objectContaining({ status: 'kept', items: [RELEASED], kept: [c.noticeItem] }),
        [bucketSilo]: expect.objectContaining({ status: 'pending', items: [RELEASED] }),
      });
      expect(await drain()).toMatchObject({ delivered: 1, succeeded: 1 });
      expect(await tableItemsOf('consent-b')).toHaveLength(3);
      expect(await versionsOf('consent-b')).toEqual([]);
      expect(await customRequests()).toEqual([]);
      const record = (await siloRecord(res.silos!.requestId))!;
      expect(record).toMatchObject({
        status: 'completed',
        outcome: { summary: 'silos: 1 kept, 1 erased' },
      });
    });

    it('L8/G8: a silo failing is retried by the queue, left retrying in the dead-letter queue, and a retried withdrawal finishes it', async () => {
      await memberWithSiloData('consent-c');
      // The dead-letter queue may hold an earlier test's message: count from here.
      const before = (await drain()).deadLettered;
      const cat = covering();
      const res = await withdrawConsent(cat, 'consent-c');
      const requestId = res.silos!.requestId;
      await ddb.send(new DeleteTableCommand({ TableName: TABLE }));
      const failing = await drain();
      expect(failing.deadLettered).toBe(before + 1);
      expect((await siloRecord(requestId))!.silos[tableSilo]).toMatchObject({
        status: 'retrying',
        reason: 'DependencyFailed',
        attempts: 5,
      });
      await askedOnce();

      const events = new EventBridgeClient(clientConfig(stack.endpoint));
      await ensureDemoSilos({ ddb: ddb as unknown as DynamoDBClient, s3, events, sqs }, c);
      events.destroy();
      await ddb.send(new PutCommand({ TableName: TABLE, Item: tableItem('consent-c', 9) }));
      const retried = await withdrawConsent(cat, 'consent-c');
      expect(retried.silos!.silos[tableSilo]!.status).toBe('retrying');
      // Only the silo whose step has not succeeded is queued again.
      expect(await drain()).toMatchObject({ delivered: 1, succeeded: 1, failed: 0 });
      expect((await siloRecord(requestId))!.silos[tableSilo]).toMatchObject({ status: 'erased', count: 1 });
      expect(await tableItemsOf('consent-c')).toEqual([]);
      expect(await customRequests()).toEqual([]);
    });

    it("L1, L14/G10: the officer's withdraw-consent action on a phoned request reaches the silos too, recorded with its channel", async () => {
      await memberWithSiloData('consent-d');
      const logged = await asOfficer(stack, 'POST', '/v1/admin/requests', {
        memberId: 'consent-d',
        type: 'consent-withdrawal',
        channel: 'phone',
        verification: { method: 'call-back-to-registered-number', reference: 'call-back 0091' },
      });
      expect(logged.status, logged.text).toBe(201);
      const cat = covering();
      const acted = await invoked('post-request-action', stack.env, async () =>
        actOnRequest(
          cat,
          await requireRequest(logged.json.requestId),
          'officer-1',
          { action: 'withdraw-consent', purpose: PURPOSE },
          new Date(),
        ),
      )();
      const result = acted.result as { silos: { requestId: string; status: string } };
      expect(result.silos.status).toBe('open');
      const record = (await siloRecord(result.silos.requestId))!;
      expect(record).toMatchObject({ type: 'consent-withdrawal', channel: 'phone', purpose: PURPOSE });
      const request = (await siloRecord(logged.json.requestId))!;
      expect(request.outcome.summary).toContain(`silos: ${result.silos.requestId}`);

      await drain();
      expect(await tableItemsOf('consent-d')).toEqual([]);
      expect(await versionsOf('consent-d')).toEqual([]);
      const event = (await askedOnce()) as unknown as { items: string[]; reason: string };
      expect(event).toMatchObject({ items: [RELEASED], reason: 'consent-withdrawn' });
    });
  });

  describe('silos: the callback route refuses bad answers with a clear 4xx', () => {
    it('L7/G7: unknown fields, a missing reason, a wrong or foreign token and an unknown request are refused; nothing changes', async () => {
      await memberWithSiloData('silo-e');
      const res = await call(stack, 'DELETE', '/v1/me', { sub: 'silo-e', token: fixture.token });
      const { receiptId } = res.json.receipt;
      await drain();
      const event = await askedOnce();

      const unknown = await answer(event, { outcome: 'erased', memberName: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.json.errors).toEqual([{ field: 'memberName', problem: 'unknown field' }]);
      const badOutcome = await answer(event, { outcome: 'deleted' });
      expect(badOutcome.status).toBe(400);
      expect(badOutcome.json.errors[0].field).toBe('outcome');
      const noReason = await answer(event, { outcome: 'failed' });
      expect(noReason.status).toBe(400);
      expect(noReason.json.errors).toEqual([
        { field: 'reason', problem: 'required when the outcome is failed' },
      ]);

      const wrong = await answer(
        { ...event, token: `${event.token.slice(0, -4)}AAAA` },
        { outcome: 'erased' },
      );
      expect(wrong.status).toBe(403);
      // The token of this request does not answer for another silo (nor another request).
      const foreign = await answer(
        { ...event, answerPath: event.answerPath.replace(`/silos/${customSilo}/`, `/silos/${tableSilo}/`) },
        { outcome: 'erased' },
      );
      expect(foreign.status).toBe(403);
      const tokenFor = invoked('worker-silos', stack.env, callbackToken);
      const nowhere = await answer(
        {
          answerPath: `/v1/silo-requests/silos-none/silos/${customSilo}/answer`,
          token: await tokenFor('silos-none', customSilo),
        },
        { outcome: 'erased' },
      );
      expect(nowhere.status).toBe(404);
      const notCustom = await answer(
        {
          answerPath: event.answerPath.replace(`/silos/${customSilo}/`, `/silos/${tableSilo}/`),
          token: await tokenFor(event.requestId, tableSilo),
        },
        { outcome: 'erased' },
      );
      expect(notCustom.status).toBe(404);
      expect((await ledgerRecord(receiptId))!.silos[customSilo].status).toBe('awaiting');
    });
  });

  describe('silos: export (L16)', () => {
    it("L16: the export includes every table and bucket silo's data and names the custom system as missing; a silo down fails it closed", async () => {
      await memberWithSiloData('silo-d');
      const res = await call(stack, 'GET', '/v1/me/export', { sub: 'silo-d', token: fixture.token });
      expect(res.status).toBe(200);
      expect(res.json.silos[tableSilo].records).toHaveLength(3);
      const objects = res.json.silos[bucketSilo].objects;
      expect(objects.map((o: { key: string }) => o.key)).toEqual(['profile.json']);
      expect(Buffer.from(objects[0].content, 'base64').toString()).toBe('{"p":1}');
      expect(res.json.missing).toEqual([
        { silo: customSilo, label: c.silos[customSilo]!.label, reason: 'custom-system' },
      ]);

      await ddb.send(new DeleteTableCommand({ TableName: TABLE }));
      try {
        // Fails closed: an export that answers is whole, so a silo down answers 503, not a part.
        const down = await call(stack, 'GET', '/v1/me/export', { sub: 'silo-d', token: fixture.token });
        const problem = await expectProblem(
          new Response(down.text, { status: down.status, headers: down.headers }),
          503,
        );
        expect(JSON.stringify(problem)).not.toMatch(new RegExp(`${TABLE}|silo-d|Mksilod`));
      } finally {
        const events = new EventBridgeClient(clientConfig(stack.endpoint));
        await ensureDemoSilos({ ddb: ddb as unknown as DynamoDBClient, s3, events, sqs }, c);
        events.destroy();
      }
    });
  });
}
