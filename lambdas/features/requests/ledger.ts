/**
 * The ledger of rights requests (L14/G10, L16): every request, self-service or offline, with
 * its type, channel, receipt, deadline, status, handler and outcome. Offline requests wait for
 * identity-verification evidence before anything can be done on them; an action claims its
 * request while it runs. The rules are in rules.ts; running a request from receipt to outcome
 * is in rights.ts.
 */

import { epochSeconds, seoulDay } from '../../../model/calendar';
import type { OFFLINE_CHANNELS } from '../../../model/routes/officer';
import { DEFAULT_LANGUAGE } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { dataKeyOf } from '../../adapters/data-keys';
import { sealLogField } from '../../adapters/log-sealer';
import { sendEmail } from '../../adapters/mailer';
import { InvalidInput } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { requestScopedId } from '../../runtime/request-ids';
import { loadMemberData } from '../members/store';
import { noticeAddress } from '../restriction/restriction';
import {
  ACTING_LEASE_SECONDS,
  claimRefusal,
  extensionNoticeText,
  extensionRefusal,
  firstDeadline,
  type Jurisdiction,
  OPEN,
  type RequestFilter,
  type RequestRecord,
  type RequestType,
  type RequestView,
  requestDeadline,
  requestExpiry,
  selectRequests,
  type VerificationMethod,
  verificationRefusal,
  viewOf,
} from './rules';
import {
  candidateRequests,
  markExtensionNoticed,
  putNewRequest,
  requireRequest,
  updateRequestFrom,
} from './store';

/** What the officer states when logging an offline request. */
export interface OfflineRequest {
  readonly memberId: string;
  readonly type: RequestType;
  readonly channel: (typeof OFFLINE_CHANNELS)[number];
  readonly receivedAt?: string;
  readonly jurisdiction?: Jurisdiction;
  readonly verification?: { method: VerificationMethod; reference: string };
}

const sealReference = (requestId: string, reference: string) =>
  sealLogField(reference, { record: 'request-verification', requestId });

/**
 * Logs a request received by letter, phone or email. With an Idempotency-Key the request's id
 * derives from it, so the same intake run again finds the record it made.
 */
export async function logOfflineRequest(
  c: Catalogue,
  officerId: string,
  input: OfflineRequest,
  now: Date,
  idempotencyKey?: string,
): Promise<RequestView> {
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime()) {
    throw new InvalidInput([{ field: 'receivedAt', problem: 'must not be in the future' }]);
  }
  const requestId = requestScopedId('request', input.memberId, idempotencyKey);
  const jurisdiction = input.jurisdiction ?? 'pipa';
  const at = now.toISOString();
  const verified = input.verification
    ? {
        method: input.verification.method,
        reference: await sealReference(requestId, input.verification.reference),
        at,
        by: officerId,
      }
    : undefined;
  const record: RequestRecord = {
    requestId,
    memberId: input.memberId,
    type: input.type,
    channel: input.channel,
    jurisdiction,
    receivedAt: receivedAt.toISOString(),
    deadline: firstDeadline(c, jurisdiction, receivedAt),
    status: verified ? 'open' : 'awaiting-verification',
    openStatus: OPEN,
    handler: officerId,
    ...(verified ? { verification: verified } : {}),
    expiresAt: requestExpiry(c, receivedAt),
  };
  if (await putNewRequest(record)) return viewOf(record, now);
  return viewOf(await requireRequest(requestId), now);
}

/** Records the identity-verification evidence of an offline request; it becomes open. */
export async function verifyRequest(
  requestId: string,
  officerId: string,
  evidence: { method: VerificationMethod; reference: string },
  now: Date,
): Promise<RequestView> {
  const record = await requireRequest(requestId);
  const refusal = verificationRefusal(record);
  if (refusal) throw refusal;
  const verification = {
    method: evidence.method,
    reference: await sealReference(requestId, evidence.reference),
    at: now.toISOString(),
    by: officerId,
  };
  await updateRequestFrom(record, { status: 'open', verification });
  return viewOf({ ...record, status: 'open', verification }, now);
}

