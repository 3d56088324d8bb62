/**
 * Breach notices at scale and under crashes (PIPA Art. 34; Enforcement Decree Art. 40), over
 * 1,000 lgcns members who joined through the real join code: every one is told within the
 * 72-hour clock, the 1,000 threshold chooses the regulator, and with faults at every step of the
 * fan-out and the notices (each kind of call failing at least once), reruns of the clocks job
 * tell each member exactly once (200 of them in `npm test`, 1,000 in `npm run test:deep`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearDataKeyCache } from '../../lambdas/adapters/data-keys';
import { recordBreach } from '../../lambdas/features/breaches/breaches';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { loadCatalogue } from '../../policy/catalogue';
import { injectFaults } from '../support/faults';
import { breachBody } from './breach-fixtures';
import { startTestStack, type TestStack } from './harness';
import { joinAt } from './inactivity-fixtures';
import { asOfficer } from './officer-api';

const PROFILE = 'lgcns';
const c = loadCatalogue(PROFILE);
/** Affected members: the PIPA threshold of a report to the PIPC. */
const MEMBERS = Number(process.env.BREACH_MEMBERS ?? 1_000);
/** Joins in flight at once. */
const PARALLEL_JOINS = 8;
/**
 * Members of the crash-restart breach, found by a query over the members who joined first: 200
 * in `npm test`, since every rerun drains the queue through moto one notice at a time; `npm run
 * test:deep` runs 1,000.
 */
const CRASH_MEMBERS = Math.min(MEMBERS, Number(process.env.BREACH_CRASH_MEMBERS ?? 200));
/** The crash-restart members joined 40 days ago, the others 30: the breach's query tells them apart. */
const DAY = 86_400_000;
const EARLY = new Date(Date.now() - 40 * DAY);
const LATE = new Date(Date.now() - 30 * DAY);
/** Probability that any one AWS call of the job and the worker fails. */
const FAULT_PROBABILITY = 0.03;
/** Every kind of call the fan-out and a notice make: each fails at least once. */
const STEPS = [
  'ScanCommand',
  'QueryCommand',
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'TransactWriteItemsCommand',
  'DecryptCommand',
  'SendEmailCommand',
  'SendMessageBatchCommand',
];
/** Reruns allowed before the test gives up. */
const MAX_RUNS = 25;
const HOUR = 3_600_000;

let stack: TestStack;
const ids = Array.from({ length: MEMBERS }, (_, i) => `affected-${String(i).padStart(4, '0')}`);
const address = (id: string) => `${id}@example.com`;

beforeAll(async () => {
  stack = await startTestStack(PROFILE);
  for (let i = 0; i < ids.length; i += PARALLEL_JOINS) {
    await Promise.all(
      ids
        .slice(i, i + PARALLEL_JOINS)
        .map((id, j) => joinAt(PROFILE, id, address(id), i + j < CRASH_MEMBERS ? EARLY : LATE)),
    );
  }
}, 1_800_000);
afterAll(async () => {
  await stack?.stop();
});

/** Mails per address that name `breachId`. */
async function noticesOf(breachId: string): Promise<Map<string, number>> {
  const perAddress = new Map<string, number>();
  for (const mail of await readOutbox(stack.endpoint)) {
    if (!mail.body.includes(breachId)) continue;
    for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  }
  return perAddress;
}

