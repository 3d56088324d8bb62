/**
 * G9 at scale: one inactivity run over many members of whom 100 are due reads what the 100 cost
 * and nothing for the others, because candidates come from the sparse index by day. 2,000 members
 * in `npm test`, to keep CI within its time; `npm run test:deep` runs 10,000.
 * The figure comes from {@link measureItemsRead} (test/support/dynamodb-reads.ts), which a
 * benchmark can reuse.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeBucket } from '../../lambdas/features/inactivity/rules';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { inactivityBucket } from '../../model/members-table';
import { loadCatalogue } from '../../policy/catalogue';
import { measureItemsRead } from '../support/dynamodb-reads';
import { startTestStack, type TestStack } from './harness';
import { joinAt, runInactivity, yearOf } from './inactivity-fixtures';

const PROFILE = 'lgcns';
const POPULATION = Number(process.env.INACTIVITY_SCALE_MEMBERS ?? 2_000);
const CANDIDATES = 100;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(PROFILE);
});
afterAll(async () => {
  await stack?.stop();
});

/** Profiles of members who signed in on other days of the year: present, indexed, not due. */
async function seedBystanders(count: number, year: ReturnType<typeof yearOf>): Promise<void> {
  const c = loadCatalogue(PROFILE);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
  const table = physicalNames.table(PROFILE, 'members');
  for (let i = 0; i < count; i += 25) {
    const items = Array.from({ length: Math.min(25, count - i) }, (_, j) => {
      // Signed in 40 to 330 days after the candidates: their notices fall due outside the run's reach.
      const signedIn = new Date(year.signIn.getTime() + (40 + ((i + j) % 290)) * 86_400_000);
      const memberId = `bystander-${i + j}`;
      return {
        PutRequest: {
          Item: {
            pk: `M#${memberId}`,
            sk: 'PROFILE',
            memberId,
            status: 'active',
            lastSignInAt: signedIn.toISOString(),
            inactiveOn: inactivityBucket(activeBucket(c.inactivity, signedIn), memberId),
          },
        },
      };
    });
    await doc.send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
  }
}

describe(`one inactivity run over ${POPULATION} members with ${CANDIDATES} candidates (${PROFILE})`, () => {
  it(`G9: reads the same items whether 100 or ${POPULATION.toLocaleString('en')} members exist: the cost follows the candidates`, async () => {
    const small = yearOf('2030-01-10T02:00:00+09:00');
    for (let i = 0; i < CANDIDATES; i++)
      await joinAt(PROFILE, `small-${i}`, `small-${i}@example.com`, small.signIn);
    const alone = await measureItemsRead(() => runInactivity(stack, small.day(335)));

    const large = yearOf('2033-01-10T02:00:00+09:00');
    for (let i = 0; i < CANDIDATES; i++)
      await joinAt(PROFILE, `large-${i}`, `large-${i}@example.com`, large.signIn);
    await seedBystanders(POPULATION - CANDIDATES, large);
    const crowded = await measureItemsRead(() => runInactivity(stack, large.day(335)));

    expect(alone.result).toMatchObject({ candidates: CANDIDATES, succeeded: CANDIDATES, failed: 0 });
    expect(crowded.result).toMatchObject({ candidates: CANDIDATES, succeeded: CANDIDATES, failed: 0 });
    expect(crowded.itemsRead).toBe(alone.itemsRead);
    expect(Object.keys(crowded.byCommand)).not.toContain('ScanCommand');
    process.stdout.write(
      `inactivity run over ${POPULATION} members, ${CANDIDATES} candidates: ${JSON.stringify({
        itemsRead: crowded.itemsRead,
        readCalls: crowded.readCalls,
        byCommand: crowded.byCommand,
      })}\n`,
    );
  }, 600_000);
});
