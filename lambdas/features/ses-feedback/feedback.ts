/**
 * SES feedback: the configuration set publishes bounce and complaint events to a topic; each
 * permanent bounce or complaint suppresses the recipient's address, so later notices to it are
 * recorded as undeliverable instead of being sent. Transient bounces suppress nothing.
 */
import * as z from 'zod/mini';
import type { Catalogue } from '../../../policy/schema';
import { type SuppressionReason, suppress } from '../../adapters/suppression';

const recipients = z.array(z.object({ emailAddress: z.string() }));

/** The fields of an SES event (configuration-set event publishing, or a feedback notification) we use. */
const sesEventSchema = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
});

/** Counts of one batch of feedback; never addresses. */
export interface FeedbackCounts {
  suppressed: number;
  ignored: number;
}

/** The addresses an SES event asks to suppress, and why. */
export function addressesToSuppress(
  message: string,
): { reason: SuppressionReason; addresses: string[] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const event = sesEventSchema.safeParse(parsed);
  if (!event.success) return undefined;
  const type = event.data.eventType ?? event.data.notificationType;
  if (type === 'Bounce' && event.data.bounce?.bounceType === 'Permanent') {
    return { reason: 'bounce', addresses: event.data.bounce.bouncedRecipients.map((r) => r.emailAddress) };
  }
  if (type === 'Complaint' && event.data.complaint) {
    return {
      reason: 'complaint',
      addresses: event.data.complaint.complainedRecipients.map((r) => r.emailAddress),
    };
  }
  return undefined;
}

/** Records the suppressions of each SES event message. */
export async function recordFeedback(
  c: Catalogue,
  messages: readonly string[],
  now: Date,
): Promise<FeedbackCounts> {
  const counts: FeedbackCounts = { suppressed: 0, ignored: 0 };
  for (const message of messages) {
    const found = addressesToSuppress(message);
    if (!found) {
      counts.ignored++;
      continue;
    }
    for (const address of found.addresses) {
      await suppress(c.profile, c.noticeItem, address, found.reason, now);
      counts.suppressed++;
    }
  }
  return counts;
}