/**
 * Extends a GDPR request's deadline; the total extension may not pass `gdprMaxExtension`. The
 * same delivery (Idempotency-Key) run again finds its extension made and extends nothing more.
 */
export async function extendRequest(
  c: Catalogue,
  requestId: string,
  officerId: string,
  months: number,
  reason: string,
  now: Date,
  idempotencyKey?: string,
): Promise<RequestView> {
  const record = await requireRequest(requestId);
  const ref = idempotencyKey ? requestScopedId('extension', requestId, idempotencyKey) : undefined;
  if (ref && record.extension?.ref === ref) {
    // The same delivery again: the extension stands; the member is told if the email failed before.
    if (!record.extension.noticeSentAt) await tellMemberOfExtension(c, record, months, now);
    return viewOf(record, now);
  }
  const total = (record.extension?.months ?? 0) + months;
  const refusal = extensionRefusal(c, record, total);
  if (refusal) throw refusal;
  const extension = { months: total, reason, at: now.toISOString(), by: officerId, ...(ref ? { ref } : {}) };
  const deadline = requestDeadline(c, 'gdpr', new Date(record.receivedAt), total);
  await updateRequestFrom(record, { extension, deadline });
  const extended = { ...record, extension, deadline };
  await tellMemberOfExtension(c, extended, months, now);
  return viewOf(extended, now);
}

/**
 * Tells the member of an extension, with its reason, in their language (GDPR Art. 12(3)): the
 * extension is only made while the first deadline runs, so the email goes within the first
 * month. Marked on the record once sent, so a repeated delivery sends no second email; a failed
 * email fails the call, and its retry sends it. A requester who is no member (or no longer) has
 * no address held, so nobody is emailed.
 */
async function tellMemberOfExtension(
  c: Catalogue,
  record: RequestRecord,
  months: number,
  now: Date,
): Promise<void> {
  if (!record.extension) return;
  const data = await loadMemberData(record.memberId);
  if (!data) return;
  const key = await dataKeyOf(record.memberId);
  const to = key ? noticeAddress(c, data, key, now) : undefined;
  if (!to) return;
  const lang = data.profile.lang ?? DEFAULT_LANGUAGE;
  await sendEmail({
    to,
    ...extensionNoticeText(c, record, { months, reason: record.extension.reason }, lang),
  });
  await markExtensionNoticed(record.requestId, record.extension.at, now);
}

/**
 * Claims a verified, unfinished request for an action, so that two deliveries of an action
 * never run it together: the second is told it is in progress (409). A claim whose delivery
 * crashed lapses after {@link ACTING_LEASE_SECONDS}; one that failed is released at once.
 */
export async function claimRequest(requestId: string, now: Date): Promise<RequestRecord> {
  const record = await requireRequest(requestId);
  const refusal = claimRefusal(record, now);
  if (refusal) throw refusal;
  const actingUntil = epochSeconds(now) + ACTING_LEASE_SECONDS;
  await updateRequestFrom(record, { status: 'acting', actingUntil });
  return { ...record, status: 'acting', actingUntil };
}

/** Gives a claimed request back after its action failed, so a retry may act at once. */
export async function releaseRequest(claimed: RequestRecord): Promise<void> {
  try {
    await updateRequestFrom(claimed, { status: 'open' }, ['actingUntil']);
  } catch (error) {
    // The claim lapses by itself.
    logger.warn('request claim left to lapse', {
      requestId: claimed.requestId,
      error: (error as Error).name,
    });
  }
}

/** Closes a request with its outcome (no personal data: ids and counts only). */
export async function closeRequest(
  record: RequestRecord,
  officerId: string,
  status: 'completed' | 'refused',
  outcome: { action: string; summary: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await updateRequestFrom(
    record,
    { status, outcome: { ...outcome, at, by: officerId }, closedAt: at, handler: officerId },
    ['openStatus', 'actingUntil'],
  );
}

/** The ledger, filtered, newest receipt first. */
export async function listRequests(filter: RequestFilter, now: Date): Promise<RequestView[]> {
  return selectRequests(await candidateRequests(filter, seoulDay(now)), filter, now);
}
