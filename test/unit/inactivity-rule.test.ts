/**
 * The inactivity rule as the operator's own policy (G9; PIPA Art. 39-6 repealed 2023-09-15): the
 * catalogue states it, bounds its period, may switch it off; the policy words it so; a change of
 * its period is a policy version with its notice (L18), which the job's buckets follow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  bucketDays,
  destroyDueAt,
  nextStep,
  parseInactivityMessage,
} from '../../lambdas/features/inactivity/rules';
import {
  recordDigest,
  selectInForce,
  versionedSchemaInUse,
} from '../../lambdas/features/policy-versions/rules';
import { InvalidInput } from '../../lambdas/runtime/errors';
import { seoulDay, seoulDaysEndingAt } from '../../model/calendar';
import { jobs, jobsOf } from '../../model/workloads';
import { CatalogueError, loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import { inactivityText, policyDocument, renderMarkdown } from '../../policy/render';
import type { Catalogue, Duration } from '../../policy/schema';
import { deployTimeDifferences } from '../../policy/versions';

const base = loadCatalogue('lgcns');

/** lgcns with its inactivity rule changed by `change`, validated as a shipped profile is. */
function withRule(change: Record<string, unknown>, version = base.policy.version): Catalogue {
  const input = structuredClone(profiles.lgcns) as unknown as Record<string, Record<string, unknown>>;
  input.inactivity = { ...input.inactivity, ...change };
  input.policy = { ...input.policy, version };
  return parseCatalogue(input, 'test catalogue');
}
const withPeriod = (period: Duration, version?: string) => withRule({ period }, version);

describe('the catalogue states the rule as the operator’s own (G9)', () => {
  it.each(Object.keys(profiles))('G9: %s keeps it on, as its policy promises, as its own rule', (name) => {
    expect(loadCatalogue(name).inactivity).toMatchObject({
      enabled: true,
      authority: 'operator-policy',
      action: 'destroy',
    });
    expect(jobsOf(loadCatalogue(name))).toEqual(Object.keys(jobs));
  });

  it('G9: accepts a period from 6 months to 3 years, and refuses one outside, naming the entry', () => {
    for (const period of [{ months: 6 }, { years: 3 }, { months: 5, days: 31 }, { days: 200 }]) {
      expect(withPeriod(period).inactivity.period).toEqual(period);
    }
    for (const period of [{ months: 5 }, { days: 180 }, { years: 3, days: 1 }, { months: 37 }]) {
      expect(() => withPeriod(period)).toThrow(CatalogueError);
      expect(() => withPeriod(period)).toThrow(/inactivity\.period: must be between 6 months and 3 years/);
    }
  });

  it('G9: states nothing but the operator’s own policy as its authority', () => {
    expect(() => withRule({ authority: 'law' })).toThrow(/inactivity\.authority/);
  });

  it('G9: a profile may switch it off: no inactivity job', () => {
    const off = withRule({ enabled: false });
    expect(off.inactivity.enabled).toBe(false);
    expect(jobsOf(off)).toEqual(Object.keys(jobs).filter((name) => name !== 'inactivity'));
  });
});

describe('the policy words it as the operator’s rule (G9)', () => {
  it.each(
    Object.keys(profiles),
  )('G9: %s says it is its own rule, no law’s, with the period and the notice', (name) => {
    const c = loadCatalogue(name);
    const text = inactivityText(c, 'en');
    expect(text).toMatch(/^By our own rule \(no law requires it since 15 September 2023\)/);
    expect(text).toContain('if you do not sign in for 1 year');
    expect(text).toContain('30 days before');
    for (const id of c.recordClasses.onWithdrawal) expect(text).toContain(c.retention[id]!.label.en);
    expect(renderMarkdown(policyDocument(c, 'en'))).toContain(text);
    const ko = inactivityText(c, 'ko');
    expect(ko).toMatch(/^회사 자체 정책에 따라\(2023년 9월 15일 이후 법령상 의무는 아닙니다\) 1년 동안/);
    expect(ko).toContain('파기 30일 전에');
    for (const id of c.recordClasses.onWithdrawal) expect(ko).toContain(c.retention[id]!.label.ko);
    expect(renderMarkdown(policyDocument(c))).toContain(ko);
  });

  it('G9: a profile that switches it off says memberships do not end for inactivity', () => {
    const md = renderMarkdown(policyDocument(withRule({ enabled: false }), 'en'));
    expect(md).toContain('We do not end memberships for inactivity');
    expect(md).not.toContain('if you do not sign in for');
    expect(renderMarkdown(policyDocument(withRule({ enabled: false })))).toContain(
      '장기 미이용을 이유로 회원 자격을 종료하지 않습니다',
    );
  });
});

