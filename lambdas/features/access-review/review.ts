/**
 * The monthly review of handler access records (Korean safety standard Art. 8). A run assembles
 * a month once: it reads the chain oldest first, checks the links of the month's records (with
 * the record before and after them, so a record cut from either end shows), counts each officer's
 * records of the months before for their baseline, writes each officer's evidence, opens the
 * month's task and emails the privacy officer. Every write is conditional, so a rerun after a
 * crash at any step adds what is missing and nothing twice; the task is written last, so a month
 * whose task exists has all its evidence.
 */
import type { Catalogue } from '../../../policy/schema';
import { claimDay, releaseDay } from '../../adapters/daily-claims';
import { openLogField } from '../../adapters/log-sealer';
import { sendEmail } from '../../adapters/mailer';
import { NotFound } from '../../runtime/errors';
import { type AccessRecord, checkChain, recordHash, sealContext } from '../access-records/rules';
import { chainRecords } from '../access-records/store';
import { digestAddress } from '../requests/digest';
import {
  assembleEvidence,
  isReviewOverdue,
  MONTH_PATTERN,
  monthBounds,
  type OfficerEvidence,
  type ReviewedRecord,
  type ReviewTask,
  reviewExpiry,
  reviewTask,
  shiftMonth,
  signOffRefusal,
} from './rules';
import {
  evidenceOf,
  markOfficerTold,
  putEvidence,
  putTask,
  reviewTaskOf,
  reviewTasks,
  signOffTask,
} from './store';

/** Records after a month's last one past which the review stops looking for late ones. */
const LATE_RECORDS = 1000;

/**
 * A month's records, each officer's count over the history months, and the stretch of the chain
 * to check: from the record before the month's first to the record after its last, every record
 * between included (a record written late, or with a skewed clock, keeps its place in the chain).
 */
async function readMonth(c: Catalogue, month: string) {
  const { start, end } = monthBounds(month);
  const historyStart = monthBounds(shiftMonth(month, -c.accessReview.unusualVolume.historyMonths)).start;
  const inMonth = (r: AccessRecord) => {
    const at = Date.parse(r.at);
    return at >= start.getTime() && at < end.getTime();
  };
  const records: AccessRecord[] = [];
  const history = new Map<string, number>();
  const window: AccessRecord[] = [];
  // Records read since the last record of the month: they join the window only if another
  // record of the month follows them; the first of them closes the window.
  let pending: AccessRecord[] = [];
  let previous: AccessRecord | undefined;
  for await (const record of chainRecords()) {
    const at = Date.parse(record.at);
    if (at >= historyStart.getTime() && at < start.getTime()) {
      history.set(record.officerId, (history.get(record.officerId) ?? 0) + 1);
    }
    if (inMonth(record)) {
      if (window.length === 0 && previous) window.push(previous);
      window.push(...pending, record);
      pending = [];
      records.push(record);
    } else if (window.length > 0) {
      pending.push(record);
      // Far past the month's last record: no record of the month comes after this many.
      if (pending.length > LATE_RECORDS) break;
    }
    previous = record;
  }
  if (pending[0]) window.push(pending[0]);
  return { records, history, window };
}

/** A record with the reason of a download opened; an altered record's sealed fields stay closed. */
async function reviewed(record: AccessRecord): Promise<ReviewedRecord> {
  const { seq, at, officerId, action, memberId, requestId, download } = record;
  const base = {
    seq,
    at,
    officerId,
    action,
    ...(memberId ? { memberId } : {}),
    ...(requestId ? { requestId } : {}),
    ...(download ? { download } : {}),
  };
  if (!download) return base;
  if (recordHash(record) !== record.hash) return { ...base, reason: '(record altered: not opened)' };
  const opened = JSON.parse(await openLogField(record.sealed, sealContext(officerId, at))) as {
    reason?: string;
  };
  return { ...base, reason: opened.reason ?? '' };
}

