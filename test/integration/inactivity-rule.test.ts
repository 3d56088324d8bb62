/**
 * The inactivity rule as the operator's own policy, against moto (G9, L18): a catalogue that
 * switches it off notices and destroys nobody, job and worker alike; a period changed by a policy
 * version in force decides who is due, earlier or later than the buckets the deployed period set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findCandidates,
  INACTIVITY_LOOKBACK_DAYS,
  processMember,
  queueCandidates,
} from '../../lambdas/features/inactivity/engine';
import { bucketDays, noticeDueAt } from '../../lambdas/features/inactivity/rules';
import { viewMember } from '../../lambdas/features/members/view';
import { seoulDay } from '../../model/calendar';
import { inactivityBucket } from '../../model/members-table';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';
import { startTestStack, type TestStack } from './harness';
import { joinAt, tablesOf, yearOf } from './inactivity-fixtures';
import { mailsTo } from './member-api';

const PROFILE = 'lgcns';
const deployed = loadCatalogue(PROFILE);

/** The deployed catalogue with its inactivity rule changed, validated as a profile is. */
function withRule(change: Record<string, unknown>): Catalogue {
  const input = structuredClone(profiles[PROFILE]) as unknown as Record<string, Record<string, unknown>>;
  input.inactivity = { ...input.inactivity, ...change };
  return parseCatalogue(input, 'test catalogue');
}

const candidatesAt = async (inForce: Catalogue, now: Date) =>
  findCandidates(bucketDays(deployed.inactivity, inForce.inactivity, now, INACTIVITY_LOOKBACK_DAYS));

let stack: TestStack;
let db: ReturnType<typeof tablesOf>;
beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  db = tablesOf(stack);
});
afterAll(async () => {
  await stack?.stop();
});

// Each test lives in years of its own, so one test's runs never reach another's members.
describe('the inactivity rule switched off (G9)', () => {
  it('G9: the job reads and queues nothing and says so; the worker notices and destroys nobody', async () => {
    const off = withRule({ enabled: false });
    const { signIn, day } = yearOf('2050-01-10T02:00:00+09:00');
    const email = 'off-rule@example.com';
    await joinAt(PROFILE, 'off-rule', email, signIn);
    // With the rule on, the member would be a candidate on day 335 …
    expect(await candidatesAt(deployed, day(335))).toContain('off-rule');

    // … switched off, nobody is.
    expect(await queueCandidates(off, off, day(335))).toEqual({
      days: 0,
      candidates: 0,
      queued: 0,
      switchedOff: 1,
    });
    for (const n of [335, 365, 400])
      expect(await processMember(off, 'off-rule', day(n))).toBe('switched-off');
    expect(await mailsTo(stack, email)).toHaveLength(0);
    expect((await db.profile('off-rule'))?.inactivity).toBeUndefined();
    expect(await db.profile('off-rule')).toBeDefined();
    // The member is shown no destruction date.
    expect((await viewMember(off, 'off-rule', day(335))).inactivityDestructionAt).toBeUndefined();
    expect((await viewMember(deployed, 'off-rule', day(335))).inactivityDestructionAt).toBeDefined();
  });
});

describe('a period changed by a policy version in force (G9, L18)', () => {
  it('L18: a shorter period finds the member its own day, not the deployed one, notices and destroys on it', async () => {
    const short = withRule({ period: { months: 6 } });
    const { signIn, day } = yearOf('2051-01-10T02:00:00+09:00');
    const email = 'short-rule@example.com';
    await joinAt(PROFILE, 'short-rule', email, signIn);
    const due = noticeDueAt(short.inactivity, signIn);
    const dueRun = new Date(due.getTime() + 3_600_000);

    expect(await candidatesAt(deployed, dueRun)).not.toContain('short-rule');
    expect(await candidatesAt(short, dueRun)).toContain('short-rule');
    expect(await processMember(short, 'short-rule', new Date(due.getTime() - 1))).toBe('waiting');
    expect(await processMember(short, 'short-rule', dueRun)).toBe('notified');
    expect(await mailsTo(stack, email)).toHaveLength(1);
    const state = (await db.profile('short-rule'))?.inactivity;
    expect(state).toMatchObject({ state: 'notified' });
    const destroyAt = new Date((state as { destroyAt: string }).destroyAt);
    // Six months from the last sign-in, never before the minimum notice, long before the deployed year.
    expect(destroyAt.getTime()).toBeLessThan(day(200).getTime());
    expect(await candidatesAt(short, destroyAt)).toContain('short-rule');
    expect(await processMember(short, 'short-rule', destroyAt)).toBe('destroyed');
    expect(await db.profile('short-rule')).toBeUndefined();
  });

  it('L18: a longer period leaves the member found on the deployed day waiting, moved to the bucket of its own day', async () => {
    const long = withRule({ period: { years: 2 } });
    const { signIn, day } = yearOf('2053-01-10T02:00:00+09:00');
    const email = 'long-rule@example.com';
    await joinAt(PROFILE, 'long-rule', email, signIn);

    expect(await candidatesAt(long, day(335))).toContain('long-rule');
    expect(await processMember(long, 'long-rule', day(335))).toBe('waiting');
    const profile = await db.profile('long-rule');
    expect(profile?.inactivity).toBeUndefined();
    expect(profile?.inactiveOn).toBe(
      inactivityBucket(seoulDay(noticeDueAt(long.inactivity, signIn)), 'long-rule'),
    );
    expect(await mailsTo(stack, email)).toHaveLength(0);

    const dueRun = new Date(noticeDueAt(long.inactivity, signIn).getTime() + 3_600_000);
    expect(await candidatesAt(long, dueRun)).toContain('long-rule');
    expect(await processMember(long, 'long-rule', dueRun)).toBe('notified');
    expect(await mailsTo(stack, email)).toHaveLength(1);
  });
});

describe('the sharded inactivity index and profiles written before it (G9)', () => {
  it('G9: a member bucketed by the bare day is still found on that day, and its step moves it to its shard', async () => {
    const { signIn } = yearOf('2054-01-10T02:00:00+09:00');
    const email = 'unsharded@example.com';
    await joinAt(PROFILE, 'unsharded', email, signIn);
    const dueDay = seoulDay(noticeDueAt(deployed.inactivity, signIn));
    expect((await db.profile('unsharded'))?.inactiveOn).toBe(inactivityBucket(dueDay, 'unsharded'));
    expect(inactivityBucket(dueDay, 'unsharded')).toMatch(/^\d{4}-\d{2}-\d{2}#\d{2}$/);

    // As the join of an earlier release wrote it.
    await db.setUnshardedBucket('unsharded', dueDay);
    const dueRun = new Date(noticeDueAt(deployed.inactivity, signIn).getTime() + 3_600_000);
    expect(await candidatesAt(deployed, dueRun)).toContain('unsharded');
    expect(await processMember(deployed, 'unsharded', dueRun)).toBe('notified');
    expect(await mailsTo(stack, email)).toHaveLength(1);
    const after = await db.profile('unsharded');
    expect(after?.inactivity?.state).toBe('notified');
    const destroyAt = after?.inactivity?.state === 'notified' ? after.inactivity.destroyAt : '';
    expect(after?.inactiveOn).toBe(inactivityBucket(seoulDay(new Date(destroyAt)), 'unsharded'));
  });
});
