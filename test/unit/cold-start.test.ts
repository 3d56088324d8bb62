import { describe, expect, it } from 'vitest';
import {
  COLD_START_GOAL,
  type ColdRun,
  callsText,
  coldStartOf,
  coldStartTable,
  eventForRound,
  floorEvent,
  isFailure,
  outcomeOf,
  outcomesText,
  problemsOf,
  quantile,
  roundMember,
  spread,
  verdictOf,
} from '../../bench/cold-start';
import { membersTable } from '../../model/members-table';
import { loadCatalogue } from '../../policy/catalogue';
import { SAM_MEMBER, SAM_MEMBER_EMAIL, samEvents } from '../../scripts/sam/events';

const run = (initMs: number, firstCallMs: number, outcome = '200'): ColdRun => ({
  initMs,
  firstCallMs,
  processMs: initMs + firstCallMs + 40,
  outcome,
});

describe('quantiles', () => {
  it('takes the nearest rank, whatever the order of the values', () => {
    const values = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.9)).toBe(9);
    expect(quantile(values, 1)).toBe(10);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile([42], 0.9)).toBe(42);
    expect(values).toEqual([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]);
  });

  it('has no quantile of nothing', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('of 15 runs, the median is the 8th and the 90th percentile the 14th', () => {
    const values = Array.from({ length: 15 }, (_, i) => 15 - i);
    expect(spread(values)).toEqual({ medianMs: 8, p90Ms: 14 });
  });
});

describe('a function summarized over its runs', () => {
  it('keeps init and first call apart, adds them per run, and counts the outcomes', () => {
    const fn = coldStartOf('get-me', 'api', [run(100, 300), run(120, 200), run(110, 250, '404')], {
      'dynamodb:Query': 2,
    });
    expect(fn.runs).toBe(3);
    expect(fn.init.medianMs).toBe(110);
    expect(fn.firstCall.medianMs).toBe(250);
    // Per run: 400, 320, 360.
    expect(fn.total).toEqual({ medianMs: 360, p90Ms: 400 });
    expect(fn.process.medianMs).toBe(400);
    expect(fn.outcomes).toEqual({ '200': 2, '404': 1 });
  });
});

describe('runs that could not be timed', () => {
  it('count in the outcomes but not in the times', () => {
    const crashed: ColdRun = {
      initMs: Number.NaN,
      firstCallMs: Number.NaN,
      processMs: 900,
      outcome: 'crashed (1)',
    };
    const threw: ColdRun = {
      initMs: 130,
      firstCallMs: Number.NaN,
      processMs: 400,
      outcome: 'threw: Error: x',
    };
    const fn = coldStartOf('flaky', 'api', [run(100, 300), run(120, 200), crashed, threw], {});
    expect(fn.runs).toBe(4);
    expect(fn.init).toEqual({ medianMs: 120, p90Ms: 130 });
    expect(fn.firstCall).toEqual({ medianMs: 200, p90Ms: 300 });
    expect(fn.total).toEqual({ medianMs: 320, p90Ms: 400 });
    expect(problemsOf(fn)).toEqual([
      'cold start flaky: 1 run(s) answered crashed (1)',
      'cold start flaky: 1 run(s) answered threw: Error: x',
    ]);
  });
});

describe('the verdict against the floor', () => {
  const floor = coldStartOf('floor', 'floor', [run(100, 50, 'ok')], { 'dynamodb:GetItem': 1 });

  it('divides medians by the floor’s and meets the goal only when both init and first call are within it', () => {
    const within = coldStartOf('a', 'api', [run(120, 60)], {});
    expect(verdictOf(within, floor)).toEqual({
      initRatio: 1.2,
      firstCallRatio: 1.2,
      totalRatio: 180 / 150,
      meets: true,
    });
    expect(verdictOf(coldStartOf('b', 'api', [run(121, 50)], {}), floor).meets).toBe(false);
    expect(verdictOf(coldStartOf('c', 'api', [run(90, 61)], {}), floor).meets).toBe(false);
    expect(verdictOf(coldStartOf('c', 'api', [run(90, 61)], {}), floor, 1.25).meets).toBe(true);
  });

  it('says in the table which part misses the goal', () => {
    const fns = [
      coldStartOf('both', 'api', [run(100, 50)], { 'dynamodb:GetItem': 1 }),
      coldStartOf('slow-call', 'api', [run(100, 500)], { 'kms:Decrypt': 3, 'dynamodb:Query': 2 }),
      coldStartOf('slow-init', 'schedule', [run(200, 50, 'ok')], {}),
      coldStartOf('slow', 'api', [run(200, 500, '404')], { 'dynamodb:GetItem': 1 }),
    ];
    const { head, rows } = coldStartTable(floor, fns);
    expect(head).toHaveLength(rows[0]!.length);
    expect(head.at(-1)).toBe(`≤ ${COLD_START_GOAL}×`);
    expect(rows.map((r) => [r[0], r.at(-1)])).toEqual([
      ['floor', '—'],
      ['both', 'yes'],
      ['slow-call', 'init only'],
      ['slow-init', 'first call only'],
      ['slow', 'no'],
    ]);
    expect(rows[2]).toContain('10.00×');
    expect(rows[2]).toContain('5 (kms 3, dynamodb 2)');
    expect(rows[4]![2]).toBe('404×1');
  });
});

