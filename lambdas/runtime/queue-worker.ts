/**
 * The edge of every SQS worker, written once: each message parsed against the worker's schema
 * and handled one after another (instances, not records, are the unit of parallelism, so the
 * load stays within the queue's `maxConcurrency`), failures reported one by one as partial batch
 * failures so the rest of the batch is not redelivered, and counts of outcomes in the log. A
 * message that keeps failing ends in the dead-letter queue. The log holds ids and counts only.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from './logger';

/** What checks a message: a zod schema, or a parser that throws on what the schema would refuse. */
export interface MessageSchema<Message> {
  parse(input: unknown): Message;
}

/**
 * The Lambda handler of a queue worker: `handle` takes one parsed message and returns the name
 * of its outcome, which is counted; a thrown error fails that message alone.
 */
export function queueWorker<Message>(
  name: string,
  schema: MessageSchema<Message>,
  handle: (message: Message) => Promise<string>,
) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const counts: Record<string, number> = { failed: 0 };
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const outcome = await handle(schema.parse(JSON.parse(record.body)));
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      } catch (error) {
        counts.failed!++;
        batchItemFailures.push({ itemIdentifier: record.messageId });
        logger.warn(`${name} step failed`, { messageId: record.messageId, error: (error as Error)?.name });
      }
    }
    logger.info(`${name} batch`, { messages: event.Records.length, ...counts });
    return { batchItemFailures };
  };
}
