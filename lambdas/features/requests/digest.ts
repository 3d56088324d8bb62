/**
 * The officer's daily digest (L14/G10): how many rights requests are past their deadline, as a
 * metric an alarm watches, and an email to the privacy officer listing every unfinished
 * request by deadline. Ids and dates only: the digest carries no member's personal data.
 */

import { seoulDay, seoulDayText } from '../../../model/calendar';
import { LAGGING_SILOS_METRIC, OVERDUE_REQUESTS_METRIC } from '../../../model/metrics';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { claimDay, releaseDay } from '../../adapters/daily-claims';
import { sendEmail } from '../../adapters/mailer';
import { emfLine } from '../../runtime/metrics';
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
  },
} as const;

/** A request as the digest lists it. */
type DigestRequest = ReturnType<typeof viewOf>;

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
): { subject: string; text: string } {
  const w = DIGEST[lang];
  const overdue = unfinished.filter((r) => isOverdue(r, now)).length;
  const line = (r: DigestRequest) =>
    `- ${r.deadline}${isOverdue(r, now) ? w.overdue : ''}  ${w.line(r, lagging(r).join(', '))}`;
  const today = seoulDayText(day, lang);
  return {
    subject: w.subject(c.operator.service[lang], overdue, unfinished.length, today),
    text: [w.head(today), '', ...(unfinished.length ? unfinished.map(line) : [w.none]), '', w.act].join('\n'),
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
): Promise<{ open: number; overdue: number; digestSent: number }> {
  const unfinished = (await unfinishedRequests())
    .map((r) => viewOf(r, now))
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  const overdue = unfinished.filter((r) => isOverdue(r, now));
  emit(emfLine(OVERDUE_REQUESTS_METRIC, overdue.length, c.profile, now));
  const lagging = (r: object) => laggingSilos(c, (r as { silos?: Record<string, SiloOutcome> }).silos, now);
  emit(emfLine(LAGGING_SILOS_METRIC, unfinished.flatMap(lagging).length, c.profile, now));

  const to = digestAddress(c);
  const day = seoulDay(now);
  if (!to || !(await claimDay('requestsDigest', day, now))) {
    return { open: unfinished.length, overdue: overdue.length, digestSent: 0 };
  }
  const lang = c.contacts.officer.lang ?? DEFAULT_LANGUAGE;
  try {
    await sendEmail({ to, ...digestEmail(c, unfinished, now, day, lang, lagging) });
  } catch (error) {
    await releaseDay('requestsDigest', day);
    throw error;
  }
  return { open: unfinished.length, overdue: overdue.length, digestSent: 1 };
}
