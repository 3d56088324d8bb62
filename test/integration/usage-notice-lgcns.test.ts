/**
 * The annual notice of usage history (PIPA Art. 20-2; Enforcement Decree Art. 15-3) on the local
 * stack of lgcns: members join through the real join code, provisions are recorded through the
 * real provision code, and the notices go out through the real job, notices queue and worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDataKeyCache } from '../../lambdas/adapters/data-keys';
import { suppress } from '../../lambdas/adapters/suppression';
import { recordProvision } from '../../lambdas/features/provisions/provisions';
import { restrict } from '../../lambdas/features/restriction/restriction';
import { noticeDueAt } from '../../lambdas/features/usage-notice/rules';
import { withdraw } from '../../lambdas/features/withdrawal/withdraw';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { seoulDateText } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';
import { injectFaults } from '../support/faults';
import { startTestStack, type TestStack } from './harness';
import { joinAt, tablesOf } from './inactivity-fixtures';

const PROFILE = 'lgcns';
const c = loadCatalogue(PROFILE);
/** Members of the crash-restart test. */
const CRASH_MEMBERS = Number(process.env.USAGE_NOTICE_CRASH_MEMBERS ?? 30);
/** Probability that any one AWS call of the job or the worker fails. */
const FAULT_PROBABILITY = 0.03;
/** Every kind of call a run makes: each fails at least once. */
const STEPS = [
  'QueryCommand',
  'GetItemCommand',
  'PutItemCommand',
  'ScanCommand',
  'UpdateItemCommand',
  'DecryptCommand',
  'SendEmailCommand',
  'SendMessageBatchCommand',
];
/** Reruns allowed before the crash test gives up. */
const MAX_RUNS = 25;

let stack: TestStack;
let db: ReturnType<typeof tablesOf>;

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  db = tablesOf(stack);
});
afterAll(async () => {
  await stack?.stop();
});

/** The daily run at 10:00 on the due day of `year`'s notice. */
const dueRun = (year: number) => new Date(noticeDueAt(c.usageNotice, year).getTime() + 10 * 3_600_000);
const run = (at: Date) =>
  runJob('usageNotice', stack.env, PROFILE, at.toISOString()) as Promise<Record<string, number>>;
const mailsTo = async (address: string) =>
  (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));
const noticesOf = async (address: string, year: number) =>
  (await mailsTo(address)).filter((m) => m.subject.includes(`(${year}`));
const runRecord = async (year: number) =>
  (await db.scan('policyVersions')).find((i) => i.pk === `USAGE#${year}` && i.sk === 'RUN');

/** A basis lgcns allows without consent, with its reference. */
const basis = { type: c.provision.bases.find((b) => b !== 'consent')!, reference: 'Service contract §4' } as {
  type: 'contract';
  reference: string;
};