describe(`breach notices to ${MEMBERS} members (${PROFILE})`, () => {
  it(
    `PIPA Art. 34(1), Enforcement Decree Art. 40: all ${MEMBERS} affected members are told once within the 72-hour clock, and the report goes to the PIPC`,
    {
      timeout: 1_800_000,
    },
    async () => {
      const discovered = new Date(Date.now() - HOUR);
      const res = await asOfficer(
        stack,
        'POST',
        '/v1/admin/breaches',
        breachBody(c, { kind: 'all' }, discovered),
      );
      expect(res.status, res.text).toBe(201);
      const { breachId } = res.json as { breachId: string };
      const started = Date.now();
      await runJob('policyNotices', stack.env, PROFILE, new Date().toISOString());
      const ms = Date.now() - started;
      // A second run records the members clock met from what the first did.
      await runJob('policyNotices', stack.env, PROFILE, new Date().toISOString());

      const notices = await noticesOf(breachId);
      expect(notices.size).toBe(MEMBERS);
      expect([...notices.values()].every((n) => n === 1)).toBe(true);
      const view = (await asOfficer(stack, 'GET', `/v1/admin/breaches/${breachId}`)).json;
      expect(view.notices).toMatchObject({ found: true, identified: MEMBERS, sent: MEMBERS, waiting: 0 });
      expect(view.clocks.members.state).toBe('met');
      expect(new Date(view.clocks.members.metAt).getTime()).toBeLessThanOrEqual(
        discovered.getTime() + 72 * HOUR,
      );
      const pipc = c.breach.regulators.find((r) => r.when.minMembers !== undefined)!;
      expect(view.clocks.regulator.authorities).toEqual(MEMBERS >= pipc.when.minMembers! ? [pipc.id] : []);
      const { report } = view;
      expect(report.membersAffected).toMatchObject({ count: MEMBERS, final: true });
      expect(report.memberNotices).toMatchObject({ sent: MEMBERS, undeliverable: 0, waiting: 0 });
      process.stdout.write(
        `breach notices: ${MEMBERS} members told in ${ms} ms on moto (one job run, queue drained)\n`,
      );
    },
  );

  it(
    `PIPA Art. 34(1): with a crash at each step of the fan-out and the notices, reruns tell each of ${CRASH_MEMBERS} members exactly once`,
    {
      timeout: 1_800_000,
    },
    async () => {
      const now = new Date();
      // Recorded by the use case so the faults reach its calls too, from the first.
      const faults = injectFaults({ probability: FAULT_PROBABILITY, seed: 34, firstOf: STEPS });
      let breachId: string | undefined;
      let runs = 0;
      const started = Date.now();
      try {
        for (let attempt = 0; !breachId && attempt < MAX_RUNS; attempt++) {
          breachId = await recordBreach(
            c,
            'officer-crash',
            breachBody(
              c,
              {
                kind: 'query',
                holding: [c.noticeItem],
                joinedBefore: new Date(EARLY.getTime() + DAY).toISOString(),
              },
              new Date(now.getTime() - HOUR),
            ),
            now,
            'crash-breach',
          )
            .then((v) => v.breachId)
            .catch(() => undefined);
        }
        expect(breachId).toBeDefined();
        for (; runs < MAX_RUNS; ) {
          runs++;
          clearDataKeyCache();
          await runJob('policyNotices', stack.env, PROFILE, new Date().toISOString()).catch(() => undefined);
          faults.setProbability(0);
          const view = (await asOfficer(stack, 'GET', `/v1/admin/breaches/${breachId}`)).json;
          faults.setProbability(FAULT_PROBABILITY);
          if (view.notices?.found && view.notices.waiting === 0 && view.notices.identified === CRASH_MEMBERS)
            break;
        }
      } finally {
        faults.stop();
      }
      const injected = Object.values(faults.byCommand).reduce((n, k) => n + k, 0);
      const notices = await noticesOf(breachId!);
      const twice = [...notices.values()].filter((n) => n > 1).length;
      const crashIds = ids.slice(0, CRASH_MEMBERS);
      const missed = crashIds.filter((id) => !notices.has(address(id))).length;
      // Nobody outside the query is told of it.
      expect(notices.size).toBe(CRASH_MEMBERS - missed);
      expect(Object.keys(faults.byCommand).sort()).toEqual([...STEPS].sort());
      expect({ missed, twice }).toEqual({ missed: 0, twice: 0 });
      process.stdout.write(
        `breach crash-restart: ${CRASH_MEMBERS} members (a query over ${MEMBERS}), ${injected} faults injected over ${faults.calls()} calls (${JSON.stringify(faults.byCommand)}), ${runs} job runs, ${Date.now() - started} ms: 0 missed, 0 told twice\n`,
      );
    },
  );
});
