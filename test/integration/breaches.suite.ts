/**
 * The breach workflow (PIPA Art. 34, Enforcement Decree Arts. 39-40; GDPR Arts. 33-34) through
 * the real routes on the local front, the real job, queue and worker, against moto, for one
 * profile: members told once each in their language, the regulator chosen by the catalogue's
 * thresholds, the report, the 72-hour alarms with the job's clock set, closing, and bad input
 * that changes nothing.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppress } from '../../lambdas/adapters/suppression';
import { runBreachClocks } from '../../lambdas/features/breaches/notices';
import { restrict } from '../../lambdas/features/restriction/restriction';
import { physicalNames } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { BREACH_DEADLINES_MISSED_METRIC, BREACH_DEADLINES_NEAR_METRIC } from '../../model/metrics';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { breachBody } from './breach-fixtures';
import { startTestStack, type TestStack } from './harness';
import { joinAt, tablesOf } from './inactivity-fixtures';
import type { ApiResponse } from './member-api';
import { asOfficer, chainOf, documentClientOf } from './officer-api';

const HOUR = 3_600_000;

/** Registers the breach tests of `profile`. */
export function breachesSuite(profile: ProfileName): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const mailsTo = async (address: string) =>
    (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));
  const record = async (body: unknown) => {
    const res = await asOfficer(stack, 'POST', '/v1/admin/breaches', body);
    expect(res.status, res.text).toBe(201);
    return res.json as { breachId: string };
  };
  const detail = async (breachId: string) => {
    const res = await asOfficer(stack, 'GET', `/v1/admin/breaches/${breachId}`);
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  const clocksJob = (now: Date) => runJob('policyNotices', stack.env, profile, now.toISOString());
  const setLanguage = (memberId: string, lang: string) =>
    documentClientOf(stack).send(
      new UpdateCommand({
        TableName: physicalNames.table(profile, 'members'),
        Key: { pk: `M#${memberId}`, sk: 'PROFILE' },
        UpdateExpression: 'SET lang = :lang',
        ExpressionAttributeValues: { ':lang': lang },
      }),
    );

  describe(`breach workflow (${profile})`, () => {
    it('PIPA Art. 34(1): every affected member is told once, in their language, restricted members too, suppressed addresses skipped', async () => {
      const now = new Date();
      const ids = ['ko', 'en', 'restricted', 'suppressed'].map((k) => `b1-${k}-${profile}`);
      for (const id of ids)
        await joinAt(profile, id, `${id}@example.com`, new Date(now.getTime() - 86_400_000));
      await setLanguage(ids[1]!, 'en');
      await restrict(c, ids[2]!, 'all', 'Disputes accuracy', now);
      await suppress(profile, c.noticeItem, `${ids[3]}@example.com`, 'bounce', now);

      const discovered = new Date(now.getTime() - 2 * HOUR);
      const { breachId } = await record(
        breachBody(c, { kind: 'list', memberIds: [...ids, `b1-never-joined-${profile}`] }, discovered),
      );
      // The job's clock after the record: the notices go out with it.
      await clocksJob(new Date());
      await clocksJob(new Date());

      const mails = await Promise.all(ids.map((id) => mailsTo(`${id}@example.com`)));
      const [ko, en, restricted, suppressed] = [mails[0]!, mails[1]!, mails[2]!, mails[3]!];
      expect(ko).toHaveLength(1);
      expect(en).toHaveLength(1);
      expect(restricted).toHaveLength(1);
      expect(suppressed).toHaveLength(0);
      // Korean by default: what leaked, when (Asia/Seoul), what we did, what to do, whom to contact.
      const label = c.items[c.noticeItem]!.label;
      expect(ko[0]!.subject).toContain('개인정보 유출');
      for (const part of [
        label.ko,
        'KST',
        '백업 파일',
        '파일을 즉시 삭제',
        c.breach.memberActions.ko,
        c.breach.helpDesk.ko,
        c.contacts.officer.name.ko,
        breachId,
      ]) {
        expect(ko[0]!.body).toContain(part);
      }
      expect(ko[0]!.body).toMatch(/\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} KST/);
      expect(en[0]!.subject).toContain('leaked');
      for (const part of [
        'KST',
        'A backup file',
        'We deleted the file',
        c.breach.memberActions.en,
        c.breach.helpDesk.en,
        label.en,
        c.contacts.officer.name.en,
      ]) {
        expect(en[0]!.body).toContain(part);
      }
      expect(en[0]!.body).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} KST/);

      const view = await detail(breachId);
      expect(view.notices).toMatchObject({
        found: true,
        identified: 5,
        sent: 3,
        undeliverable: 1,
        gone: 1,
        waiting: 0,
      });
      expect(view.clocks.members.state).toBe('met');
      // Two members, no sensitive item, no outside attack: no regulator is owed a report.
      expect(view.clocks.regulator).toMatchObject({ state: 'not-required', authorities: [] });
      expect(view.ledger.map((s: { step: string }) => s.step)).toEqual([
        'recorded',
        'members-found',
        'members-told',
      ]);

      // Run again: nobody is told twice.
      await clocksJob(new Date(now.getTime() + HOUR));
      for (const id of ids.slice(0, 3)) expect(await mailsTo(`${id}@example.com`)).toHaveLength(1);
    });

    it('PIPA Art. 34(3), Enforcement Decree Art. 40: an outside attack is reported to the regulator the catalogue names for it, and the report carries every notification item', async () => {
      const now = new Date();
      const id = `b2-${profile}`;
      await joinAt(profile, id, `${id}@example.com`, now);
      const { breachId } = await record(
        breachBody(c, { kind: 'list', memberIds: [id] }, new Date(now.getTime() - HOUR), {
          occurredAt: new Date(now.getTime() - 5 * HOUR).toISOString(),
          cause: { outsideAttack: true, description: { ko: 'SQL 삽입 공격', en: 'An SQL injection attack' } },
        }),
      );
      const expected = c.breach.regulators.find((r) => r.law === 'pipa' && r.when.outsideAttack)!;
      const read = await asOfficer(stack, 'GET', `/v1/admin/breaches/${breachId}`);
      expect(read.status, read.text).toBe(200);
      const report = read.json.report;
      expect(report).toMatchObject({
        breachId,
        operator: c.operator,
        officer: { name: c.contacts.officer.name },
        authorities: [{ id: expected.id, law: 'pipa', because: ['outsideAttack'] }],
        items: [{ id: c.noticeItem, label: c.items[c.noticeItem]!.label }],
        cause: { outsideAttack: true, description: { en: 'An SQL injection attack' } },
        membersAffected: { count: 1 },
        measures: { en: 'We deleted the file at once and reviewed who accessed it.' },
        memberActions: c.breach.memberActions,
        helpDesk: c.breach.helpDesk,
        clocks: { regulator: { state: 'open', authorities: [expected.id] } },
      });
      expect(report.occurredAt).toBeDefined();

      const asHtml = await fetchAs(stack, `/v1/admin/breaches/${breachId}`, 'text/html');
      expect(asHtml.type).toContain('text/html');
      expect(asHtml.text).toContain('개인정보 유출 신고서');
      expect(asHtml.text).toContain('Personal-data breach report');
      expect(asHtml.text).toContain(expected.name.ko);
      const asMarkdown = await fetchAs(stack, `/v1/admin/breaches/${breachId}`, 'text/markdown');
      expect(asMarkdown.type).toContain('text/markdown');
      expect(asMarkdown.text).toContain(`| Reported to | ${expected.name.en} [outsideAttack] |`);
      expect((await fetchAs(stack, `/v1/admin/breaches/${breachId}`, 'image/png')).status).toBe(406);

      // Filing with a regulator the breach is not reported to is refused; the right one stops its clock.
      const wrong = c.breach.regulators.find((r) => r.id !== expected.id)!;
      const refused = await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
        action: 'file-report',
        regulator: wrong.id,
        filedAt: now.toISOString(),
        reference: 'X-1',
      });
      await expectProblem(refused, 422);
      const filed = await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
        action: 'file-report',
        regulator: expected.id,
        filedAt: now.toISOString(),
        reference: 'KISA-2026-0042',
      });
      expect(filed.status, filed.text).toBe(200);
      expect(filed.json.clocks.regulator).toMatchObject({ state: 'met', metAt: now.toISOString() });
      const again = await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
        action: 'file-report',
        regulator: expected.id,
        filedAt: now.toISOString(),
        reference: 'KISA-2026-0042',
      });
      await expectProblem(again, 409);
      expect((await detail(breachId)).filings).toHaveLength(1);
      // Its member is told, so no clock of this breach is left for the alarm tests below.
      await clocksJob(new Date());
      expect(await mailsTo(`${id}@example.com`)).toHaveLength(1);
    });

    it("PIPA Art. 34, GDPR Art. 33(1): the deadline alarms count a clock unmet 1 hour before its 72 hours (71 h) and past them (73 h), by the job's clock", async () => {
      const now = new Date();
      const id = `b3-${profile}`;
      await joinAt(profile, id, `${id}@example.com`, now);
      const discovered = new Date(now.getTime() - 60_000);
      const { breachId } = await record(
        breachBody(c, { kind: 'list', memberIds: [id] }, discovered, {
          cause: { outsideAttack: true, description: { ko: '해킹', en: 'Hacking' } },
        }),
      );
      const lines: string[] = [];
      const metric = (name: string) =>
        lines
          .map((l) => JSON.parse(l))
          .filter((l) => name in l)
          .at(-1)?.[name] as number | undefined;
      // Nothing sent yet (the queue is not drained): both clocks are open.
      const at70 = await runBreachClocks(c, new Date(discovered.getTime() + 70 * HOUR), (l) => lines.push(l));
      expect(at70).toMatchObject({ breachDeadlinesNear: 0, breachDeadlinesMissed: 0 });
      const at71 = await runBreachClocks(c, new Date(discovered.getTime() + 71 * HOUR), (l) => lines.push(l));
      expect(at71).toMatchObject({ breachDeadlinesNear: 2, breachDeadlinesMissed: 0 });
      expect(metric(BREACH_DEADLINES_NEAR_METRIC)).toBe(2);
      expect(metric(BREACH_DEADLINES_MISSED_METRIC)).toBe(0);
      const at73 = await runBreachClocks(c, new Date(discovered.getTime() + 73 * HOUR), (l) => lines.push(l));
      expect(at73).toMatchObject({ breachDeadlinesNear: 0, breachDeadlinesMissed: 2 });
      expect(metric(BREACH_DEADLINES_MISSED_METRIC)).toBe(2);
      expect(metric(BREACH_DEADLINES_NEAR_METRIC)).toBe(0);
      const view = await asOfficer(stack, 'GET', '/v1/admin/breaches');
      expect(view.status).toBe(200);
      expect(view.json.breaches.find((b: { breachId: string }) => b.breachId === breachId)).toBeDefined();

      // Closing with a clock unmet needs a reason; without one nothing changes.
      const refused = await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
        action: 'close',
      });
      await expectProblem(refused, 422);
      expect((await detail(breachId)).status).toBe('open');
      const closed = await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
        action: 'close',
        reason: 'Test breach closed by the officer with the report on file elsewhere.',
      });
      expect(closed.status, closed.text).toBe(200);
      const after = await detail(breachId);
      expect(after).toMatchObject({
        status: 'closed',
        closeReason: expect.stringContaining('report on file'),
      });
      expect(after.ledger.at(-1)).toMatchObject({ step: 'closed', details: { withReason: true } });
      await expectProblem(
        await asOfficer(stack, 'POST', `/v1/admin/breaches/${breachId}/actions`, {
          action: 'close',
          reason: 'x',
        }),
        409,
      );
      // A closed breach sends no more notices, and counts in no alarm.
      await clocksJob(new Date(discovered.getTime() + 74 * HOUR));
      expect(await mailsTo(`${id}@example.com`)).toHaveLength(0);
      const later = await runBreachClocks(c, new Date(discovered.getTime() + 75 * HOUR), () => undefined);
      expect(later.breachDeadlinesMissed).toBe(0);
    });

    it('PIPA Art. 34: bad input answers 4xx and records nothing; every officer call is in the access records (G17)', async () => {
      const db = tablesOf(stack);
      const before = (await db.scan('breaches')).length;
      const chain = (await chainOf(stack)).length;
      const good = breachBody(c, { kind: 'all' }, new Date(Date.now() - HOUR));
      const bad: [unknown, number][] = [
        [{ ...good, items: ['no-such-item'] }, 400],
        [{ ...good, affected: { kind: 'list', memberIds: [] } }, 400],
        [{ ...good, affected: { kind: 'query', holding: [] } }, 400],
        [{ ...good, cause: { outsideAttack: 'yes', description: { ko: 'x', en: 'x' } } }, 400],
        [{ ...good, measures: { ko: '조치' } }, 400],
        [{ ...good, reason: ' ' }, 400],
        [{ ...good, discoveredAt: new Date(Date.now() + 86_400_000).toISOString() }, 422],
        [{ ...good, occurredAt: new Date(Date.now()).toISOString() }, 422],
      ];
      for (const [body, status] of bad) {
        await expectProblem(await asOfficer(stack, 'POST', '/v1/admin/breaches', body), status);
      }
      await expectProblem(await asOfficer(stack, 'GET', '/v1/admin/breaches/no-such-breach'), 404);
      await expectProblem(
        await asOfficer(stack, 'POST', '/v1/admin/breaches/no-such-breach/actions', {
          action: 'close',
          reason: 'x',
        }),
        404,
      );
      expect((await db.scan('breaches')).length).toBe(before);
      // The two 422s and two 404s reached their handlers and were recorded as calls; the 400s
      // were refused at the edge, before any handler ran.
      expect((await chainOf(stack)).length).toBe(chain + 4);
    });
  });
}

/** Asserts a problem answer of `status` (RFC 9457). */
async function expectProblem(res: ApiResponse, status: number): Promise<void> {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json.status).toBe(status);
}

/** A GET with an Accept header, as the officer. */
async function fetchAs(stack: TestStack, path: string, accept: string) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    headers: {
      accept,
      authorization: `Bearer ${await stack.token('officer-kim', { groups: ['privacy-officer'] })}`,
    },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
