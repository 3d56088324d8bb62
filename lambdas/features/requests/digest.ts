/**
 * The officer's daily digest (L14/G10): how many rights requests are past their deadline, as a
 * metric an alarm watches, and an email to the privacy officer listing every unfinished
 * request by deadline. Ids and dates only: the digest carries no member's personal data.
 */

import { seoulDay } from '../../../model/calendar';
import {
  LAGGING_SILOS_METRIC,
  OVERDUE_ACCESS_REVIEWS_METRIC,
  OVERDUE_REQUESTS_METRIC,
} from '../../../model/metrics';
import type { Catalogue } from '../../../policy/schema';
import { claimDay, releaseDay } from '../../adapters/daily-claims';
import { sendEmail } from '../../adapters/mailer';
import { emfLine } from '../../runtime/metrics';
import { isReviewOverdue } from '../access-review/rules';
import { reviewTasks } from '../access-review/store';
import { breachDigestLines } from '../breaches/breaches';
import { laggingSilos, type SiloOutcome } from '../silos/rules';
import { isOverdue, viewOf } from './rules';
import { unfinishedRequests } from './store';

/** Where the digest goes: the officer's address in the catalogue, else the first contact with one. */
export function digestAddress(c: Catalogue): string | undefined {
  return c.contacts.officer.email ?? c.contacts.others.find((o) => o.email)?.email;
}

/**
 * Counts overdue requests, emits the metric and emails the digest, once per Seoul day however
 * often the schedule delivers; returns counts.
 */
export async function runRequestsDigest(
  c: Catalogue,
  now: Date,
  emit: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<{ open: number; overdue: number; overdueReviews: number; digestSent: number }> {
  const unfinished = (await unfinishedRequests())
    .map((r) => viewOf(r, now))
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  const overdue = unfinished.filter((r) => isOverdue(r, now));
  emit(emfLine(OVERDUE_REQUESTS_METRIC, overdue.length, c.profile, now));
  const lagging = (r: object) => laggingSilos(c, (r as { silos?: Record<string, SiloOutcome> }).silos, now);
  emit(emfLine(LAGGING_SILOS_METRIC, unfinished.flatMap(lagging).length, c.profile, now));
  // An unreviewed month of handler access records past its due day (Korean safety standard Art. 8).
  const reviews = (await reviewTasks()).filter((t) => isReviewOverdue(t, now));
  emit(emfLine(OVERDUE_ACCESS_REVIEWS_METRIC, reviews.length, c.profile, now));

  const to = digestAddress(c);
  const day = seoulDay(now);
  if (!to || !(await claimDay('requestsDigest', day, now))) {
    return {
      open: unfinished.length,
      overdue: overdue.length,
      overdueReviews: reviews.length,
      digestSent: 0,
    };
  }
  // Open breaches and their 72-hour clocks (PIPA Art. 34; GDPR Art. 33).
  const breaches = await breachDigestLines(c, now);
  const line = (r: (typeof unfinished)[number]) =>
    `- ${r.deadline}${isOverdue(r, now) ? ' OVERDUE' : ''}  ${r.type} by ${r.channel} (${r.jurisdiction}), ${r.status}, request ${r.requestId}, member ${r.memberId}${lagging(r).length ? `, lagging silos: ${lagging(r).join(', ')}` : ''}`;
  try {
    await sendEmail({
      to,
      subject: `${c.operator.service}: ${overdue.length} overdue of ${unfinished.length} open privacy requests (${day})`,
      text: [
        `Rights requests not yet answered, as of ${day} (Asia/Seoul), by deadline:`,
        '',
        ...(unfinished.length ? unfinished.map(line) : ['(none)']),
        '',
        'Act on them with POST /v1/admin/requests/{requestId}/actions.',
        ...(reviews.length
          ? [
              '',
              'Monthly reviews of handler access records past their due day:',
              ...reviews.map((r) => `- ${r.month} OVERDUE (due ${r.dueBy})`),
              'Sign each off with POST /v1/admin/access-reviews/{month}/sign-off.',
            ]
          : []),
        ...(breaches.length
          ? [
              '',
              'Open personal-data breaches and their clocks:',
              ...breaches,
              '',
              'File reports and close with POST /v1/admin/breaches/{breachId}/actions.',
            ]
          : []),
      ].join('\n'),
    });
  } catch (error) {
    await releaseDay('requestsDigest', day);
    throw error;
  }
  return { open: unfinished.length, overdue: overdue.length, overdueReviews: reviews.length, digestSent: 1 };
}
