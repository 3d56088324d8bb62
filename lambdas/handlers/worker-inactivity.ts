/**
 * SQS worker of the inactivity queue: one member per message, each taken one step further.
 * Failed messages are reported individually (partial batch failure), so the rest of the batch
 * is not redelivered; a message that keeps failing ends in the dead-letter queue.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { type MemberOutcome, processMember } from '../features/inactivity/engine';
import { catalogueInForce } from '../features/policy-versions/store';
import { requireEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const messageSchema = z.strictObject({
  memberId: z.string().check(z.minLength(1), z.maxLength(256)),
  now: z.iso.datetime({ offset: true }),
});

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const counts: Record<MemberOutcome | 'failed', number> = {
    notified: 0,
    undeliverable: 0,
    destroyed: 0,
    waiting: 0,
    cancelled: 0,
    gone: 0,
    failed: 0,
  };
  // One member at a time: instances, not records, are the unit of parallelism (maxConcurrency),
  // so the load on DynamoDB, KMS and SES stays within what the queue's settings promise.
  const results: PromiseSettledResult<MemberOutcome>[] = [];
  for (const record of event.Records) {
    try {
      const message = messageSchema.parse(JSON.parse(record.body));
      const now = new Date(message.now);
      // The notice names the contacts of the policy version in force (L18).
      results.push({
        status: 'fulfilled',
        value: await processMember(await catalogueInForce(catalogue, now), message.memberId, now),
      });
    } catch (reason) {
      results.push({ status: 'rejected', reason });
    }
  }
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      counts[result.value]++;
    } else {
      counts.failed++;
      batchItemFailures.push({ itemIdentifier: event.Records[i]!.messageId });
      logger.warn('inactivity step failed', {
        messageId: event.Records[i]!.messageId,
        error: (result.reason as Error)?.name,
      });
    }
  });
  logger.info('inactivity batch', { messages: event.Records.length, ...counts });
  return { batchItemFailures };
};
