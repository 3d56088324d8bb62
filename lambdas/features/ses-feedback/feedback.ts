/**
 * SES feedback: the configuration set publishes bounce and complaint events to a topic; each
 * permanent bounce or complaint suppresses the recipient's address, so later notices to it are
 * recorded as undeliverable instead of being sent. Transient bounces suppress nothing.
 */
import type { Catalogue } from '../../../policy/schema';
import { suppress } from '../../adapters/suppression';
import { addressesToSuppress } from './rules';

/** Counts of one batch of feedback; never addresses. */
export interface FeedbackCounts {
  suppressed: number;
  ignored: number;
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
