/**
 * Duplicate delivery of jobs and queue messages (G9, L7/G7, L14/G10). EventBridge Scheduler and
 * SQS deliver at least once: every job's event and every worker message is delivered twice, one
 * after the other and at the same time, and must have exactly one effect. A job or a queue
 * without a scenario here fails the suite.
 */

import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../lambdas/adapters/dynamodb';
import { appendAccessRecord } from '../../lambdas/features/access-records/access-records';
import { recordBreach } from '../../lambdas/features/breaches/breaches';
import { publishVersion } from '../../lambdas/features/policy-versions/publish';
import { earliestEffectiveDate } from '../../lambdas/features/policy-versions/rules';
import { listVersionRecords } from '../../lambdas/features/policy-versions/store';
import { digestAddress } from '../../lambdas/features/requests/digest';
import { logOfflineRequest } from '../../lambdas/features/requests/ledger';
import { noticeDueAt } from '../../lambdas/features/usage-notice/rules';
import { withdraw } from '../../lambdas/features/withdrawal/withdraw';
import { applyEnvironment } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { seoulDay, seoulDayText } from '../../model/calendar';
import type { QueueName } from '../../model/resources';
import { type JobName, jobs, queues } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';
import type { Silo } from '../../policy/schema';
import { breachBody } from './breach-fixtures';
import { startTestStack, type TestStack } from './harness';
import { deliverMessage, joinAt, tablesOf, yearOf } from './inactivity-fixtures';

// lgcns names an officer address, so its digest is sent; the jobs' code is the same for both.
const PROFILE = 'lgcns';
const c = loadCatalogue(PROFILE);

let stack: TestStack;
let db: ReturnType<typeof tablesOf>;

const mailsTo = async (address: string) =>
  (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));

/** Delivers `times` copies of one event: one after the other, or all at once. */
async function deliver<T>(times: 'twice' | 'together', send: () => Promise<T>): Promise<T[]> {
  if (times === 'together') return Promise.all([send(), send()]);
  return [await send(), await send()];
}

type Delivery = 'twice' | 'together';

/** Each job's event delivered twice; `n` tells the scenario's members apart. */
const JOB_SCENARIOS: Readonly<
  Record<JobName, { name: string; run(times: Delivery, n: number): Promise<void> }>
