/**
 * Fixtures for the inactivity tests: members joined through the real join code at a chosen
 * instant, a clock counted in days from it, and readers of what the emulator holds.
 */

import { join as joinPath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { clearDataKeyCache } from '../../lambdas/adapters/data-keys';
import type { InactivityState } from '../../lambdas/features/inactivity/rules';
import { join } from '../../lambdas/features/members/join';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { HANDLERS_DIR } from '../../local/front';
import { runJob } from '../../local/job';
import { lambdaContext, sqsEvent } from '../../local/lambda-event';
import type { QueueName, TableName } from '../../model/resources';
import { queues } from '../../model/workloads';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import type { Language } from '../../policy/i18n';
import type { SignInMethod } from '../../policy/schema';
import type { TestStack } from './harness';

const DAY = 86_400_000;

/** How each profile's members join: a sign-in method and items that include the notice address. */
const joiners: Record<
  ProfileName,
  (n: string, email: string) => { method: SignInMethod; items: Record<string, string> }
> = {
  littleone: (n, email) => ({
    method: 'apple',
    items: { userName: `User ${n}`, appleMemberNumber: `000${n}.apple`, email },
  }),
  lgcns: (n, email) => ({ method: 'password', items: { loginId: `login-${n}`, name: `Name ${n}`, email } }),
};

/** The identifiers a verified token would carry for these items (G1, L2). */
function signInIdsOf(items: Record<string, string>) {
  return {
    ...(items.loginId ? { username: items.loginId } : {}),
    ...(items.appleMemberNumber ? { 'provider-user-id': items.appleMemberNumber } : {}),
  };
}

/** A clock whose day N is N days and one hour after the member's last sign-in (the 03:00 run). */
export function yearOf(start: string) {
  const signIn = new Date(start);
  return { signIn, day: (n: number) => new Date(signIn.getTime() + n * DAY + 3_600_000) };
}

/** Joins member `memberId` at `at` with an email address, through the domain's join (Korean unless `lang`). */
export async function joinAt(
  profile: ProfileName,
  memberId: string,
  email: string,
  at: Date,
  lang?: Language,
): Promise<void> {
  const c = loadCatalogue(profile);
  const { method, items } = joiners[profile](memberId, email);
  const consents = Object.fromEntries(Object.entries(c.purposes).map(([id]) => [id, true]));
  await join(
    c,
    { memberId, groups: [], method, signInIds: signInIdsOf(items) },
    { items, consents, ageAffirmation: true, policyVersion: c.policy.version },
    at,
    lang,
  );
}

/** Joins a member whose sign-in method does not collect the notice item, when the profile has one. */
export async function joinWithoutAddressAt(
  profile: ProfileName,
  memberId: string,
  at: Date,
): Promise<boolean> {
  const c = loadCatalogue(profile);
  const method = c.signIn.find((m) => !c.items[c.noticeItem]?.requiredFor.includes(m));
  if (!method) return false;
  const items: Record<string, string> = {};
  for (const [id, item] of Object.entries(c.items)) {
    if (item.store !== 'members' || item.subject !== 'member' || !item.requiredFor.includes(method)) continue;
    items[id] = item.format.type === 'enum' ? item.format.values[0]! : `${id} of ${memberId}`;
  }
  const consents = Object.fromEntries(Object.entries(c.purposes).map(([id]) => [id, true]));
  await join(
    c,
    { memberId, groups: [], method, signInIds: signInIdsOf(items) },
    { items, consents, ageAffirmation: true, policyVersion: c.policy.version },
    at,
  );
  return true;
}

/** Runs the inactivity job at `now`, draining its queue through the worker. */
export async function runInactivity(stack: TestStack, now: Date): Promise<Record<string, number>> {
  return (await runJob('inactivity', stack.env, stack.profile, now.toISOString())) as Record<string, number>;
}

/**
 * One delivery of the message `body` to `queue`'s worker, as the SQS event source makes it: a
 * fresh instance as far as data keys go, since a redelivery may land on another one.
 */
export async function deliverMessage(
  stack: TestStack,
  queue: QueueName,
  body: unknown,
  messageId: string,
): Promise<SQSBatchResponse> {
  const file = joinPath(HANDLERS_DIR, `${queues[queue].handler}.ts`);
  const { handler } = (await import(pathToFileURL(file).href)) as {
    handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  };
  clearDataKeyCache();
  return handler(
    sqsEvent(
      [{ MessageId: messageId, ReceiptHandle: messageId, Body: JSON.stringify(body) }],
      `arn:aws:sqs:ap-northeast-2:000000000000:${queue}`,
    ),
    lambdaContext(`${stack.profile}-${queues[queue].handler}`, 60_000),
  );
}

/** Reads tables of the test stack directly. */
export function tablesOf(stack: TestStack) {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
  const name = (table: TableName) => physicalNames.table(stack.profile, table);
  return {
    async profile(memberId: string) {
      const out = await doc.send(
        new GetCommand({
          TableName: name('members'),
          Key: { pk: `M#${memberId}`, sk: 'PROFILE' },
          ConsistentRead: true,
        }),
      );
      return out.Item as
        | ({ inactivity?: InactivityState; inactiveOn?: string; lastSignInAt: string } & Record<
            string,
            unknown
          >)
        | undefined;
    },
    /** Sets the profile's `inactiveOn` as written before the index was sharded: the bare day. */
    async setUnshardedBucket(memberId: string, day: string): Promise<void> {
      await doc.send(
        new UpdateCommand({
          TableName: name('members'),
          Key: { pk: `M#${memberId}`, sk: 'PROFILE' },
          UpdateExpression: 'SET inactiveOn = :day',
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    },
    async scan(table: TableName): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: name(table), ExclusiveStartKey: startKey }));
        items.push(...((page.Items ?? []) as Record<string, unknown>[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
    /** Writes `item` into `table` as it is, past every route (a change made outside the product). */
    async put(table: TableName, item: Record<string, unknown>): Promise<void> {
      await doc.send(new PutCommand({ TableName: name(table), Item: item }));
    },
    /** Deletes `items` (by their pk and sk) from `table`. */
    async remove(table: TableName, items: readonly Record<string, unknown>[]): Promise<void> {
      for (let i = 0; i < items.length; i += 25) {
        const requests = items
          .slice(i, i + 25)
          .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
        await doc.send(new BatchWriteCommand({ RequestItems: { [name(table)]: requests } }));
      }
    },
    async vault(memberId: string) {
      return (await this.scan('vault')).filter((i) => i.pk === `V#${memberId}`);
    },
    async key(memberId: string) {
      return (
        await doc.send(new GetCommand({ TableName: name('keys'), Key: { memberId }, ConsistentRead: true }))
      ).Item;
    },
  };
}

/** The vault sort keys a destruction must leave for `profile`: what its catalogue keeps, and the receipt. */
export function expectedVaultKeys(profile: ProfileName): string[] {
  const c = loadCatalogue(profile);
  return [
    ...c.recordClasses.onWithdrawal.filter((id) => c.retention[id]?.keeps).map((id) => `${id}#withdrawal`),
    'RECEIPT',
  ].sort();
}
