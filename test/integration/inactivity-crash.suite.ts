/**
 * Crash-restart of the inactivity engine over 1,000 members of one profile (G9, L7/G7): every
 * DynamoDB, KMS, SES and SQS call of the job and the worker fails with a fixed probability, at
 * whatever step it is, and the job is rerun until nothing is left to do. Members join through
 * the real join code; notices and destruction run through the real job, queue and worker.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDataKeyCache } from '../../lambdas/adapters/data-keys';
import { readOutbox } from '../../local/outbox';
import { shiftInSeoul } from '../../model/calendar';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { injectFaults } from '../support/faults';
import { startTestStack, type TestStack } from './harness';
import { joinAt, joinWithoutAddressAt, runInactivity, tablesOf, yearOf } from './inactivity-fixtures';

/**
 * Members in the test: 100 in `npm test`, to keep CI within its time; `npm run test:deep` runs
 * 1,000 (16–24 minutes per profile on moto).
 */
const MEMBERS = Number(process.env.INACTIVITY_CRASH_MEMBERS ?? 100);
/**
 * The members join and are destroyed in waves of 100: moto deep-copies a table for every item
 * of a transaction, so a table of thousands of items makes each join or withdrawal take seconds.
 */
const WAVES = Math.max(1, Math.round(MEMBERS / 100));
/** Probability that any one AWS call fails. */
const FAULT_PROBABILITY = 0.03;
/**
 * Every kind of call a notice or a purge makes: each fails at least once. No GenerateMac: the
 * suppression check takes the address's blind index from the profile.
 */
const STEPS = [
  'QueryCommand',
  'GetItemCommand',
  'UpdateItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
  'DeleteItemCommand',
  'DecryptCommand',
  'GenerateDataKeyCommand',
  'SignCommand',
  'SendEmailCommand',
  'SendMessageBatchCommand',
];
/** Reruns allowed per phase before the test gives up. */
const MAX_RUNS = 25;

/** What one crash-restart test measured, reported in its name's figures. */
export interface CrashFigures {
  faults: number;
  calls: number;
  noticeRuns: number;
  purgeRuns: number;
  seedMs: number;
  ms: number;
}

/** Registers the crash-restart test of `profile`. */
export function inactivityCrashSuite(profile: ProfileName, seed: number): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe(`crash-restart over ${MEMBERS} members (${profile})`, () => {
    it(
      'G9 L7/G7: with faults at every step of notice and purge, reruns finish with 0 missed, 0 destroyed without a 30-day notice, 0 duplicate notices and exactly one receipt per member',
      { timeout: 3_000_000 },
      async () => {
        const started = Date.now();
        const db = tablesOf(stack);
        const addressOf = (id: string) => `${id}@example.com`;
        const ids: string[] = [];
        const withoutAddress = new Set<string>();
        const attempts = new Map<string, string>();
        const receipts: Record<string, unknown>[] = [];
        const profiles = async () => (await db.scan('members')).filter((item) => item.sk === 'PROFILE');
        const runUntil = async (now: Date, done: () => Promise<boolean>) => {
          for (let run = 1; run <= MAX_RUNS; run++) {
            await runInactivity(stack, now).catch(() => undefined);
            if (await done()) return run;
          }
          throw new Error(`not done after ${MAX_RUNS} runs`);
        };
        let seedMs = 0;
        let noticeRuns = 0;
        let purgeRuns = 0;
        const faults = injectFaults({ probability: 0, seed, firstOf: STEPS });
        for (let wave = 0; wave < WAVES; wave++) {
          // Each wave lives in a year of its own; day 340 is past every notice date and day 372
          // past every full year and 30-day notice, leap years included.
          const { signIn, day } = yearOf(`${2030 + wave}-01-10T02:00:00+09:00`);
          const seedStarted = Date.now();
          const waveIds = Array.from(
            { length: MEMBERS / WAVES },
            (_, i) => `crash-${String(ids.length + i).padStart(4, '0')}`,
          );
          for (const [i, id] of waveIds.entries()) {
            // Every tenth member signs in a way that gives no notice address, where the profile allows one.
            if (i % 10 === 9 && (await joinWithoutAddressAt(profile, id, signIn))) withoutAddress.add(id);
            else await joinAt(profile, id, addressOf(id), signIn);
          }
          ids.push(...waveIds);
          seedMs += Date.now() - seedStarted;

          // The worker starts cold, as a Lambda would: no member's data key is in memory.
          clearDataKeyCache();
          faults.setProbability(FAULT_PROBABILITY);
          try {
            noticeRuns += await runUntil(day(340), async () => {
              const all = await profiles();
              return (
                all.length === waveIds.length &&
                all.every((p) => (p.inactivity as { state?: string })?.state === 'notified')
              );
            });
            for (const p of await profiles()) {
              attempts.set(String(p.memberId), (p.inactivity as { attemptAt: string }).attemptAt);
            }
            purgeRuns += await runUntil(day(372), async () => (await profiles()).length === 0);
          } finally {
            faults.setProbability(0);
          }
          // Keep the wave's receipts as evidence, then empty the vault so the next wave's
          // transactions do not pay for copying it (moto copies the whole table each time).
          const vault = await db.scan('vault');
          receipts.push(...vault.filter((v) => v.sk === 'RECEIPT'));
          await db.remove('vault', vault);
        }
        faults.stop();
        const injected = Object.values(faults.byCommand).reduce((n, k) => n + k, 0);

        // 0 duplicate notices, 0 missed: one mail per member with an address, none to anyone else.
        const mails = await readOutbox(stack.endpoint);
        const perAddress = new Map<string, number>();
        for (const mail of mails) for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
        const withAddress = ids.filter((id) => !withoutAddress.has(id));
        expect(mails).toHaveLength(withAddress.length);
        expect(withAddress.every((id) => perAddress.get(addressOf(id)) === 1)).toBe(true);

        // Exactly one receipt per member, each at least the minimum notice after the notice attempt.
        expect(receipts).toHaveLength(MEMBERS);
        expect(new Set(receipts.map((r) => r.pk)).size).toBe(MEMBERS);
        const tooEarly = receipts.filter((r) => {
          const { memberId, withdrawnAt } = (
            r.signed as { receipt: { memberId: string; withdrawnAt: string } }
          ).receipt;
          const attempt = attempts.get(memberId);
          return (
            !attempt || new Date(withdrawnAt) < shiftInSeoul(new Date(attempt), c.inactivity.minimumNotice)
          );
        });
        expect(tooEarly).toHaveLength(0);
        expect(await db.scan('keys')).toHaveLength(0);
        expect((await db.scan('members')).filter((i) => String(i.pk).startsWith('M#'))).toHaveLength(0);

        // Faults landed in every kind of step: reads, conditional writes, transactions, KMS, SES, SQS.
        for (const command of STEPS) {
          expect(faults.byCommand[command] ?? 0, command).toBeGreaterThan(0);
        }
        const figures: CrashFigures = {
          faults: injected,
          calls: faults.calls(),
          noticeRuns,
          purgeRuns,
          seedMs,
          ms: Date.now() - started,
        };
        process.stdout.write(
          `inactivity crash-restart (${profile}): ${JSON.stringify({ ...figures, byCommand: faults.byCommand })}\n`,
        );
      },
    );
  });
}
