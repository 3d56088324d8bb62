/**
 * SQS worker of the policy-notices queue (L18): a segment message scans one page of members and
 * queues them; a member message emails one member the notice of one version, once. Failed
 * messages are reported one by one (partial batch failure); one that keeps failing ends in the
 * dead-letter queue (lambdas/runtime/queue-worker.ts). The log holds counts only.
 */
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
import { queueWorker } from '../runtime/queue-worker';

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

export const handler = queueWorker('policy notices', messageSchema, (message) =>
  run(message as NoticeMessage),
);
