/**
 * SQS worker of the notices queue: a segment message scans one page of members and queues them;
 * a member message emails one member the notice of one policy version (L18), or of one breach
 * (PIPA Art. 34), once; a usage-segment message emails one page of members their annual notice
 * of usage history (PIPA Art. 20-2), each once a year. Failed
 * messages are reported one by one (partial batch failure); one that keeps failing ends in the
 * dead-letter queue (lambdas/runtime/queue-worker.ts). The log holds counts only.
 */
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import {
  type MemberOutcome as BreachMemberOutcome,
  type BreachNoticeMessage,
  type SegmentOutcome as BreachSegmentOutcome,
  noticeMember as noticeBreachMember,
  processSegment as processBreachSegment,
} from '../features/breaches/notices';
import type { NoticeMessage } from '../features/policy-versions/fanout';
import {
  type MemberNoticeOutcome,
  noticeMember,
  processSegment,
  type SegmentOutcome,
} from '../features/policy-versions/notices';
import { catalogueInForce } from '../features/policy-versions/store';
import {
  processSegment as processUsageSegment,
  type UsageNoticeMessage,
  type SegmentOutcome as UsageSegmentOutcome,
} from '../features/usage-notice/notices';
import { requireEnv } from '../runtime/env';
import { queueWorker } from '../runtime/queue-worker';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const seq = z.int().check(z.minimum(1));
const now = z.iso.datetime({ offset: true });
const breachId = z.string().check(z.regex(/^[0-9a-f-]{36}$/, 'must be a breach id'));
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
  z.strictObject({
    kind: z.literal('breach-segment'),
    breachId,
    segment: z.int().check(z.minimum(0), z.maximum(1023)),
    now,
  }),
  z.strictObject({
    kind: z.literal('breach-member'),
    breachId,
    memberId: z.string().check(z.minLength(1), z.maxLength(256)),
    now,
  }),
  z.strictObject({
    kind: z.literal('usage-segment'),
    year: z.int().check(z.minimum(2000), z.maximum(9999)),
    segment: z.int().check(z.minimum(0), z.maximum(1023)),
    now,
  }),
]);

async function run(
  message: NoticeMessage | BreachNoticeMessage | UsageNoticeMessage,
): Promise<
  SegmentOutcome | MemberNoticeOutcome | BreachSegmentOutcome | BreachMemberOutcome | UsageSegmentOutcome
> {
  const at = new Date(message.now);
  switch (message.kind) {
    case 'segment':
      return processSegment(message.seq, message.segment, at);
    case 'member':
      return noticeMember(catalogue, message.seq, message.memberId, at);
    case 'breach-segment':
      return processBreachSegment(message.breachId, message.segment, at);
    case 'breach-member':
      // The notice names the contacts of the policy version in force (L18).
      return noticeBreachMember(
        await catalogueInForce(catalogue, at),
        message.breachId,
        message.memberId,
        at,
      );
    case 'usage-segment':
      // The notice names the officer of the policy version in force (L18).
      return processUsageSegment(await catalogueInForce(catalogue, at), message.year, message.segment, at);
  }
}

export const handler = queueWorker('notices', messageSchema, (message) =>
  run(message as NoticeMessage | BreachNoticeMessage | UsageNoticeMessage),
);
