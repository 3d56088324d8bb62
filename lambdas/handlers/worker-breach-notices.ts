/**
 * SQS worker of the breach-notices queue (PIPA Art. 34; GDPR Art. 34): a segment message finds
 * one page of affected members and queues them; a member message emails one member the notice of
 * one breach, once. Failed messages are reported one by one; one that keeps failing ends in the
 * dead-letter queue. The log holds counts only.
 */
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import {
  type BreachNoticeMessage,
  type MemberOutcome,
  noticeMember,
  processSegment,
  type SegmentOutcome,
} from '../features/breaches/notices';
import { catalogueInForce } from '../features/policy-versions/store';
import { requireEnv } from '../runtime/env';
import { queueWorker } from '../runtime/queue-worker';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const breachId = z.string().check(z.regex(/^[0-9a-f-]{36}$/, 'must be a breach id'));
const now = z.iso.datetime({ offset: true });
const messageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('segment'),
    breachId,
    segment: z.int().check(z.minimum(0), z.maximum(1023)),
    now,
  }),
  z.strictObject({
    kind: z.literal('member'),
    breachId,
    memberId: z.string().check(z.minLength(1), z.maxLength(256)),
    now,
  }),
]);

async function run(message: BreachNoticeMessage): Promise<SegmentOutcome | MemberOutcome> {
  const at = new Date(message.now);
  if (message.kind === 'segment') return processSegment(message.breachId, message.segment, at);
  // The notice names the contacts of the policy version in force (L18).
  return noticeMember(await catalogueInForce(catalogue, at), message.breachId, message.memberId, at);
}

export const handler = queueWorker('breach notices', messageSchema, (message) =>
  run(message as BreachNoticeMessage),
);
