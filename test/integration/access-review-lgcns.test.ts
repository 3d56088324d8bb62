/**
 * The monthly review of handler access records (Korean safety standard Art. 8) for the lgcns
 * profile: a seeded month with anomalies is assembled by the job, its chain checked, the review
 * read and signed off once through the API, an unreviewed month shown overdue, and a tampered
 * record flagged. HTTP to the local front, handlers and the job against moto.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAccessRecord } from '../../lambdas/features/access-records/access-records';
import { digestAddress } from '../../lambdas/features/requests/digest';
import { applyEnvironment, physicalNames } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { loadCatalogue } from '../../policy/catalogue';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { type ApiResponse, scanTable } from './member-api';
import { asOfficer, chainOf, documentClientOf } from './officer-api';

const PROFILE = 'lgcns';
const c = loadCatalogue(PROFILE);
const officerAddress = digestAddress(c)!;

let stack: TestStack;

/** One record of `officerId` at `at` (an ISO time with its offset). */
function record(
  officerId: string,
  at: string,
  extra: { memberId?: string; download?: boolean; reason?: string } = {},
) {
  return appendAccessRecord(c, {
    officerId,
    sourceIp: '203.0.113.9',
    action: extra.download ? 'post-request-action' : 'get-admin-member',
    reason: extra.reason ?? 'phone request: identity checked',
    ...(extra.memberId ? { memberId: extra.memberId } : {}),
    ...(extra.download ? { download: true } : {}),
    at: new Date(at),
  });
}

