/**
 * Effects a job may have once a day (the officer's digest). Scheduler delivers at least once, so
 * the effect is claimed for its Asia/Seoul day before it happens: a second delivery, at once or
 * later, finds the claim and does nothing. Claims live in the idempotency table under their own
 * prefix and expire with its records.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { awsCall } from './aws-call';
import { documentClient, putIf, tableName } from './dynamodb';

/** How long a claim is kept: past any redelivery of the day's event. */
const CLAIM_SECONDS = 3 * 24 * 3600;

const claimId = (job: string, day: string) => `daily#${job}#${day}`;

/** Claims `job`'s effect for `day` (YYYY-MM-DD); false when it is claimed already. */
export async function claimDay(job: string, day: string, now: Date): Promise<boolean> {
  return putIf({
    TableName: tableName('idempotency'),
    Item: {
      id: claimId(job, day),
      claimedAt: now.toISOString(),
      expiration: Math.floor(now.getTime() / 1000) + CLAIM_SECONDS,
    },
    ConditionExpression: 'attribute_not_exists(id)',
  });
}

/** Gives the day back after the effect failed, so the retry of the event may have it. */
export async function releaseDay(job: string, day: string): Promise<void> {
  try {
    await awsCall('dynamodb', () =>
      documentClient.send(
        new DeleteCommand({ TableName: tableName('idempotency'), Key: { id: claimId(job, day) } }),
      ),
    );
  } catch (error) {
    // Left claimed: the day's effect is missed rather than repeated.
    logger.warn('daily claim not released', { job, day, error: (error as Error).name });
  }
}