describe('what an invocation answered', () => {
  it('reads each trigger’s answer', () => {
    expect(outcomeOf('api', { statusCode: 201, body: '{}' })).toBe('201');
    expect(outcomeOf('api', undefined)).toBe('no status');
    expect(outcomeOf('sqs', { batchItemFailures: [] })).toBe('ok');
    expect(outcomeOf('stream', { batchItemFailures: [{ itemIdentifier: '1' }] })).toBe('1 failed');
    expect(outcomeOf('sqs', null)).toBe('no batch response');
    expect(outcomeOf('schedule', { found: 3, purged: 0 })).toBe('ok');
    expect(outcomeOf('schedule', { found: 'many' })).toBe('no counts');
    expect(outcomeOf('invoke', { lines: 0, imported: 0, failed: [] })).toBe('ok');
    expect(outcomeOf('invoke', { failed: [{ line: 2 }] })).toBe('1 failed');
    expect(outcomeOf('cognito', { triggerSource: 'PreSignUp_SignUp', response: {} })).toBe('ok');
    expect(outcomeOf('sns', null)).toBe('ok');
    expect(outcomeOf('floor', { Item: {} })).toBe('ok');
  });

  it('counts 5xx, throws and failed items as failures, refusals as answers', () => {
    expect(['200', '201', '404', '409', '422', 'ok'].filter(isFailure)).toEqual([]);
    expect(
      ['503', '500', '1 failed', 'threw: Error: boom', 'init failed: x', 'no status'].every(isFailure),
    ).toBe(true);
  });

  it('lists failures, and a route refused before any AWS call, as problems', () => {
    expect(problemsOf(coldStartOf('ok', 'api', [run(1, 1, '404')], { 'dynamodb:GetItem': 1 }))).toEqual([]);
    expect(problemsOf(coldStartOf('early', 'api', [run(1, 1, '403')], {}))).toEqual([
      'cold start early: answered 4xx without reaching an AWS call',
    ]);
    expect(
      problemsOf(coldStartOf('down', 'api', [run(1, 1, '503'), run(1, 1)], { 'kms:Decrypt': 1 })),
    ).toEqual(['cold start down: 1 run(s) answered 503']);
    // A trigger that needs no call (the pre-sign-up check) is no problem.
    expect(problemsOf(coldStartOf('pre-sign-up', 'cognito', [run(1, 1, 'ok')], {}))).toEqual([]);
  });

  it('writes outcomes and calls short', () => {
    expect(outcomesText({ '409': 14, '201': 1 })).toBe('409×14, 201×1');
    expect(callsText({})).toBe('0');
    expect(callsText({ 'kms:Decrypt': 1, 'kms:GenerateDataKey': 2, 'dynamodb:Query': 3 })).toBe(
      '6 (dynamodb 3, kms 3)',
    );
  });
});

describe('events of a round', () => {
  const catalogue = loadCatalogue('littleone');
  const events = samEvents(catalogue, new Date('2026-12-01T00:00:00.000Z'));
  const of = (handler: string) => events.find((e) => e.handler === handler)!.event;

  it('speak of the round’s member: claims, path, body and address alike', () => {
    const join = eventForRound(of('post-members'), 3);
    expect(join.requestContext.authorizer.claims.sub).toBe(roundMember(3));
    expect(JSON.stringify(join)).not.toMatch(new RegExp(`${SAM_MEMBER}(?!-r3)`));
    const admin = eventForRound(of('get-admin-member'), 3);
    expect(admin.pathParameters.memberId).toBe(roundMember(3));
    expect(admin.path).toContain(roundMember(3));
    const worker = eventForRound(of('worker-inactivity'), 3);
    expect(JSON.parse(worker.Records[0].body).memberId).toBe(roundMember(3));
    const bounce = eventForRound(of('ses-feedback'), 3);
    expect(JSON.parse(bounce.Records[0].Sns.Message).bounce.bouncedRecipients[0].emailAddress).toBe(
      SAM_MEMBER_EMAIL.replace(SAM_MEMBER, roundMember(3)),
    );
  });

  it('give each round a member of its own, and leave events about nobody as they are', () => {
    expect(roundMember(1)).not.toBe(roundMember(2));
    expect(eventForRound(of('post-members'), 1)).not.toEqual(eventForRound(of('post-members'), 2));
    expect(eventForRound(of('job-retention'), 5)).toEqual(of('job-retention'));
    expect(eventForRound(of('get-policy'), 5)).toEqual(of('get-policy'));
  });

  it('the floor reads one item by its key', () => {
    const key = membersTable.profile(roundMember(2));
    expect(floorEvent('littleone-members', key)).toEqual({
      table: 'littleone-members',
      key: { pk: `M#${roundMember(2)}`, sk: 'PROFILE' },
    });
  });
});