> = {
  retention: {
    name: 'L7/G7: vault records past their period are deleted once, and counted once',
    async run(times, n) {
      const joined = new Date('2026-03-02T01:00:00Z');
      const id = `retention-${n}`;
      await joinAt(PROFILE, id, `${id}@example.com`, joined);
      await withdraw(c, id, joined);
      const held = await db.vault(id);
      expect(held.length).toBeGreaterThan(0);
      // The day each record's period ends, in the order they end.
      const ends = [...new Set(held.map((v) => Number(v.expiresAt)))].sort((a, b) => a - b);
      let deleted = 0;
      for (const end of ends) {
        const at = new Date(end * 1000).toISOString();
        const runs = await deliver(times, () => runJob('retention', stack.env, PROFILE, at));
        for (const r of runs) deleted += (r as { deleted: number }).deleted;
      }
      expect(await db.vault(id)).toEqual([]);
      expect(deleted).toBe(held.length);
    },
  },
  requestsDigest: {
    name: "L14/G10: the officer's digest is sent once a day",
    async run(times, n) {
      const now = new Date(Date.UTC(2026, 5, 1 + n, 0, 30));
      await logOfflineRequest(
        c,
        'officer-dup',
        { memberId: `digest-${n}`, type: 'access', channel: 'letter' },
        now,
      );
      const officer = digestAddress(c)!;
      const before = (await mailsTo(officer)).length;
      await deliver(times, () => runJob('requestsDigest', stack.env, PROFILE, now.toISOString()));
      const sent = (await mailsTo(officer)).slice(before);
      expect(sent.map((m) => m.subject)).toEqual([
        expect.stringContaining(`(${seoulDayText(seoulDay(now), 'ko')})`),
      ]);
    },
  },
  inactivity: {
    name: 'G9: one notice, then one destruction with one receipt',
    async run(times, n) {
      const { signIn, day } = yearOf(`${2040 + n}-01-10T02:00:00+09:00`);
      const id = `inactive-job-${n}`;
      const email = `${id}@example.com`;
      await joinAt(PROFILE, id, email, signIn);
      await deliver(times, () => runJob('inactivity', stack.env, PROFILE, day(340).toISOString()));
      expect(await mailsTo(email)).toHaveLength(1);
      await deliver(times, () => runJob('inactivity', stack.env, PROFILE, day(372).toISOString()));
      expect(await db.profile(id)).toBeUndefined();
      expect((await db.vault(id)).filter((v) => v.sk === 'RECEIPT')).toHaveLength(1);
      expect(await mailsTo(email)).toHaveLength(1);
    },
  },
  accessReview: {
    name: "Korean safety standard Art. 8: a month's access review is assembled once and the officer told once",
    async run(times, n) {
      const month = `${2050 + n}-03`;
      for (const day of ['02', '03']) {
        await appendAccessRecord(c, {
          officerId: `officer-dup-${n}`,
          sourceIp: '203.0.113.9',
          action: 'get-admin-member',
          memberId: `review-${n}`,
          reason: 'phone request',
          at: new Date(`${month}-${day}T01:00:00Z`),
        });
      }
      const officer = digestAddress(c)!;
      const before = (await mailsTo(officer)).length;
      const runs = await deliver(times, () =>
        runJob('accessReview', stack.env, PROFILE, `${2050 + n}-04-01T02:00:00+09:00`),
      );
      expect(runs.reduce((sum: number, r) => sum + (r as { assembled: number }).assembled, 0)).toBe(1);
      const sent = (await mailsTo(officer)).slice(before).filter((m) => m.subject.includes(month));
      expect(sent).toHaveLength(1);
      const items = (await db.scan('accessReviews')).filter(
        (i) => i.sk === month || i.pk === `EVIDENCE#${month}`,
      );
      expect(items.map((i) => i.pk).sort()).toEqual([`EVIDENCE#${month}`, 'REVIEW']);
    },
  },
  policyNotices: {
    name: 'L18, PIPA Art. 34: every member is told of a new policy version, and of a breach, once',
    async run(times, n) {
      const id = `policy-job-${n}`;
      const email = `${id}@example.com`;
      await joinAt(PROFILE, id, email, new Date());
      const { effectiveDate } = await publish(n);
      await deliver(times, () => runJob('policyNotices', stack.env, PROFILE));
      await deliver(times, () => runJob('policyNotices', stack.env, PROFILE));
      const notices = (await mailsTo(email)).filter((m) =>
        m.subject.includes(seoulDayText(effectiveDate, 'ko')),
      );
      expect(notices).toHaveLength(1);
      await breachJobRun(times, n);
    },
  },
  usageNotice: {
    name: 'PIPA Art. 20-2: a member of the year gets its annual usage notice once',
    async run(times, n) {
      const year = 2070 + n;
      const id = `usage-job-${n}`;
      const email = `${id}@example.com`;
      await joinAt(PROFILE, id, email, new Date(`${year}-03-01T10:00:00+09:00`));
      // The daily run at 10:00 on the due day of the year's notice.
      const due = new Date(noticeDueAt(c.usageNotice, year).getTime() + 10 * 3_600_000).toISOString();
      await deliver(times, () => runJob('usageNotice', stack.env, PROFILE, due));
      await deliver(times, () => runJob('usageNotice', stack.env, PROFILE, due));
      expect((await mailsTo(email)).filter((m) => m.subject.includes(`(${year}`))).toHaveLength(1);
    },
  },
};

/** PIPA Art. 34: every member affected by a breach is told once, whatever the job's deliveries. */
async function breachJobRun(times: Delivery, n: number): Promise<void> {
  const id = `breach-job-${n}`;
  const email = `${id}@example.com`;
  await joinAt(PROFILE, id, email, new Date());
  const now = new Date();
  await recordBreach(c, 'officer-dup', breachBody(c, { kind: 'list', memberIds: [id] }, now), now, undefined);
  await deliver(times, () => runJob('policyNotices', stack.env, PROFILE, now.toISOString()));
  await deliver(times, () => runJob('policyNotices', stack.env, PROFILE, now.toISOString()));
  expect(await mailsTo(email)).toHaveLength(1);
}

