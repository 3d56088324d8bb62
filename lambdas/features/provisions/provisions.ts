/**
 * Provision of personal data to third parties (L5/G6) and correction propagation (L15/G11).
 * A provision is recorded only when the member consented to that recipient and purpose — the
 * catalogue names the recipients a consent purpose covers, and the member granted it — or a
 * legal basis other than consent is recorded with its reference. Items under correction and
 * restricted members are never provided (rules.ts). When a correction of a provided item
 * completes, each recipient that received the item is sent the corrected result once.
 */

import { membersTable } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { sendEmail } from '../../adapters/mailer';
import { logger } from '../../runtime/logger';
import { requestScopedId } from '../../runtime/request-ids';
import {
  binding,
  type CorrectionNoticeRecord,
  type MemberData,
  openItems,
  type ProvisionRecord,
  requireDataKey,
  requireMemberData,
} from '../members/store';
import {
  changeNoticeText,
  correctionNoticeText,
  type ProvisionRequest,
  provisionRefusal,
  type RecipientChange,
  recipientsOf,
} from './rules';
import { claimCorrectionNotice, returnNoticeToPending, saveProvision } from './store';

/**
 * Records a provision; the member sees it in GET /v1/me. With an Idempotency-Key the id derives
 * from it, so the same request run again finds the provision it recorded.
 */
export async function recordProvision(
  c: Catalogue,
  officerId: string,
  request: ProvisionRequest,
  now: Date,
  idempotencyKey?: string,
): Promise<Omit<ProvisionRecord, 'pk' | 'sk'>> {
  const strip = ({ pk: _pk, sk: _sk, ...view }: ProvisionRecord) => view;
  const data = await requireMemberData(request.memberId);
  const provisionId = requestScopedId('provision', request.memberId, idempotencyKey);
  const made = data.provisions.find((p) => p.provisionId === provisionId);
  if (made) return strip(made);
  const refusal = provisionRefusal(c, data, request, now);
  if (refusal) {
    throw refusal;
  }
  const at = now.toISOString();
  const record: ProvisionRecord = {
    ...membersTable.provision(request.memberId, at, provisionId),
    provisionId,
    recipient: request.recipient.name,
    recipientContact: request.recipient.contact,
    items: [...request.items],
    purpose: request.purpose,
    basis: request.basis.type,
    ...(request.basis.type !== 'consent' ? { legalReference: request.basis.reference } : {}),
    at,
    by: officerId,
  };
  await saveProvision(request.memberId, data.profile.rev, record);
  return strip(record);
}

/** A member's provisions and the correction notices sent for them, newest first. */
export async function provisionsOf(memberId: string) {
  const data = await requireMemberData(memberId);
  const strip = <T extends { pk: string; sk: string }>({ pk: _pk, sk: _sk, ...rest }: T) => rest;
  return {
    provisions: [...data.provisions].sort((a, b) => b.sk.localeCompare(a.sk)).map(strip),
    correctionNotices: [...data.correctionNotices].sort((a, b) => b.at.localeCompare(a.at)).map(strip),
  };
}

/**
 * Tells each recipient that received a corrected item the corrected result (L15/G11). Runs
 * after the correction is committed; `correctionRef` names the correction, so a retry of the
 * same correction reaches no recipient twice.
 */
export async function propagateCorrection(
  c: Catalogue,
  memberId: string,
  correctedItems: readonly string[],
  correctionRef: string,
  now: Date,
): Promise<{ recipients: number }> {
  if (correctedItems.length === 0) return { recipients: 0 };
  const data = await requireMemberData(memberId);
  const affected = data.provisions.filter(
    (p) => p.recipientContact && p.items.some((i) => correctedItems.includes(i)),
  );
  if (affected.length === 0) return { recipients: 0 };
  const key = await requireDataKey(memberId);
  const values = openItems(key, (id) => binding.item(memberId, id), data.profile.items);

  const byRecipient = new Map<string, ProvisionRecord[]>();
  for (const p of affected)
    byRecipient.set(p.recipientContact!, [...(byRecipient.get(p.recipientContact!) ?? []), p]);

  let recipients = 0;
  for (const [contact, provisions] of byRecipient) {
    const items = [...new Set(provisions.flatMap((p) => p.items.filter((i) => correctedItems.includes(i))))];
    const at = now.toISOString();
    // Claimed as sent before the email goes, so concurrent or repeated runs send it once; if SES
    // refuses it, it goes back to pending for the next attempt.
    const notice: CorrectionNoticeRecord = {
      ...membersTable.correctionNotice(memberId, correctionRef, contact),
      correctionRef,
      recipient: provisions[0]!.recipient,
      recipientContact: contact,
      items,
      provisionIds: provisions.map((p) => p.provisionId),
      status: 'sent',
      at,
      sentAt: at,
    };
    if (!(await claimCorrectionNotice(notice))) continue;
    try {
      await sendEmail({ to: contact, ...correctionNoticeText(c, notice, values) });
    } catch (error) {
      // Back to pending for the next attempt; if even that fails, it is logged by id.
      await returnNoticeToPending(notice).catch((failure: Error) =>
        logger.warn('correction notice marked sent but not sent', { correctionRef, error: failure.name }),
      );
      throw error;
    }
    recipients++;
  }
  return { recipients };
}

/**
 * Propagates a correction that is already done. The correction stands whatever happens here, so
 * a failure is logged (ids only) rather than answered: a notice whose email failed stays pending
 * and is listed by GET /v1/admin/provisions for the officer to send again.
 */
export async function propagateAfter(
  c: Catalogue,
  memberId: string,
  correctedItems: readonly string[],
  correctionRef: string,
  now: Date,
): Promise<void> {
  try {
    await propagateCorrection(c, memberId, correctedItems, correctionRef, now);
  } catch (error) {
    logger.warn('correction not propagated', { correctionRef, error: (error as Error).name });
  }
}

/**
 * Tells each recipient that received any of the member's data of an erasure or a restriction
 * (GDPR Art. 19): one notice per recipient contact, recorded under the member with its email.
 * `ref` names the change (the withdrawal's receipt, the restriction's start), so a rerun of the
 * same change tells no recipient twice; a notice whose email failed goes back to pending, and
 * the failure is thrown for the caller to fail closed or report.
 */
export async function propagateChange(
  c: Catalogue,
  data: Pick<MemberData, 'profile' | 'provisions'>,
  change: RecipientChange,
  ref: string,
  now: Date,
): Promise<{ recipients: number }> {
  const memberId = data.profile.memberId;
  const noticeRef = `${change}#${ref}`;
  let recipients = 0;
  for (const told of recipientsOf(data.provisions)) {
    const at = now.toISOString();
    const notice: CorrectionNoticeRecord = {
      ...membersTable.correctionNotice(memberId, noticeRef, told.contact),
      correctionRef: noticeRef,
      change,
      recipient: told.recipient,
      recipientContact: told.contact,
      items: told.items,
      provisionIds: told.provisionIds,
      status: 'sent',
      at,
      sentAt: at,
    };
    if (!(await claimCorrectionNotice(notice))) continue;
    try {
      await sendEmail({ to: told.contact, ...changeNoticeText(c, change, notice, now) });
    } catch (error) {
      await returnNoticeToPending(notice).catch((failure: Error) =>
        logger.warn('change notice marked sent but not sent', { change, error: failure.name }),
      );
      throw error;
    }
    recipients++;
  }
  return { recipients };
}
