/**
 * The annual notice of usage history (PIPA Art. 20-2) on the local stack of littleone: the same
 * job, queue and worker as lgcns (usage-notice-lgcns.test.ts holds the crash-restart test), with
 * littleone's catalogue, its provision basis and its members' items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProvision } from '../../lambdas/features/provisions/provisions';
import { noticeDueAt } from '../../lambdas/features/usage-notice/rules';
import { runJob } from '../../local/job';
import { readOutbox } from '../../local/outbox';
import { seoulDateText } from '../../model/calendar';
import { loadCatalogue } from '../../policy/catalogue';
import { startTestStack, type TestStack } from './harness';
import { joinAt } from './inactivity-fixtures';

const PROFILE = 'littleone';
const c = loadCatalogue(PROFILE);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(PROFILE);
});
afterAll(async () => {
  await stack?.stop();
});

describe('annual usage notice (littleone)', () => {
  it("PIPA Art. 20-2: each member of the year is noticed once, in their language, with the year's provision on its basis from the ledger", async () => {
    const year = 2031;
    const run = () =>
      runJob(
        'usageNotice',
        stack.env,
        PROFILE,
        new Date(noticeDueAt(c.usageNotice, year).getTime() + 10 * 3_600_000).toISOString(),
      );
    const [ko, en] = ['un-lo-ko', 'un-lo-en'];
    const address = (id: string) => `${id}@example.com`;
    await joinAt(PROFILE, ko!, address(ko!), new Date('2031-02-01T01:00:00Z'));
    await joinAt(PROFILE, en!, address(en!), new Date('2031-02-01T01:00:00Z'), 'en');
    const providedAt = new Date('2031-07-07T12:00:00+09:00');
    await recordProvision(
      c,
      'officer-un',
      {
        memberId: ko!,
        recipient: { name: 'Courier', contact: 'privacy@courier.example' },
        items: ['email'],
        purpose: 'service-delivery',
        basis: { type: 'legal-obligation', reference: 'Postal Services Act' },
      },
      providedAt,
    );
    await run();
    await run();
    const mails = async (id: string) =>
      (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address(id)));
    const [korean] = await mails(ko!);
    expect(await mails(ko!)).toHaveLength(1);
    expect(korean!.subject).toBe(`[${c.operator.service.ko}] 개인정보 이용내역 연간 통지 (${year}년)`);
    const line = korean!.body.split('\n').find((l) => l.includes('Courier'));
    expect(line).toContain(seoulDateText(providedAt, 'ko'));
    expect(line).toContain(c.items.email!.label.ko);
    expect(line).toContain('법령상 의무 (Postal Services Act)');
    const [english] = await mails(en!);
    expect(await mails(en!)).toHaveLength(1);
    expect(english!.body).toContain(`- ${c.purposes.membership!.label.en}:`);
    expect(english!.body).toContain('provided to no third party');
  });
});