describe('a change of the period is a policy change (L18)', () => {
  it('L18: a version may carry a new period (with its notice), but not switch the rule or its notice lead', () => {
    expect(deployTimeDifferences(base, withPeriod({ months: 6 }, '1.1'))).toEqual([]);
    expect(deployTimeDifferences(base, withRule({ enabled: false }, '1.1'))).toEqual(['inactivity.enabled']);
    expect(deployTimeDifferences(base, withRule({ noticeLead: { days: 60 } }, '1.1'))).toEqual([
      'inactivity.noticeLead.days',
    ]);
  });

  it('L18: the new period governs from the version’s effective day, not before', () => {
    const next = withPeriod({ months: 6 }, '1.1');
    const published = {
      pk: 'VERSION' as const,
      sk: 'V#00000001',
      seq: 1,
      version: '1.1',
      effectiveDate: '2031-03-09',
      summary: 'Inactive accounts are destroyed after 6 months.',
      publishedAt: '2031-03-02T01:00:00.000Z',
      publishedBy: 'officer',
      publishId: 'p',
      catalogue: { ...next, policy: { ...next.policy, effectiveDate: '2031-03-09' } },
      schemaDigest: versionedSchemaInUse(),
    };
    const record = { ...published, digest: recordDigest(published) };
    expect(selectInForce(base, [record], '2031-03-08').current.catalogue.inactivity.period).toEqual({
      years: 1,
    });
    expect(selectInForce(base, [record], '2031-03-09').current.catalogue.inactivity.period).toEqual({
      months: 6,
    });
  });

  it('G9, L18: the job reads the lookback alone while the deployed period governs, or a longer one', () => {
    const now = new Date('2031-06-01T03:00:00+09:00');
    const lookback = seoulDaysEndingAt(now, 31);
    expect(bucketDays(base.inactivity, base.inactivity, now, 31)).toEqual(lookback);
    expect(bucketDays(base.inactivity, withPeriod({ years: 2 }).inactivity, now, 31)).toEqual(lookback);
  });

  it('G9, L18: under a shorter period in force it also reads the later buckets the deployed period gave members due today', () => {
    const now = new Date('2031-06-01T03:00:00+09:00');
    const days = bucketDays(base.inactivity, withPeriod({ months: 6 }).inactivity, now, 31);
    expect(days.slice(0, 31)).toEqual(seoulDaysEndingAt(now, 31));
    // Signed in on 2031-01-01 (6 months less 30 days ago): noticed today under 6 months; the
    // deployed year bucketed them on 2031-12-02. Every day up to it (and a margin) is read, once each.
    expect(days).toContain('2031-12-02');
    expect(days.at(-1)).toBe('2031-12-05');
    expect(new Set(days).size).toBe(days.length);
    expect(days.every((d, i) => i === 0 || d > days[i - 1]!)).toBe(true);
    expect(seoulDay(now)).toBe('2031-06-01');
  });

  it('L18: a shorter period never destroys before the date a notice already gave', () => {
    const signIn = new Date('2031-01-01T02:00:00+09:00');
    const attemptAt = new Date('2031-12-02T03:00:00+09:00');
    const destroyAt = destroyDueAt(base.inactivity, signIn, attemptAt);
    const member = {
      lastSignInAt: signIn.toISOString(),
      inactivity: {
        state: 'notified' as const,
        attemptId: 'a',
        attemptAt: attemptAt.toISOString(),
        delivery: 'sent' as const,
        destroyAt: destroyAt.toISOString(),
      },
    };
    const short = withPeriod({ months: 6 }).inactivity;
    expect(nextStep(short, member, new Date(destroyAt.getTime() - 1))).toEqual({
      kind: 'wait',
      until: destroyAt,
    });
    expect(nextStep(short, member, destroyAt)).toEqual({ kind: 'destroy' });
  });

  it('G9: reads nothing when the rule is switched off', () => {
    const off = withRule({ enabled: false }).inactivity;
    expect(bucketDays(off, off, new Date(), 31)).toEqual([]);
  });
});