/** PIPA Art. 34: a member's breach message sends one notice; a breach segment's page advances once. */
async function breachMessagesRun(times: Delivery, n: number): Promise<void> {
  const id = `breach-msg-${n}`;
  const email = `${id}@example.com`;
  await joinAt(PROFILE, id, email, new Date());
  const at = new Date();
  const { breachId } = await recordBreach(
    c,
    'officer-dup',
    breachBody(c, { kind: 'list', memberIds: [id] }, at),
    at,
    undefined,
  );
  const now = at.toISOString();
  const page = await deliver(times, () =>
    deliverMessage(
      stack,
      'policyNotices',
      { kind: 'breach-segment', breachId, segment: 0, now },
      `bseg-${n}`,
    ),
  );
  expect(page.flatMap((r) => r.batchItemFailures)).toEqual([]);
  const member = await deliver(times, () =>
    deliverMessage(
      stack,
      'policyNotices',
      { kind: 'breach-member', breachId, memberId: id, now },
      `bmem-${n}`,
    ),
  );
  expect(member.flatMap((r) => r.batchItemFailures)).toEqual([]);
  expect(await mailsTo(email)).toHaveLength(1);
  const segment = (await db.scan('breaches')).find(
    (i) => i.pk === `BREACH#${breachId}` && i.sk === 'SEGMENT#0',
  );
  // The record queued this page too, undelivered here: only these two deliveries ran it.
  expect(segment?.step).toBe(1);
}

/** Publishes policy version 1.(100 + n), effective as soon as the notice lead allows. */
async function publish(n: number): Promise<{ seq: number; effectiveDate: string }> {
  const now = new Date();
  const effectiveDate = earliestEffectiveDate(now, c.policyChange.noticeLead);
  const version = `1.${100 + n}`;
  await publishVersion(
    c,
    'officer-dup',
    {
      catalogue: { ...c, policy: { ...c.policy, version, effectiveDate } },
      effectiveDate,
      summary: `Version ${version}.`,
    },
    now,
    `publish-${n}`,
  );
  const seq = (await listVersionRecords()).find((r) => r.version === version)!.seq;
  return { seq, effectiveDate };
}

/** Each queue's message delivered twice. */
const QUEUE_SCENARIOS: Readonly<
  Record<QueueName, { name: string; run(times: Delivery, n: number): Promise<void> }>
