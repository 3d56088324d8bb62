/**
 * An inactivity notice and a destruction interrupted at each AWS call in turn (G9, L7/G7): for
 * every k, a fresh member's step fails at its k-th call (a throw no SDK retries, as a crash at
 * that step would leave things), then the message is delivered again until the step is done.
 * Whatever k, the member gets one notice, is destroyed once with one receipt and the vault
 * records the catalogue keeps, and nothing of theirs is left: no item, no key. The random
 * crash-restart test over many members is inactivity-crash-*.test.ts; this one is exhaustive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../local/outbox';
import type { ProfileName } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';
import { deliverMessage, expectedVaultKeys, joinAt, tablesOf, yearOf } from './inactivity-fixtures';

// littleone's members hold the most kinds of data: babies, purchases, an Apple or Google sign-in.
const PROFILE: ProfileName = 'littleone';
/** Deliveries allowed after the crash before the test gives up. */
const MAX_REDELIVERIES = 5;

let stack: TestStack;
let db: ReturnType<typeof tablesOf>;
const figures = { notice: 0, destruction: 0 };

beforeAll(async () => {
  stack = await startTestStack(PROFILE, { faults: true });
  db = tablesOf(stack);
});

afterAll(async () => {
  await stack?.stop();
  process.stdout.write(
    `purge crash (${PROFILE}): a crash at each of ${figures.notice} calls of a notice and ${figures.destruction} calls of a destruction; 0 missed, 0 duplicate notices, 0 duplicate receipts, 0 orphans\n`,
  );
});

const mailsTo = async (address: string) =>
  (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));

/**
 * Delivers the step's message with a fault at call `k`, then again until it succeeds; returns
 * whether the fault was injected at all (false: the step makes fewer than k + 1 calls).
 */
async function crashAt(k: number, memberId: string, now: Date): Promise<boolean> {
  const message = { memberId, now: now.toISOString() };
  stack.faults!.reset();
  stack.faults!.inject({ after: k, times: 1, kind: 'denied' });
  const first = await deliverMessage(stack, 'inactivity', message, `crash-${k}`);
  const injected = stack.faults!.failed.length > 0;
  stack.faults!.reset();
  if (!injected) {
    expect(first.batchItemFailures).toEqual([]);
    return false;
  }
  let failures = first.batchItemFailures.length;
  for (let n = 0; failures > 0; n++) {
    expect(n, `step still failing after ${MAX_REDELIVERIES} redeliveries`).toBeLessThan(MAX_REDELIVERIES);
    failures = (await deliverMessage(stack, 'inactivity', message, `crash-${k}`)).batchItemFailures.length;
  }
  return true;
}

describe(`an inactivity step interrupted at each AWS call in turn (${PROFILE})`, () => {
  it(
    'G9: a notice, crashed at any call and redelivered, is sent once and recorded',
    { timeout: 600_000 },
    async () => {
      for (let k = 0; ; k++) {
        const { signIn, day } = yearOf('2031-01-10T02:00:00+09:00');
        const id = `notice-crash-${k}`;
        const email = `${id}@example.com`;
        await joinAt(PROFILE, id, email, signIn);
        const injected = await crashAt(k, id, day(340));
        expect(await mailsTo(email), `notices after a crash at call ${k}`).toHaveLength(1);
        expect((await db.profile(id))?.inactivity, `state after a crash at call ${k}`).toMatchObject({
          state: 'notified',
          delivery: 'sent',
        });
        if (!injected) break;
        figures.notice = k + 1;
      }
      expect(figures.notice).toBeGreaterThan(2);
    },
  );

  it(
    'G9 L7/G7: a destruction, crashed at any call and redelivered, destroys once: one receipt, the vault records kept, no item or key left',
    { timeout: 900_000 },
    async () => {
      for (let k = 0; ; k++) {
        const { signIn, day } = yearOf('2032-01-10T02:00:00+09:00');
        const id = `purge-crash-${k}`;
        const email = `${id}@example.com`;
        await joinAt(PROFILE, id, email, signIn);
        expect(
          (await deliverMessage(stack, 'inactivity', { memberId: id, now: day(340).toISOString() }, `n-${k}`))
            .batchItemFailures,
        ).toEqual([]);
        const injected = await crashAt(k, id, day(372));
        const what = `after a crash at call ${k}`;
        expect(await db.profile(id), what).toBeUndefined();
        expect(await db.key(id), what).toBeUndefined();
        const members = await db.scan('members');
        expect(
          members.filter((i) => i.pk === `M#${id}` || i.memberId === id),
          `items left ${what}`,
        ).toEqual([]);
        const vault = await db.vault(id);
        expect(vault.map((v) => String(v.sk)).sort(), `vault ${what}`).toEqual(expectedVaultKeys(PROFILE));
        expect(await mailsTo(email), `notices ${what}`).toHaveLength(1);
        if (!injected) break;
        figures.destruction = k + 1;
      }
      expect(figures.destruction).toBeGreaterThan(5);
    },
  );
});
