/**
 * Policy changes end to end for one profile (L18): an officer publishes a version through the
 * route against moto, with the clock held at a chosen Seoul instant; the notices go out through
 * the real SQS queue, drained by the worker as Lambda would, and `GET /v1/policy` is read before
 * and after the effective date.
 */
import type { SNSEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ATTEMPTS as SEND_ATTEMPTS } from '../../lambdas/adapters/signed-fetch';
import { suspendMember } from '../../lambdas/features/officer/officer';
import { clearPolicyCache, fanOutPk } from '../../lambdas/features/policy-versions/store';
import { restrict } from '../../lambdas/features/restriction/restriction';
import { withdraw } from '../../lambdas/features/withdrawal/withdraw';
import { runJob } from '../../local/job';
import { loadCatalogue, type ProfileName, profiles } from '../../policy/catalogue';
import type { CatalogueInput } from '../../policy/schema';
import type { MatrixFixture } from './authorization.suite';
import { invoked, startTestStack, type TestStack } from './harness';
import { joinAt, tablesOf } from './inactivity-fixtures';
import { call, mailsTo } from './member-api';
import { asOfficer } from './officer-api';

/** Seoul 10:00 on 2 March 2031: the day the officer publishes. */
const PUBLISHED_AT = new Date('2031-03-02T10:00:00+09:00');
/** The notice's subject: members who joined with no Accept-Language read Korean. */
const SUBJECT = /개인정보 처리방침이 변경됩니다/;

/** The profile's catalogue as written, with a new version and effective date. */
function nextCatalogue(profile: ProfileName, version: string, effectiveDate: string): CatalogueInput {
  const input = structuredClone(profiles[profile]) as CatalogueInput;
  return { ...input, policy: { ...input.policy, version, effectiveDate } };
}

function publishBody(profile: ProfileName, version: string, effectiveDate: string) {
  return {
    catalogue: nextCatalogue(profile, version, effectiveDate),
    effectiveDate,
    summary: `Version ${version}: the privacy officer's contacts are updated.`,
  };
}