> = {
  inactivity: {
    name: 'G9: a notice message sends one notice; a destruction message leaves one receipt',
    async run(times, n) {
      const { signIn, day } = yearOf(`${2060 + n}-01-10T02:00:00+09:00`);
      const id = `inactive-msg-${n}`;
      const email = `${id}@example.com`;
      await joinAt(PROFILE, id, email, signIn);
      const notice = await deliver(times, () =>
        deliverMessage(stack, 'inactivity', { memberId: id, now: day(340).toISOString() }, `notice-${n}`),
      );
      expect(notice.flatMap((r) => r.batchItemFailures)).toEqual([]);
      expect(await mailsTo(email)).toHaveLength(1);
      const purge = await deliver(times, () =>
        deliverMessage(stack, 'inactivity', { memberId: id, now: day(372).toISOString() }, `purge-${n}`),
      );
      // A copy that met the other mid-way may fail and be redelivered; once done, nothing remains.
      for (const r of purge) expect(r.batchItemFailures.length).toBeLessThanOrEqual(1);
      if (purge.some((r) => r.batchItemFailures.length > 0)) {
        const again = await deliverMessage(
          stack,
          'inactivity',
          { memberId: id, now: day(372).toISOString() },
          `purge-${n}`,
        );
        expect(again.batchItemFailures).toEqual([]);
      }
      expect(await db.profile(id)).toBeUndefined();
      expect(await db.key(id)).toBeUndefined();
      expect((await db.vault(id)).filter((v) => v.sk === 'RECEIPT')).toHaveLength(1);
      expect(await mailsTo(email)).toHaveLength(1);
    },
  },
  policyNotices: {
    name: "L18, PIPA Art. 34: a member's message sends one notice; a segment's page advances once (policy versions and breaches)",
    async run(times, n) {
      const id = `policy-msg-${n}`;
      const email = `${id}@example.com`;
      await joinAt(PROFILE, id, email, new Date());
      const { seq, effectiveDate } = await publish(n);
      const now = new Date().toISOString();
      const member = await deliver(times, () =>
        deliverMessage(stack, 'policyNotices', { kind: 'member', seq, memberId: id, now }, `member-${n}`),
      );
      expect(member.flatMap((r) => r.batchItemFailures)).toEqual([]);
      expect(
        (await mailsTo(email)).filter((m) => m.subject.includes(seoulDayText(effectiveDate, 'ko'))),
      ).toHaveLength(1);
      const page = await deliver(times, () =>
        deliverMessage(stack, 'policyNotices', { kind: 'segment', seq, segment: 0, now }, `segment-${n}`),
      );
      expect(page.flatMap((r) => r.batchItemFailures)).toEqual([]);
      const segment = (await db.scan('policyVersions')).find(
        (i) => i.pk === `FANOUT#${seq}` && i.sk === 'SEG#000',
      );
      // The publish queued this page too, undelivered here: only these two deliveries ran it.
      expect(segment?.step).toBe(1);
      await breachMessagesRun(times, n);
    },
  },
  silos: {
    name: "issue 15: a silo's step erases the member's items and records one final outcome",
    async run(times, n) {
      const id = `silo-msg-${n}`;
      await joinAt(PROFILE, id, `${id}@example.com`, new Date());
      const { receipt } = await withdraw(c, id, new Date());
      const requestId = `silos-${receipt.receiptId}`;
      const [silo, table] = Object.entries(c.silos).find(([, s]) => s.kind === 'dynamodb') as [
        string,
        Extract<Silo, { kind: 'dynamodb' }>,
      ];
      const member = table.memberIndex?.attribute ?? table.partitionKey;
      for (let i = 0; i < 3; i++) {
        await documentClient.send(
          new PutCommand({
            TableName: table.table,
            Item: { [table.partitionKey]: table.memberIndex ? `${id}-${i}` : id, [member]: id, at: `${i}` },
          }),
        );
      }
      const runs = await deliver(times, () =>
        deliverMessage(stack, 'silos', { requestId, memberId: id, silo }, `silo-${n}`),
      );
      expect(runs.flatMap((r) => r.batchItemFailures)).toEqual([]);
      const left = (await documentClient.send(new ScanCommand({ TableName: table.table }))).Items ?? [];
      expect(left.filter((i) => i[member] === id)).toEqual([]);
      const record = (
        await documentClient.send(new GetCommand({ TableName: stack.env.REQUESTS_TABLE, Key: { requestId } }))
      ).Item;
      // Two copies at once may split the items between them: the outcome is erased either way.
      expect(record?.silos[silo].status).toBe('erased');
    },
  },
};

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  applyEnvironment(stack.env);
  db = tablesOf(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('duplicate delivery', () => {
  it('has a scenario for every job and every work queue', () => {
    expect(Object.keys(JOB_SCENARIOS).sort()).toEqual(Object.keys(jobs).sort());
    expect(Object.keys(QUEUE_SCENARIOS).sort()).toEqual(Object.keys(queues).sort());
  });

  const cases = [
    ...Object.entries(JOB_SCENARIOS).map(([id, s]) => [`job ${id}`, s] as const),
    ...Object.entries(QUEUE_SCENARIOS).map(([id, s]) => [`${id} queue message`, s] as const),
  ];
  let n = 0;
  describe.each(cases)('%s', (_, scenario) => {
    it(`${scenario.name}: delivered twice, one after the other`, () => scenario.run('twice', n++));
    it(`${scenario.name}: delivered twice at the same time`, () => scenario.run('together', n++));
  });
});
