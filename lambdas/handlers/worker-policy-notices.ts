/**
 * SQS worker of the policy-notices queue (L18): a segment message scans one page of members and
 * queues them; a member message emails one member the notice of one version, once. Failed
 * messages are reported one by one (partial batch failure); one that keeps failing ends in the
 * dead-letter queue. The log holds counts only.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import type { NoticeMessage } from '../features/policy-versions/fanout';
import {
  type MemberNoticeOutcome,
  noticeMember,
  processSegment,
  type SegmentOutcome,
} from '../features/policy-versions/notices';
import { requireEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const seq = z.int().check(z.minimum(1));
const now = z.iso.datetime({ offset: true });
const messageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('segment'),
    seq,
    segment: z.int().check(z.minimum(0), z.maximum(1023)),
    now,
  }),
  z.strictObject({
    kind: z.literal('member'),
    seq,
    memberId: z.string().check(z.minLength(1), z.maxLength(256)),
    now,
  }),
]);

function run(message: NoticeMessage): Promise<SegmentOutcome | MemberNoticeOutcome> {
  return message.kind === 'segment'
    ? processSegment(message.seq, message.segment, new Date(message.now))
    : noticeMember(catalogue, message.seq, message.memberId, new Date(message.now));
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const counts: Record<string, number> = { failed: 0 };
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  // One message at a time: instances, not records, are the unit of parallelism (maxConcurrency).
  for (const record of event.Records) {
    try {
      const outcome = await run(messageSchema.parse(JSON.parse(record.body)) as NoticeMessage);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    } catch (error) {
      counts.failed!++;
      batchItemFailures.push({ itemIdentifier: record.messageId });
      logger.warn('policy notice step failed', {
        messageId: record.messageId,
        error: (error as Error)?.name,
      });
    }
  }
  logger.info('policy notices batch', { messages: event.Records.length, ...counts });
  return { batchItemFailures };
};
