/**
 * What an SES feedback event asks for: a permanent bounce or a complaint suppresses the
 * recipients' addresses; a transient bounce, any other event, or a message that is not an SES
 * event asks for nothing.
 */
import * as z from 'zod/mini';

const recipients = z.array(z.object({ emailAddress: z.string() }));

/** The fields of an SES event (configuration-set event publishing, or a feedback notification) we use. */
const sesEventSchema = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
});

/** Why an address is suppressed. */
export type FeedbackReason = 'bounce' | 'complaint';

/** The addresses an SES event asks to suppress, and why. */
export function addressesToSuppress(
  message: string,
): { reason: FeedbackReason; addresses: string[] } | undefined {
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