describe("the inactivity worker's message", () => {
  /** The zod schema the worker's own check replaced (16 KB of zod in the worker). */
  const schema = z.strictObject({
    memberId: z.string().check(z.minLength(1), z.maxLength(256)),
    now: z.iso.datetime({ offset: true }),
  });
  const outcome = (input: unknown) => {
    try {
      return { ok: parseInactivityMessage(input) };
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInput);
      return { refused: true };
    }
  };
  const expected = (input: unknown) => {
    const parsed = schema.safeParse(input);
    return parsed.success ? { ok: parsed.data } : { refused: true };
  };
  const digits = (n: number, max: number) =>
    fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  /** Date-times near and off the valid form: days past month ends, leap years, hours to 29, fractions, offsets. */
  const dateTime = fc
    .tuple(
      fc.constantFrom('2024', '2023', '2000', '1900', '0000', '2031'),
      digits(2, 13),
      digits(2, 32),
      digits(2, 25),
      digits(2, 61),
      digits(2, 61),
      fc.constantFrom('', '.5', '.123456', '.'),
      fc.constantFrom('Z', '+09:00', '-00:30', '+24:00', '+09', 'z', '', '+09:60'),
      fc.constantFrom('T', ' ', 't'),
    )
    .map(([y, mo, d, h, mi, se, f, off, t]) => `${y}-${mo}-${d}${t}${h}:${mi}:${se}${f}${off}`);
  /** Date-times the job could queue, in UTC or another offset. */
  const validDateTime = fc
    .tuple(
      fc.date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.constantFrom('Z', '+09:00', '-05:30'),
    )
    .map(([d, off]) => d.toISOString().replace('Z', off));
  const memberId = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ minLength: 0, maxLength: 3 }),
    fc.string({ minLength: 250, maxLength: 260 }),
  );

  it('accepts and refuses exactly what the zod schema it replaced does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            memberId,
            now: fc.oneof(dateTime, validDateTime),
          }),
          fc.record({ memberId, now: dateTime, extra: fc.string() }),
          fc.record({ memberId }, { requiredKeys: [] }),
          fc.record({ memberId: fc.integer(), now: dateTime }),
          fc.anything(),
        ),
        (input) => {
          const want = expected(input);
          if ('ok' in want) accepted++;
          expect(outcome(input)).toEqual(want);
        },
      ),
      { numRuns: 3000 },
    );
    // Both sides of the line were tried, not only refusals.
    expect(accepted).toBeGreaterThan(150);
  });

  it('accepts the message the job queues, and a 29 February only in a leap year', () => {
    const now = new Date('2031-06-01T03:00:00+09:00').toISOString();
    expect(parseInactivityMessage({ memberId: 'm-1', now })).toEqual({ memberId: 'm-1', now });
    expect(outcome({ memberId: 'm', now: '2024-02-29T00:00:00Z' })).toEqual(
      expected({ memberId: 'm', now: '2024-02-29T00:00:00Z' }),
    );
    expect(outcome({ memberId: 'm', now: '2023-02-29T00:00:00Z' })).toEqual({ refused: true });
    expect(outcome({ memberId: 'm', now: '2031-04-31T00:00:00+09:00' })).toEqual({ refused: true });
    expect(outcome({ memberId: 'm', now, extra: 1 })).toEqual({ refused: true });
  });
});
