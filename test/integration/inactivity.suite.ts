/**
 * The inactivity engine end to end for one profile (G9; L7/G7 for the destruction): the job runs
 * against moto with a controlled clock, queues candidates on the real SQS queue, and the worker
 * handler drains it, notifying through SES and destroying through withdrawal.
 */

import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../lambdas/features/members/sign-in';
import { viewMember } from '../../lambdas/features/members/view';
import { seoulDateTimeText, seoulDay, shiftInSeoul } from '../../model/calendar';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { formatDuration } from '../../policy/duration';
import { invoked, startTestStack, type TestStack } from './harness';
import {
  expectedVaultKeys,
  joinAt,
  joinWithoutAddressAt,
  runInactivity,
  tablesOf,
  yearOf,
} from './inactivity-fixtures';
import { mailsTo } from './member-api';

/** Registers the inactivity tests of `profile`. */
export function inactivitySuite(profile: ProfileName): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  let db: ReturnType<typeof tablesOf>;
  beforeAll(async () => {
    stack = await startTestStack(profile);
    db = tablesOf(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // Each test lives in years of its own (none holding a 29 February, so day 365 is a full year),
  // so one test's runs never reach another's members.
  describe(`inactive accounts (${profile}, ${formatDuration(c.inactivity.period)})`, () => {
    it('G9 L7/G7: day 334 nothing; day 335 one notice (a rerun sends no second); day 364 still there; day 365 destroyed with receipt and vault records', async () => {
      const { signIn, day } = yearOf('2030-01-10T02:00:00+09:00');
      const email = `year-${profile}@example.com`;
      await joinAt(profile, 'year', email, signIn);

      await runInactivity(stack, day(334));
      expect(await mailsTo(stack, email)).toHaveLength(0);
      expect((await db.profile('year'))?.inactivity).toBeUndefined();

      const noticeRun = await runInactivity(stack, day(335));
      expect(noticeRun).toMatchObject({ candidates: 1, queued: 1, succeeded: 1, failed: 0 });
      await runInactivity(stack, day(335));
      const mails = await mailsTo(stack, email);
      expect(mails).toHaveLength(1);
      expect((await db.profile('year'))?.inactivity).toMatchObject({ state: 'notified', delivery: 'sent' });

      await runInactivity(stack, day(364));
      expect(await db.profile('year')).toBeDefined();

      await runInactivity(stack, day(365));
      expect(await db.profile('year')).toBeUndefined();
      expect(await db.key('year')).toBeUndefined();
      const vault = await db.vault('year');
      expect(vault.map((v) => v.sk).sort()).toEqual(expectedVaultKeys(profile));
      const receipt = vault.find((v) => v.sk === 'RECEIPT')?.signed as { receipt: { withdrawnAt: string } };
      expect(receipt.receipt.withdrawnAt).toBe(day(365).toISOString());
      expect(await mailsTo(stack, email)).toHaveLength(1);
    });

    it('G9: the notice lists every item that will be destroyed and the date and time of destruction', async () => {
      const { signIn, day } = yearOf('2033-01-10T02:00:00+09:00');
      const email = `content-${profile}@example.com`;
      await joinAt(profile, 'content', email, signIn);

      await runInactivity(stack, day(335));
      const [mail] = await mailsTo(stack, email);
      const state = (await db.profile('content'))?.inactivity;
      const destroyAt = new Date(state && 'destroyAt' in state ? state.destroyAt : NaN);
      // The member joined with no language: Korean, the Seoul date as Koreans write it.
      expect(mail?.body).toContain(seoulDateTimeText(destroyAt, 'ko'));
      const held = Object.keys((await db.profile('content'))?.items as Record<string, string>);
      for (const id of held) expect(mail?.body).toContain(c.items[id]!.label.ko);
      expect(mail?.subject).not.toContain(email);
    });

    it('G9: a sign-in on day 350 cancels the pending destruction and restarts the clock', async () => {
      const { signIn, day } = yearOf('2037-01-10T02:00:00+09:00');
      const email = `returns-${profile}@example.com`;
      await joinAt(profile, 'returns', email, signIn);
      await runInactivity(stack, day(335));
      expect((await db.profile('returns'))?.inactivity).toMatchObject({ state: 'notified' });

      expect(await recordSignIn(c, 'returns', day(350))).toBe(true);
      expect((await db.profile('returns'))?.inactivity).toBeUndefined();
      await runInactivity(stack, day(365));
      await runInactivity(stack, day(380));
      expect(await db.profile('returns')).toBeDefined();
      expect(await mailsTo(stack, email)).toHaveLength(1);

      // The clock restarted at day 350: the next notice is due 335 days later, not before.
      await runInactivity(stack, day(350 + 334));
      expect(await mailsTo(stack, email)).toHaveLength(1);
      await runInactivity(stack, day(350 + 335));
      expect(await mailsTo(stack, email)).toHaveLength(2);
    });

    it('G9: a notice sent late (day 350) → destruction not before day 380', async () => {
      const { signIn, day } = yearOf('2039-01-10T02:00:00+09:00');
      await joinAt(profile, 'late', `late-${profile}@example.com`, signIn);

      await runInactivity(stack, day(350));
      expect((await db.profile('late'))?.inactivity).toMatchObject({ state: 'notified' });
      await runInactivity(stack, day(365));
      await runInactivity(stack, day(379));
      expect(await db.profile('late')).toBeDefined();
      await runInactivity(stack, day(380));
      expect(await db.profile('late')).toBeUndefined();
      expect((await db.vault('late')).map((v) => v.sk).sort()).toEqual(expectedVaultKeys(profile));
    });

    it('G9: a bounced address is suppressed; the next notice is recorded undeliverable, not sent, and the 30 days count from the attempt', async () => {
      const { signIn, day } = yearOf('2042-01-10T02:00:00+09:00');
      const email = `bounces-${profile}@example.com`;
      await joinAt(profile, 'bounces', email, signIn);
      const handler = invoked(
        'ses-feedback',
        stack.env,
        (await import('../../lambdas/handlers/ses-feedback')).handler,
      );
      const bounce = {
        eventType: 'Bounce',
        mail: { destination: [email] },
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] },
      };
      await handler({ Records: [{ Sns: { Message: JSON.stringify(bounce) } }] } as unknown as SNSEvent);
      const suppressions = (await db.scan('members')).filter((i) => String(i.pk).startsWith('S#'));
      expect(JSON.stringify(suppressions)).not.toContain(email);
      expect(suppressions.length).toBeGreaterThan(0);

      await runInactivity(stack, day(340));
      expect(await mailsTo(stack, email)).toHaveLength(0);
      const state = (await db.profile('bounces'))?.inactivity;
      expect(state).toMatchObject({
        state: 'notified',
        delivery: 'suppressed',
        attemptAt: day(340).toISOString(),
      });
      await runInactivity(stack, day(369));
      expect(await db.profile('bounces')).toBeDefined();
      await runInactivity(stack, day(370));
      expect(await db.profile('bounces')).toBeUndefined();
    });

    it('G9: a member the catalogue holds no address for gets the attempt recorded, and 30 days from it', async () => {
      const { signIn, day } = yearOf('2045-01-10T02:00:00+09:00');
      const joined = await joinWithoutAddressAt(profile, 'no-address', signIn);
      if (!joined) {
        // Every sign-in method of this profile collects the notice address.
        expect(c.signIn.every((m) => c.items[c.noticeItem]?.requiredFor.includes(m))).toBe(true);
        return;
      }
      await runInactivity(stack, day(335));
      expect((await db.profile('no-address'))?.inactivity).toMatchObject({
        state: 'notified',
        delivery: 'no-address',
      });
      await runInactivity(stack, day(365));
      expect(await db.profile('no-address')).toBeUndefined();
    });
    it('G9: the destruction a member is shown is the instant the engine destroys them, across month ends and leap days', async () => {
      // Seoul days that are not the UTC day: a leap day at 00:30 (a year on is 28 February in
      // Seoul, 1 March by UTC) and a month end at 00:30 (30 January by UTC).
      for (const [n, signInAt] of [
        ['leap', '2048-02-29T00:30:00+09:00'],
        ['month-end', '2050-01-31T00:30:00+09:00'],
      ] as const) {
        const memberId = `shown-${n}`;
        const email = `shown-${n}-${profile}@example.com`;
        await joinAt(profile, memberId, email, new Date(signInAt));
        const shownBefore = new Date(
          (await viewMember(c, memberId, new Date(signInAt))).inactivityDestructionAt!,
        );
        expect(seoulDay(shownBefore)).toBe(seoulDay(shiftInSeoul(new Date(signInAt), c.inactivity.period)));

        const noticeAt = shiftInSeoul(shownBefore, c.inactivity.noticeLead, -1);
        await runInactivity(stack, noticeAt);
        expect(await mailsTo(stack, email)).toHaveLength(1);
        const shown = new Date((await viewMember(c, memberId, noticeAt)).inactivityDestructionAt!);
        expect(shown).toEqual(shownBefore);

        await runInactivity(stack, new Date(shown.getTime() - 1));
        expect(await db.profile(memberId)).toBeDefined();
        await runInactivity(stack, shown);
        expect(await db.profile(memberId)).toBeUndefined();
        const receipt = (await db.vault(memberId)).find((v) => v.sk === 'RECEIPT')?.signed as {
          receipt: { withdrawnAt: string };
        };
        expect(receipt.receipt.withdrawnAt).toBe(shown.toISOString());
      }
    });
  });
}