async function* of<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** The email telling the privacy officer a month's review is open (officers read Korean). */
function taskEmail(c: Catalogue, task: ReviewTask) {
  const chain = task.chain.intact
    ? `해시 체인: 정상 (${task.chain.records}건 확인)`
    : `해시 체인: 손상 — 일련번호 ${task.chain.brokenAt?.seq}에서 ${task.chain.brokenAt?.problem}`;
  return {
    subject: `${c.operator.service.ko}: ${task.month} 개인정보취급자 접속기록 월간 점검`,
    text: [
      `${task.month}의 접속기록 점검 과제가 열렸습니다 (개인정보의 안전성 확보조치 기준 제8조).`,
      '',
      `접속기록: ${task.records}건, 취급자 ${task.officers}명`,
      chain,
      `다운로드: ${task.flags.downloads}건, 업무시간 외 처리: ${task.flags.outsideHours}건, 평소보다 많은 처리량: ${task.flags.unusualVolume}명`,
      `점검 기한: ${task.dueBy}`,
      '',
      `GET /v1/admin/access-reviews/${task.month} 에서 내용을 확인하고 POST /v1/admin/access-reviews/${task.month}/sign-off 로 점검을 완료하십시오.`,
    ].join('\n'),
  };
}

/**
 * Assembles `month`'s review if no run has, and tells the privacy officer once; returns counts.
 * Each step is repeatable: evidence and task are put only where absent, and the email is claimed
 * for the month before it goes (released if SES refuses it).
 */
export async function assembleReview(
  c: Catalogue,
  month: string,
  now: Date,
): Promise<{ assembled: number; officers: number; records: number; intact: number; officerTold: number }> {
  let task = await reviewTaskOf(month);
  let assembled = 0;
  if (!task) {
    const { records, history, window } = await readMonth(c, month);
    const chain = await checkChain(of(window));
    const opened: ReviewedRecord[] = [];
    for (const record of records) opened.push(await reviewed(record));
    const evidence = assembleEvidence(c, opened, history);
    const expiresAt = reviewExpiry(c, month);
    for (const e of evidence) await putEvidence(month, e, expiresAt);
    const fresh = reviewTask(c, month, evidence, chain, now);
    if (await putTask(fresh)) assembled = 1;
    task = (await reviewTaskOf(month)) ?? fresh;
  }
  let officerTold = 0;
  const to = digestAddress(c);
  if (!task.officerToldAt && to) {
    if (await claimDay('accessReview', month, now)) {
      try {
        await sendEmail({ to, ...taskEmail(c, task) });
      } catch (error) {
        await releaseDay('accessReview', month);
        throw error;
      }
      officerTold = 1;
    }
    await markOfficerTold(month, now.toISOString());
  }
  return {
    assembled,
    officers: task.officers,
    records: task.records,
    intact: task.chain.intact ? 1 : 0,
    officerTold,
  };
}

/** A task as the officer's API shows it: with whether it is overdue. */
export type ReviewView = ReviewTask & { readonly overdue: boolean };

const viewOf = (task: ReviewTask, now: Date): ReviewView => ({
  ...task,
  overdue: isReviewOverdue(task, now),
});

/** Every month's review, newest first, each with whether it is overdue. */
export async function listReviews(now: Date): Promise<{ reviews: ReviewView[]; overdue: number }> {
  const reviews = (await reviewTasks()).map((t) => viewOf(t, now)).reverse();
  return { reviews, overdue: reviews.filter((r) => r.overdue).length };
}

/** A month's review with each officer's evidence; 404 before the month is assembled. */
export async function readReview(
  month: string,
  now: Date,
): Promise<ReviewView & { evidence: OfficerEvidence[] }> {
  const task = MONTH_PATTERN.test(month) ? await reviewTaskOf(month) : undefined;
  if (!task) throw noReview(month);
  return { ...viewOf(task, now), evidence: await evidenceOf(month) };
}

/**
 * Signs a month's review off with the privacy officer's note, once: another sign-off is 409; the
 * same officer's same note again answers the sign-off made.
 */
export async function signOffReview(
  month: string,
  officerId: string,
  note: string,
  now: Date,
): Promise<ReviewView> {
  const task = MONTH_PATTERN.test(month) ? await reviewTaskOf(month) : undefined;
  if (!task) throw noReview(month);
  // The same officer's same sign-off again (a retry whose answer was lost) is that sign-off.
  if (task.signOff?.by === officerId && task.signOff.note === note) return viewOf(task, now);
  const refusal = signOffRefusal(task);
  if (refusal) throw refusal;
  const signed = await signOffTask(month, { by: officerId, at: now.toISOString(), note });
  if (!signed) throw signOffRefusal({ status: 'signed-off' })!;
  return viewOf(signed, now);
}

function noReview(month: string): NotFound {
  // The month is echoed only when it is one: a path parameter may hold anything.
  const which = MONTH_PATTERN.test(month) ? `of ${month} ` : '';
  return new NotFound(
    'No review',
    `No review ${which}is assembled; months are YYYY-MM, and the monthly job assembles one once it has ended.`,
  );
}