/** A weekday of `month` at 10:00 in Seoul: the `i`-th of the month's first 20 weekdays. */
function workingTime(month: string, i: number): string {
  const days: string[] = [];
  for (let d = 1; days.length < 20; d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return `${days[i % 20]}T10:00:00+09:00`;
}

/** An API answer as {@link expectProblem} reads it. */
const raw = (res: ApiResponse) => ({
  status: res.status,
  headers: { 'content-type': res.headers.get('content-type') ?? '' },
  body: res.text,
});

const review = (month: string) => asOfficer(stack, 'GET', `/v1/admin/access-reviews/${month}`);
const mailsAbout = async (month: string) =>
  (await readOutbox(stack.endpoint)).filter(
    (m) => m.to.includes(officerAddress) && m.subject.includes(month),
  );

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  applyEnvironment(stack.env);
  // History: officer-a handles 10 records in each of July, August and September.
  for (const month of ['2026-07', '2026-08', '2026-09']) {
    for (let i = 0; i < 10; i++) await record('officer-a', workingTime(month, i), { memberId: `m${i % 3}` });
  }
  // October: officer-a four times their usual volume, two downloads among them; officer-b a
  // few records, one on a Saturday and one late in the evening.
  for (let i = 0; i < 40; i++)
    await record('officer-a', workingTime('2026-10', i), { memberId: `m${i % 4}` });
  await record('officer-a', '2026-10-20T11:00:00+09:00', {
    memberId: 'm1',
    download: true,
    reason: 'portability request by letter',
  });
  await record('officer-a', '2026-10-21T11:00:00+09:00', {
    memberId: 'm2',
    download: true,
    reason: 'access request, export asked',
  });
  await record('officer-b', '2026-10-03T10:00:00+09:00', { memberId: 'm9' });
  await record('officer-b', '2026-10-06T22:30:00+09:00', { memberId: 'm9' });
  await record('officer-b', '2026-10-07T09:00:00+09:00');
  // The record after the month, which closes its stretch of the chain.
  await record('officer-a', '2026-11-02T10:00:00+09:00', { memberId: 'm1' });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the monthly review of handler access records (Korean safety standard Art. 8, lgcns)', () => {
  it('Art. 8: a month with anomalies is assembled, its chain verified, and the privacy officer told once', async () => {
    const ran = await runJob('accessReview', stack.env, PROFILE, '2026-11-01T02:00:00+09:00');
    expect(ran).toMatchObject({ assembled: 1, officers: 2, records: 45, intact: 1, officerTold: 1 });
    expect(await mailsAbout('2026-10')).toHaveLength(1);

    const res = await review('2026-10');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      month: '2026-10',
      status: 'open',
      dueBy: '2026-11-15',
      records: 45,
      officers: 2,
      flags: { downloads: 2, outsideHours: 2, unusualVolume: 1 },
      // The record before October's first, October's 45, and the one after its last.
      chain: { intact: true, records: 47 },
    });
    const [a, b] = res.json.evidence;
    expect(a).toMatchObject({
      officerId: 'officer-a',
      records: 42,
      byAction: { 'get-admin-member': 40, 'post-request-action': 2 },
      byMember: { m0: 10, m1: 11, m2: 11, m3: 10 },
      members: 4,
      totals: { downloads: 2, outsideHours: 0 },
      baseline: 10,
      unusualVolume: true,
      outsideHours: [],
    });
    expect(a.downloads.map((d: { memberId: string; reason: string }) => [d.memberId, d.reason])).toEqual([
      ['m1', 'portability request by letter'],
      ['m2', 'access request, export asked'],
    ]);
    expect(b).toMatchObject({
      officerId: 'officer-b',
      records: 3,
      baseline: 0,
      unusualVolume: false,
      downloads: [],
    });
    expect(b.outsideHours.map((o: { at: string }) => o.at)).toEqual([
      '2026-10-03T01:00:00.000Z',
      '2026-10-06T13:30:00.000Z',
    ]);
  });

  it('Art. 8: a rerun of the job for the month adds nothing and tells nobody again', async () => {
    const before = await scanTable(stack, 'accessReviews');
    const ran = await runJob('accessReview', stack.env, PROFILE, '2026-11-01T05:00:00+09:00');
    expect(ran).toMatchObject({ assembled: 0, officerTold: 0 });
    expect(await scanTable(stack, 'accessReviews')).toEqual(before);
    expect(await mailsAbout('2026-10')).toHaveLength(1);
  });

  it('Art. 8: the review is signed off once with a note and a reason, each call recorded; a second sign-off is 409', async () => {
    const path = '/v1/admin/access-reviews/2026-10/sign-off';
    const before = await scanTable(stack, 'accessReviews');
    for (const bad of [
      { reason: 'monthly review' },
      { note: 'ok' },
      { note: 'ok', reason: 'r', extra: 1 },
      { note: '', reason: 'r' },
    ]) {
      const res = await asOfficer(stack, 'POST', path, bad);
      expect(res.status).toBe(400);
    }
    expect(await scanTable(stack, 'accessReviews')).toEqual(before);

    const chainBefore = (await chainOf(stack)).length;
    const signed = await asOfficer(stack, 'POST', path, {
      note: "officer-a's volume was the October campaign; downloads match logged requests; officer-b's off-hours were on call.",
      reason: 'monthly review of October',
    });
    expect(signed.status).toBe(200);
    expect(signed.json).toMatchObject({
      status: 'signed-off',
      overdue: false,
      signOff: { by: 'officer-kim', note: expect.stringContaining('October campaign') },
    });
    const chain = await chainOf(stack);
    expect(chain.length).toBe(chainBefore + 1);
    expect(chain.at(-1)).toMatchObject({ action: 'post-access-review-sign-off', officerId: 'officer-kim' });

    const again = await asOfficer(
      stack,
      'POST',
      path,
      { note: 'again', reason: 'second look' },
      'officer-lee',
    );
    const problem = await expectProblem(raw(again), 409);
    expect(problem.title).toBe('Already signed off');
    expect((await review('2026-10')).json.signOff.by).toBe('officer-kim');
  });

  it('Art. 8: an unknown or unassembled month is 404 and changes nothing', async () => {
    const before = await scanTable(stack, 'accessReviews');
    for (const month of ['2026-13', 'latest', '2031-01', 'x'.repeat(2000)]) {
      await expectProblem(raw(await review(month)), 404);
      await expectProblem(
        raw(
          await asOfficer(stack, 'POST', `/v1/admin/access-reviews/${month}/sign-off`, {
            note: 'n',
            reason: 'r',
          }),
        ),
        404,
      );
    }
    expect(await scanTable(stack, 'accessReviews')).toEqual(before);
  });

  it('Art. 8: an unreviewed month shows as overdue in the listing, the metric and the digest', async () => {
    const ran = await runJob('accessReview', stack.env, PROFILE, '2026-10-01T02:00:00+09:00');
    expect(ran).toMatchObject({ assembled: 1, records: 10 });
    const listed = await asOfficer(stack, 'GET', '/v1/admin/access-reviews');
    expect(listed.status).toBe(200);
    expect(listed.json.reviews.map((r: { month: string; overdue: boolean }) => [r.month, r.overdue])).toEqual(
      [
        ['2026-10', false],
        ['2026-09', true],
      ],
    );
    expect(listed.json.overdue).toBe(1);
    const digest = await runJob('requestsDigest', stack.env, PROFILE, '2026-11-30T09:00:00+09:00');
    expect(digest).toMatchObject({ overdueReviews: 1, digestSent: 1 });
    const mail = (await readOutbox(stack.endpoint)).filter(
      (m) => m.to.includes(officerAddress) && m.body.includes('2026-09 기한 초과 (기한 2026-10-15)'),
    );
    expect(mail).toHaveLength(1);
  });

  it('Art. 8: a tampered record of the month is flagged by its review', async () => {
    const august = (await chainOf(stack)).filter((r) => r.at.startsWith('2026-08'));
    const victim = august[4]!;
    await documentClientOf(stack).send(
      new UpdateCommand({
        TableName: physicalNames.table(stack.profile, 'handlerAccess'),
        Key: { chain: victim.chain, seq: victim.seq },
        UpdateExpression: 'SET memberId = :other',
        ExpressionAttributeValues: { ':other': 'someone-else' },
      }),
    );
    const ran = await runJob('accessReview', stack.env, PROFILE, '2026-09-01T02:00:00+09:00');
    expect(ran).toMatchObject({ assembled: 1, intact: 0 });
    const res = await review('2026-08');
    expect(res.json.chain).toMatchObject({
      intact: false,
      brokenAt: { seq: victim.seq, problem: 'hash mismatch' },
    });
    const mail = await mailsAbout('2026-08');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain(`일련번호 ${victim.seq}에서 hash mismatch`);
  });
});
