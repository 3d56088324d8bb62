/**
 * The publisher of lifecycle events: consumes the outbox table's stream (new items only, by the
 * event source's filter) and puts each on the stack's bus. A failure answers the first record
 * not published, so Lambda retries from it (partial batch failures); one that keeps failing goes
 * to the failure destination, where an alarm sees it.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type OutboxRecord, publishRecords } from '../features/lifecycle/publish';
import { logger } from '../runtime/logger';

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records: OutboxRecord[] = event.Records.map((r) => ({
    sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
    image: (r.dynamodb?.NewImage ?? {}) as OutboxRecord['image'],
  }));
  const outcome = await publishRecords(records);
  logger.info('outbox batch', {
    records: records.length,
    published: outcome.published,
    calls: outcome.calls,
    failed: outcome.retryFrom !== undefined,
  });
  return { batchItemFailures: outcome.retryFrom ? [{ itemIdentifier: outcome.retryFrom }] : [] };
};
