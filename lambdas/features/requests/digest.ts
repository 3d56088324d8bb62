/**
 * The officer's daily digest (L14/G10): how many rights requests are past their deadline, as a
 * metric an alarm watches, and an email to the privacy officer listing every unfinished
 * request by deadline. Ids and dates only: the digest carries no member's personal data.
 */

import { seoulDay, seoulDayText } from '../../../model/calendar';
import {
  LAGGING_SILOS_METRIC,
  OVERDUE_ACCESS_REVIEWS_METRIC,
  OVERDUE_REQUESTS_METRIC,
} from '../../../model/metrics';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
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

/** Words of the digest, by language. */
const DIGEST = {
  ko: {
    overdue: ' 기한 초과',
    line: (r: DigestRequest, lagging: string) =>
      `${r.type}, ${r.channel} 접수 (${r.jurisdiction}), ${r.status}, 요청 ${r.requestId}, 회원 ${r.memberId}${lagging ? `, 응답 지연 저장소: ${lagging}` : ''}`,
    subject: (service: string, overdue: number, open: number, day: string) =>
      `[${service}] 처리 중인 개인정보 요청 ${open}건 중 ${overdue}건 기한 초과 (${day})`,
    head: (day: string) => `${day} 기준(Asia/Seoul) 아직 답하지 않은 권리 요청, 기한순:`,
    none: '(없음)',
    act: 'POST /v1/admin/requests/{requestId}/actions로 처리하세요.',
    reviewsHead: '기한이 지난 개인정보취급자 접속기록 월간 점검:',
    review: (month: string, dueBy: string) => `- ${month} 기한 초과 (기한 ${dueBy})`,
    reviewsAct: 'POST /v1/admin/access-reviews/{month}/sign-off로 각 점검을 승인하세요.',
    breachesHead: '처리 중인 개인정보 유출 사고와 통지 기한:',
    breachesAct: 'POST /v1/admin/breaches/{breachId}/actions로 신고를 기록하고 종결하세요.',
  },
  en: {
    overdue: ' OVERDUE',
    line: (r: DigestRequest, lagging: string) =>
      `${r.type} by ${r.channel} (${r.jurisdiction}), ${r.status}, request ${r.requestId}, member ${r.memberId}${lagging ? `, lagging silos: ${lagging}` : ''}`,
    subject: (service: string, overdue: number, open: number, day: string) =>
      `${service}: ${overdue} overdue of ${open} open privacy requests (${day})`,
    head: (day: string) => `Rights requests not yet answered, as of ${day} (Asia/Seoul), by deadline:`,
    none: '(none)',
    act: 'Act on them with POST /v1/admin/requests/{requestId}/actions.',
    reviewsHead: 'Monthly reviews of handler access records past their due day:',
    review: (month: string, dueBy: string) => `- ${month} OVERDUE (due ${dueBy})`,
    reviewsAct: 'Sign each off with POST /v1/admin/access-reviews/{month}/sign-off.',
    breachesHead: 'Open personal-data breaches and their clocks:',
    breachesAct: 'File reports and close with POST /v1/admin/breaches/{breachId}/actions.',
  },
} as const;

/** A request as the digest lists it. */
type DigestRequest = ReturnType<typeof viewOf>;

/**
 * What the digest lists besides requests: monthly access reviews past their due day (Korean
 * safety standard Art. 8), and open breaches with their 72-hour clocks (PIPA Art. 34; GDPR Art. 33).
 */
export interface DigestExtras {
  readonly overdueReviews: readonly { readonly month: string; readonly dueBy: string }[];
  readonly breaches: readonly string[];
}

/**
 * The digest in the officer's language: ids, dates and states only, never personal data. The
 * officer reads Korean unless the catalogue's officer contact states another language.
 */
export function digestEmail(
  c: Catalogue,
  unfinished: readonly DigestRequest[],
  now: Date,
  day: string,
  lang: Language,
  lagging: (r: DigestRequest) => readonly string[],
  extras: DigestExtras = { overdueReviews: [], breaches: [] },
): { subject: string; text: string } {
  const w = DIGEST[lang];
  const overdue = unfinished.filter((r) => isOverdue(r, now)).length;
  const line = (r: DigestRequest) =>
    `- ${r.deadline}${isOverdue(r, now) ? w.overdue : ''}  ${w.line(r, lagging(r).join(', '))}`;
  const today = seoulDayText(day, lang);
  return {
    subject: w.subject(c.operator.service[lang], overdue, unfinished.length, today),
    text: [
      w.head(today),
      '',
      ...(unfinished.length ? unfinished.map(line) : [w.none]),
      '',
      w.act,
      ...(extras.overdueReviews.length
        ? ['', w.reviewsHead, ...extras.overdueReviews.map((r) => w.review(r.month, r.dueBy)), w.reviewsAct]
        : []),
      ...(extras.breaches.length ? ['', w.breachesHead, ...extras.breaches, '', w.breachesAct] : []),
    ].join('\n'),
  };
}

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
  const counts = { open: unfinished.length, overdue: overdue.length, overdueReviews: reviews.length };

  const to = digestAddress(c);
  const day = seoulDay(now);
  if (!to || !(await claimDay('requestsDigest', day, now))) return { ...counts, digestSent: 0 };
  const lang = c.contacts.officer.lang ?? DEFAULT_LANGUAGE;
  try {
    const breaches = await breachDigestLines(c, now);
    const extras = { overdueReviews: reviews, breaches };
    await sendEmail({ to, ...digestEmail(c, unfinished, now, day, lang, lagging, extras) });
  } catch (error) {
    await releaseDay('requestsDigest', day);
    throw error;
  }
  return { ...counts, digestSent: 1 };
}