describe('annual usage notice (lgcns)', () => {
  it('PIPA Art. 20-2: each member of the year is noticed once, in their language, with the provisions of the year from the ledger; joined later, withdrawn and suppressed are not mailed, restricted are; next year again', async () => {
    const year = 2031;
    const at = (iso: string) => new Date(`${iso}+09:00`);
    const ids = {
      provided: 'un-provided',
      english: 'un-english',
      restricted: 'un-restricted',
      suppressed: 'un-suppressed',
      withdrawn: 'un-withdrawn',
      later: 'un-later',
    };
    const address = (id: string) => `${id}@example.com`;
    await joinAt(PROFILE, ids.provided, address(ids.provided), at('2030-06-01T09:00:00'));
    await joinAt(PROFILE, ids.english, address(ids.english), at('2031-05-01T09:00:00'), 'en');
    await joinAt(PROFILE, ids.restricted, address(ids.restricted), at('2031-02-01T09:00:00'));
    await joinAt(PROFILE, ids.suppressed, address(ids.suppressed), at('2031-02-01T09:00:00'));
    await joinAt(PROFILE, ids.withdrawn, address(ids.withdrawn), at('2031-02-01T09:00:00'));
    // Joins on the first day of the next year: after the year the notice covers.
    await joinAt(PROFILE, ids.later, address(ids.later), at('2032-01-01T00:30:00'));

    // Provisions to two recipients in the year, one the year before and one after: only the
    // year's are told.
    const provide = (recipient: string, items: string[], purpose: string, when: Date) =>
      recordProvision(
        c,
        'officer-un',
        {
          memberId: ids.provided,
          recipient: { name: recipient, contact: `privacy@${recipient.toLowerCase()}.example` },
          items,
          purpose,
          basis,
        },
        when,
      );
    await provide('Courier', ['name', 'email'], 'membership', at('2031-03-10T12:00:00'));
    await provide('Helpdesk', ['email'], 'inquiries', at('2031-11-20T12:00:00'));
    await provide('Archive', ['name'], 'membership', at('2030-12-31T23:00:00'));
    await provide('Futures', ['name'], 'membership', at('2032-01-02T12:00:00'));

    await restrict(c, ids.restricted, 'all', 'Disputes accuracy', at('2031-06-01T09:00:00'));
    await suppress(PROFILE, c.noticeItem, address(ids.suppressed), 'bounce', at('2031-06-01T09:00:00'));
    await withdraw(c, ids.withdrawn, at('2031-08-01T09:00:00'));

    // Before the due day, the year before last is the latest due: nothing of this year is sent.
    await run(new Date(noticeDueAt(c.usageNotice, year).getTime() - 3_600_000));
    expect(await noticesOf(address(ids.provided), year)).toHaveLength(0);

    const first = await run(dueRun(year));
    expect(first.usageYear).toBe(year);
    // Reruns on the day and the days after send nothing more.
    await run(dueRun(year));
    await run(new Date(dueRun(year).getTime() + 86_400_000));

    const [provided] = await noticesOf(address(ids.provided), year);
    expect(await noticesOf(address(ids.provided), year)).toHaveLength(1);
    expect(provided!.subject).toContain('이용내역');
    const body = provided!.body;
    // The two provisions of the year, each with its items, day (Seoul) and basis.
    const courier = body.split('\n').find((l) => l.includes('Courier'));
    expect(courier).toContain(seoulDateText(at('2031-03-10T12:00:00'), 'ko'));
    expect(courier).toContain(c.items.name!.label.ko);
    expect(courier).toContain(c.items.email!.label.ko);
    expect(courier).toContain(c.purposes.membership!.label.ko);
    expect(courier).toContain('Service contract §4');
    const helpdesk = body.split('\n').find((l) => l.includes('Helpdesk'));
    expect(helpdesk).toContain(seoulDateText(at('2031-11-20T12:00:00'), 'ko'));
    expect(helpdesk).toContain(c.items.email!.label.ko);
    expect(helpdesk).not.toContain(c.items.name!.label.ko);
    expect(body).not.toContain('Archive');
    expect(body).not.toContain('Futures');
    // The purposes the member's items served, each with those items.
    const membership = body.split('\n').find((l) => l.startsWith(`- ${c.purposes.membership!.label.ko}:`));
    expect(membership).toContain(c.items.email!.label.ko);
    expect(body).toContain(`- ${c.purposes.inquiries!.label.ko}:`);
    expect(body).toContain(c.contacts.officer.email!);

    const [english] = await noticesOf(address(ids.english), year);
    expect(await noticesOf(address(ids.english), year)).toHaveLength(1);
    expect(english!.subject).toContain('annual notice');
    expect(english!.body).toContain(c.purposes.membership!.label.en);
    expect(english!.body).toContain('provided to no third party');
    expect(english!.body).toContain(seoulDateText(at('2031-01-01T00:00:00'), 'en'));

    expect(await noticesOf(address(ids.restricted), year)).toHaveLength(1);
    expect(await mailsTo(address(ids.suppressed))).toHaveLength(0);
    expect(await mailsTo(address(ids.withdrawn))).toHaveLength(0);
    expect(await mailsTo(address(ids.later))).toHaveLength(0);

    // The evidence the officer shows: when the year's run started and finished, and its counts.
    const record = await runRecord(year);
    expect(record).toMatchObject({ year, sent: 3, undeliverable: 1 });
    expect(record?.finishedAt).toEqual(expect.any(String));
    const profile = await db.profile(ids.suppressed);
    expect(profile?.usageNotice).toMatchObject({ year, state: 'undeliverable', delivery: 'suppressed' });

    // The next year: everyone still a member is noticed again, the member who joined in it too.
    await run(dueRun(year + 1));
    await run(dueRun(year + 1));
    for (const id of [ids.provided, ids.english, ids.restricted, ids.later]) {
      expect(await noticesOf(address(id), year + 1), id).toHaveLength(1);
      expect(await noticesOf(address(id), year), id).toHaveLength(id === ids.later ? 0 : 1);
    }
    // No provision in that year but the one of 2 January.
    const [again] = await noticesOf(address(ids.provided), year + 1);
    expect(again!.body).toContain('Futures');
    expect(again!.body).not.toContain('Courier');
  });

  it(
    `PIPA Art. 20-2: with faults at every step of the job and the worker, reruns notice each of ${CRASH_MEMBERS} members exactly once`,
    {
      timeout: 600_000,
    },
    async () => {
      const year = 2041;
      const ids = Array.from({ length: CRASH_MEMBERS }, (_, i) => `un-crash-${String(i).padStart(3, '0')}`);
      const address = (id: string) => `${id}@example.com`;
      for (const id of ids) await joinAt(PROFILE, id, address(id), new Date('2041-04-01T01:00:00Z'));
      clearDataKeyCache();
      const faults = injectFaults({ probability: FAULT_PROBABILITY, seed: 2041, firstOf: STEPS });
      let runs = 0;
      try {
        for (; runs < MAX_RUNS && !(await runRecord(year))?.finishedAt; runs++) {
          await run(dueRun(year)).catch(() => undefined);
        }
      } finally {
        faults.stop();
      }
      const injected = Object.values(faults.byCommand).reduce((n, k) => n + k, 0);
      process.stdout.write(
        `usage-notice crash-restart: ${CRASH_MEMBERS} members, ${runs} runs, ${injected} faults in ${faults.calls()} calls\n`,
      );
      expect(runs).toBeLessThan(MAX_RUNS);
      for (const step of STEPS) expect(faults.byCommand[step], step).toBeGreaterThan(0);
      // One read of the outbox, counted by address: the year's notices of each member.
      const perMember = async () => {
        const counts = new Map<string, number>();
        for (const mail of await readOutbox(stack.endpoint)) {
          if (!mail.subject.includes(`(${year}`)) continue;
          for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
        }
        return ids.map((id) => counts.get(address(id)) ?? 0);
      };
      expect((await perMember()).filter((n) => n !== 1)).toEqual([]);
      // A rerun after the run finished sends nothing.
      await run(dueRun(year));
      expect((await perMember()).every((n) => n === 1)).toBe(true);
      const record = await runRecord(year);
      expect(Number(record?.sent)).toBeGreaterThanOrEqual(CRASH_MEMBERS);
    },
  );
});