/** Registers the policy-change tests of `profile`. */
export function policyChangesSuite(profile: ProfileName, fixture: MatrixFixture): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  let db: ReturnType<typeof tablesOf>;
  const email = (id: string) => `${id}-${profile}@example.com`;
  const notices = async (id: string) =>
    (await mailsTo(stack, email(id))).filter((m) => SUBJECT.test(m.subject));
  const versionsTable = async () => db.scan('policyVersions');
  const drain = async () =>
    (await runJob('policyNotices', stack.env, stack.profile, new Date().toISOString())) as Record<
      string,
      number
    >;

  beforeAll(async () => {
    stack = await startTestStack(profile, { faults: true });
    db = tablesOf(stack);
    // Only Date: timers, sockets and the emulator keep real time.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(PUBLISHED_AT.getTime() - 86_400_000));
    for (const id of ['plain', 'restricted', 'suspended', 'bounced', 'withdrawn']) {
      await joinAt(profile, id, email(id), new Date());
    }
    await restrict(c, 'restricted', 'all', 'objects to all processing', new Date());
    await suspendMember('suspended', 'officer-kim', 'false information', new Date());
    await withdraw(c, 'withdrawn', new Date());
    const handler = invoked(
      'ses-feedback',
      stack.env,
      (await import('../../lambdas/handlers/ses-feedback')).handler,
    );
    const address = email('bounced');
    const bounce = {
      eventType: 'Bounce',
      mail: { destination: [address] },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
    };
    await handler({ Records: [{ Sns: { Message: JSON.stringify(bounce) } }] } as unknown as SNSEvent);
    vi.setSystemTime(PUBLISHED_AT);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await stack?.stop();
  });

  describe(`policy changes (${profile}, notice lead ${c.policyChange.noticeLead.days} days)`, () => {
    it('L18: a version effective 6 days ahead (Seoul) is refused with 422 naming the earliest date, and nothing is stored or queued', async () => {
      const res = await asOfficer(
        stack,
        'POST',
        '/v1/admin/policy-versions',
        publishBody(profile, '1.1', '2031-03-08'),
      );
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.json).toMatchObject({ field: 'effectiveDate', earliest: '2031-03-09' });
      expect(await versionsTable()).toEqual([]);
      expect(await drain()).toMatchObject({ delivered: 0, versions: 0 });
    });

    it('L18: a member token is refused with 403 and nothing is stored', async () => {
      const res = await call(stack, 'POST', '/v1/admin/policy-versions', {
        sub: 'plain',
        token: fixture.token,
        body: publishBody(profile, '1.1', '2031-03-09'),
      });
      expect(res.status).toBe(403);
      expect(await versionsTable()).toEqual([]);
    });

    it('L18: a broken catalogue is refused with 422 naming the entry, echoing no submitted value', async () => {
      const broken = publishBody(profile, '1.1', '2031-03-09');
      const item = c.noticeItem;
      (broken.catalogue.items as Record<string, { purposes: string[] }>)[item]!.purposes = ['marketing'];
      const res = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', broken);
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ entry: `catalogue.items.${item}.purposes` });

      const secret = 'kim.minji@example.com';
      const unknownKey = { ...publishBody(profile, '1.1', '2031-03-09') };
      (unknownKey.catalogue as Record<string, unknown>)[secret] = secret;
      const refused = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', unknownKey);
      expect(refused.status).toBe(422);
      expect(refused.text).not.toContain(secret);
      expect(await versionsTable()).toEqual([]);
    });

    it('L18: a version that changes what the deployed infrastructure enforces is refused with 422 saying a deploy is needed', async () => {
      const body = publishBody(profile, '1.1', '2031-03-09');
      const classId = c.recordClasses.accessLog;
      (body.catalogue.retention as Record<string, { period: unknown }>)[classId]!.period = { years: 9 };
      const res = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', body);
      expect(res.status).toBe(422);
      expect(res.json.title).toBe('Deploy needed');
      expect(res.json.entries.length).toBeGreaterThan(0);
      for (const entry of res.json.entries) expect(entry).toMatch(`catalogue.retention.${classId}.period`);
      expect(await versionsTable()).toEqual([]);
    });

    it('L18: unknown fields are refused with 400 naming them', async () => {
      const res = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', {
        ...publishBody(profile, '1.1', '2031-03-09'),
        region: 'us-east-1',
      });
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([{ field: 'region', problem: 'unknown field' }]);
    });

    it('L18: a version effective 7 days ahead is published (201); a retry with the same Idempotency-Key replays it, another publish of it is 409', async () => {
      const body = publishBody(profile, '1.1', '2031-03-09');
      const headers = { 'idempotency-key': `publish-1.1-${profile}` };
      const res = await call(stack, 'POST', '/v1/admin/policy-versions', {
        sub: 'officer-kim',
        token: { groups: ['privacy-officer'] },
        body,
        headers,
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({
        version: '1.1',
        effectiveDate: '2031-03-09',
        publishedBy: 'officer-kim',
        notices: { status: 'started', segments: 16 },
      });
      const replay = await call(stack, 'POST', '/v1/admin/policy-versions', {
        sub: 'officer-kim',
        token: { groups: ['privacy-officer'] },
        body,
        headers,
      });
      expect(replay.status).toBe(201);
      expect(replay.json).toEqual(res.json);
      const again = await asOfficer(stack, 'POST', '/v1/admin/policy-versions', body);
      expect(again.status).toBe(409);
      expect((await versionsTable()).filter((i) => i.pk === 'VERSION')).toHaveLength(1);
    });

    it('L18: GET /v1/policy shows the version in force and the upcoming one, in HTML, Markdown and JSON', async () => {
      clearPolicyCache();
      const json = await call(stack, 'GET', '/v1/policy?format=json');
      expect(json.json).toMatchObject({
        version: c.policy.version,
        upcoming: { version: '1.1', effectiveDate: '2031-03-09', summary: expect.stringContaining('1.1') },
      });
      expect(json.json.upcoming.sections.length).toBe(json.json.sections.length);
      const markdown = (await call(stack, 'GET', '/v1/policy?format=markdown&lang=en')).text;
      expect(markdown).toContain(`Version ${c.policy.version}, effective ${c.policy.effectiveDate}.`);
      expect(markdown).toContain('## Upcoming: version 1.1, effective 2031-03-09');
      const html = (await call(stack, 'GET', '/v1/policy?format=html')).text;
      expect(html).toContain('<h2>예정: 버전 1.1, 시행일 2031-03-09</h2>');
    });

    it('L18: the notices started at publish reach every member exactly once, restricted and suspended included; a bounced address is recorded undeliverable; a withdrawn member gets none', async () => {
      // The job queues every open segment again while the publish's chain is still queued: two
      // deliveries of each page race for its step, and no member hears twice.
      const run = await drain();
      expect(run).toMatchObject({ versions: 1, segmentsResumed: 16, failed: 0, deadLettered: 0 });
      for (const id of ['plain', 'restricted', 'suspended']) {
        const mails = await notices(id);
        expect(mails, id).toHaveLength(1);
        expect(mails[0]!.body).toContain('2031년 3월 9일');
        expect(mails[0]!.body).toContain('the privacy officer');
        expect(mails[0]!.body).toContain(`${stack.baseUrl.replace('127.0.0.1', 'localhost')}/v1/policy`);
        expect((await db.profile(id))?.policyNotice).toMatchObject({ version: '1.1', state: 'sent' });
      }
      expect(await notices('bounced')).toHaveLength(0);
      expect((await db.profile('bounced'))?.policyNotice).toMatchObject({
        state: 'undeliverable',
        delivery: 'suppressed',
      });
      expect(await notices('withdrawn')).toHaveLength(0);
      expect(await db.profile('withdrawn')).toBeUndefined();
      const progress = (await versionsTable()).filter((i) => String(i.pk).startsWith('FANOUT#'));
      expect(progress).toHaveLength(16);
      expect(progress.every((s) => s.done === true)).toBe(true);
    });

    it('L18: a member who joins while the change is announced is shown the upcoming version at join and emailed its notice once', async () => {
      const res = await call(stack, 'POST', '/v1/members', {
        sub: 'newcomer',
        token: fixture.token,
        body: fixture.join('newcomer'),
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.policyVersion).toBe(c.policy.version);
      expect(res.json.upcomingPolicy).toEqual({
        version: '1.1',
        effectiveDate: '2031-03-09',
        summary: expect.stringContaining('1.1'),
      });
      await drain();
      await drain();
      const mails = (await mailsTo(stack, 'newcomer@example.com')).filter((m) => SUBJECT.test(m.subject));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.body).toContain('2031년 3월 9일');
    });

    it('L18: a rerun of the job sends none', async () => {
      const run = await drain();
      expect(run).toMatchObject({ versions: 0, segmentsResumed: 0, delivered: 0 });
      for (const id of ['plain', 'restricted', 'suspended']) expect(await notices(id), id).toHaveLength(1);
    });

    it("L18: a duplicate, a concurrent, a crashed and a refused delivery of a member's message each end in one notice", async () => {
      const handler = invoked(
        'worker-policy-notices',
        stack.env,
        (await import('../../lambdas/handlers/worker-policy-notices')).handler,
      );
      const seq = Number((await versionsTable()).find((i) => String(i.pk).startsWith('FANOUT#'))!.seq);
      expect(String(fanOutPk(seq))).toBe(`FANOUT#${seq}`);
      const event = (memberId: string, n: number): SQSEvent =>
        ({
          Records: Array.from({ length: n }, (_, i) => ({
            messageId: `${memberId}-${i}`,
            body: JSON.stringify({ kind: 'member', seq, memberId, now: new Date().toISOString() }),
          })),
        }) as unknown as SQSEvent;

      await joinAt(profile, 'late', email('late'), new Date());
      const concurrent = await Promise.all([handler(event('late', 1)), handler(event('late', 1))]);
      expect(concurrent.flatMap((r) => r.batchItemFailures)).toEqual([]);
      await handler(event('late', 2));
      expect(await notices('late')).toHaveLength(1);

      // A delivery that claimed the member and died: after the lease, the next delivery sends once.
      await joinAt(profile, 'crashed', email('crashed'), new Date());
      const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
      const { documentClient, tableName } = await import('../../lambdas/adapters/dynamodb');
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName('members'),
          Key: { pk: 'M#crashed', sk: 'PROFILE' },
          UpdateExpression: 'SET policyNotice = :claim',
          ExpressionAttributeValues: {
            ':claim': {
              seq,
              version: '1.1',
              state: 'sending',
              attemptId: 'dead',
              claimedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
            },
          },
        }),
      );
      await handler(event('crashed', 2));
      expect(await notices('crashed')).toHaveLength(1);

      // SES throttles past every retry: nothing went out, the claim is given back, and the
      // redelivery sends once.
      await joinAt(profile, 'refused', email('refused'), new Date());
      stack.faults!.inject({
        service: 'ses',
        operation: 'SendEmail',
        kind: 'throttled',
        times: SEND_ATTEMPTS,
      });
      const failed = await handler(event('refused', 1));
      expect(failed.batchItemFailures).toHaveLength(1);
      expect(stack.faults!.failed).toHaveLength(SEND_ATTEMPTS);
      expect((await db.profile('refused'))?.policyNotice).toBeUndefined();
      stack.faults!.reset();
      expect((await handler(event('refused', 1))).batchItemFailures).toEqual([]);
      expect(await notices('refused')).toHaveLength(1);
    });

    it('L18: the new version becomes current at its effective date (Seoul), without a redeploy; join then takes the new version', async () => {
      vi.setSystemTime(new Date('2031-03-08T23:59:00+09:00'));
      clearPolicyCache();
      const before = (await call(stack, 'GET', '/v1/policy?format=json')).json;
      expect(before).toMatchObject({ version: c.policy.version, upcoming: { version: '1.1' } });

      vi.setSystemTime(new Date('2031-03-09T00:00:00+09:00'));
      clearPolicyCache();
      const after = (await call(stack, 'GET', '/v1/policy?format=json')).json;
      expect(after).toMatchObject({ version: '1.1', effectiveDate: '2031-03-09' });
      expect(after.upcoming).toBeUndefined();

      const outdated = await call(stack, 'POST', '/v1/members', {
        sub: 'joiner-old',
        token: fixture.token,
        body: fixture.join('JoinerOld'),
      });
      expect(outdated.status).toBe(409);
      const joined = await call(stack, 'POST', '/v1/members', {
        sub: 'joiner-new',
        token: fixture.token,
        body: { ...fixture.join('JoinerNew'), policyVersion: '1.1' },
      });
      expect(joined.status, joined.text).toBe(201);
      expect((await db.profile('joiner-new'))?.policyVersion).toBe('1.1');
    });

    it('L18: a version published while another is upcoming supersedes it; the officer sees both', async () => {
      vi.setSystemTime(new Date('2031-04-01T09:00:00+09:00'));
      const first = await asOfficer(
        stack,
        'POST',
        '/v1/admin/policy-versions',
        publishBody(profile, '1.2', '2031-04-10'),
      );
      expect(first.status, first.text).toBe(201);
      vi.setSystemTime(new Date('2031-04-02T09:00:00+09:00'));
      const second = await asOfficer(
        stack,
        'POST',
        '/v1/admin/policy-versions',
        publishBody(profile, '1.3', '2031-04-09'),
      );
      expect(second.status, second.text).toBe(201);
      expect(second.json.supersedes).toBe('1.2');
      clearPolicyCache();
      const listed = await asOfficer(stack, 'GET', '/v1/admin/policy-versions');
      expect(listed.status).toBe(200);
      expect(
        listed.json.versions.map((v: { version: string; status: string }) => [v.version, v.status]),
      ).toEqual([
        ['1.3', 'upcoming'],
        ['1.2', 'superseded'],
        ['1.1', 'in-force'],
      ]);
      expect(JSON.stringify(listed.json)).not.toContain('"catalogue"');
      await drain();
      const mails = await notices('plain');
      expect(mails.map((m) => m.subject.match(/\] (.+)부터/)?.[1])).toEqual([
        '2031년 3월 9일',
        '2031년 4월 9일',
      ]);
    });

    it('L18: a stored version changed outside the publish route fails closed: the policy and its readers answer 503, the jobs stop, nothing is mailed; restored, it governs again', async () => {
      vi.setSystemTime(new Date('2031-04-05T09:00:00+09:00'));
      const stored = (await versionsTable()).find((i) => i.pk === 'VERSION' && i.version === '1.1')!;
      const catalogue = stored.catalogue as CatalogueInput;
      const officer = { ...catalogue.contacts.officer, email: 'someone-else@example.com' };
      const tampered = [
        // The officer's address changed: well formed, but not what the officer published.
        { ...stored, catalogue: { ...catalogue, contacts: { ...catalogue.contacts, officer } } },
        // A catalogue no schema accepts, and a record without its digest.
        { ...stored, catalogue: { policy: 'none' } },
        Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'digest')),
        // A later effective date: the catalogue is intact, the record is not.
        { ...stored, effectiveDate: '2031-04-20' },
      ];
      const mailsBefore = (await notices('plain')).length;
      for (const item of tampered) {
        await db.put('policyVersions', item);
        clearPolicyCache();
        for (const path of ['/v1/policy?format=json', '/v1/policy']) {
          const answer = await call(stack, 'GET', path);
          expect(answer.status, path).toBe(503);
          expect(answer.text).not.toContain('someone-else');
        }
        const listed = await asOfficer(stack, 'GET', '/v1/admin/policy-versions');
        expect(listed.status).toBe(503);
        await expect(
          runJob('inactivity', stack.env, stack.profile, new Date().toISOString()),
        ).rejects.toThrow();
        await expect(drain()).rejects.toThrow();
      }
      expect(await notices('plain')).toHaveLength(mailsBefore);

      await db.put('policyVersions', stored);
      clearPolicyCache();
      const restored = await call(stack, 'GET', '/v1/policy?format=json');
      expect(restored.status, restored.text).toBe(200);
      expect(restored.json).toMatchObject({ version: '1.1', upcoming: { version: '1.3' } });
    });
  });
}
