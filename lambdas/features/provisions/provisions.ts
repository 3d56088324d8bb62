/**
 * Provision of personal data to third parties (L5/G6) and correction propagation (L15/G11).
 * A provision is recorded only when the member consented to that recipient and purpose — the
 * catalogue names the recipients a consent purpose covers, and the member granted it — or a
 * legal basis other than consent is recorded with its reference. Items under correction and
 * restricted members are never provided. When a correction of a provided item completes, each
 * recipient that received the item is sent the corrected result once.
 */

import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { membersTable } from '../../../model/members-table';
import type { PROVISION_LEGAL_BASES } from '../../../model/routes/officer';
import type { Catalogue } from '../../../policy/schema';
import { awsCall, cancelledByCondition } from '../../adapters/aws-call';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { sendEmail } from '../../adapters/mailer';
import { Conflict, RuleViolated } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { requestScopedId } from '../../runtime/request-ids';
import { grantedPurposes } from '../consents/rules';
import {
  binding,
  type CorrectionNoticeRecord,
  liveCorrections,
  type MemberData,
  openItems,
  type ProvisionRecord,
  requireDataKey,
  requireMemberData,
  writeTransaction,
} from '../members/store';

/** What the officer asks to provide. */
export interface ProvisionRequest {
  readonly memberId: string;
  readonly recipient: { readonly name: string; readonly contact: string };
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis:
    | { readonly type: 'consent' }
    | { readonly type: (typeof PROVISION_LEGAL_BASES)[number]; readonly reference: string };
}

/**
 * Why a provision may not be made, or undefined when it may. Pure, so every rule is testable
 * against any catalogue: consent must cover the recipient and purpose, frozen items and
 * restricted members are refused, and only items the member holds can be provided.
 */
export function provisionRefusal(
  c: Catalogue,
  data: MemberData,
  request: ProvisionRequest,
  now: Date,
): Conflict | RuleViolated | undefined {
  const restriction = data.profile.restriction;
  if (restriction && (restriction.scope === 'all' || restriction.scope === 'provision')) {
    return new Conflict('Processing restricted', 'The member restricted provision (L16).');
  }
  const frozen = new Set(liveCorrections(data, now).map((p) => p.itemId));
  const underCorrection = request.items.filter((id) => frozen.has(id));
  if (underCorrection.length > 0) {
    return new Conflict(
      'Item under correction',
      `Items under correction are not provided: ${underCorrection.join(', ')} (L15/G11).`,
      { field: 'items' },
    );
  }
  const missing = request.items.filter((id) => data.profile.items[id] === undefined);
  if (missing.length > 0) {
    return new RuleViolated('Item not held', `Not held: ${missing.join(', ')}.`, { field: 'items' });
  }
  if (request.basis.type === 'consent') {
    const party = Object.values(c.thirdParties).find((p) => p.name === request.recipient.name);
    const purpose = c.purposes[request.purpose];
    const granted = grantedPurposes(data.profile.consents).has(request.purpose);
    if (
      !party ||
      !party.purposes.includes(request.purpose) ||
      purpose?.legalBasis !== 'consent' ||
      !granted
    ) {
      return new RuleViolated(
        'No consent to this provision',
        'The member has not consented to providing to this recipient for this purpose; record a legal basis instead, or ask for consent (L5/G6).',
        { field: 'basis' },
      );
    }
    const outside = request.items.filter((id) => !party.items.includes(id));
    if (outside.length > 0) {
      return new RuleViolated(
        'Items outside the consent',
        `The consent to this recipient does not cover: ${outside.join(', ')}.`,
        { field: 'items' },
      );
    }
  }
  return undefined;
}

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
  // The profile must be as it was checked: not withdrawn, restricted or changed meanwhile.
  await writeTransaction([
    {
      ConditionCheck: {
        TableName: tableName('members'),
        Key: membersTable.profile(request.memberId),
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': data.profile.rev },
      },
    },
    {
      Put: { TableName: tableName('members'), Item: record, ConditionExpression: 'attribute_not_exists(sk)' },
    },
  ]);
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

  const members = tableName('members');
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
    try {
      await awsCall(
        'dynamodb',
        () =>
          documentClient.send(
            new PutCommand({
              TableName: members,
              Item: notice,
              ConditionExpression: 'attribute_not_exists(sk) OR #status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pending': 'pending' },
            }),
          ),
        ['ConditionalCheckFailedException'],
      );
    } catch (error) {
      if (cancelledByCondition(error)) continue;
      throw error;
    }
    const lines = items.map((id) => `${c.items[id]?.label ?? id}: ${values[id] ?? '(removed)'}`);
    try {
      await sendEmail({
        to: contact,
        subject: `${c.operator.service}: correction of personal data we provided to you`,
        text: [
          `${c.operator.name} provided you personal data of one of our members (provision ${notice.provisionIds.join(', ')}).`,
          'The member has since corrected it. The corrected values are:',
          '',
          ...lines,
          '',
          'Please replace the data you hold with these values.',
        ].join('\n'),
      });
    } catch (error) {
      await backToPending(notice);
      throw error;
    }
    recipients++;
  }
  return { recipients };
}

/** Puts a notice whose email failed back to pending; if even that fails, it is logged by id. */
async function backToPending(notice: CorrectionNoticeRecord): Promise<void> {
  try {
    await awsCall('dynamodb', () =>
      documentClient.send(
        new UpdateCommand({
          TableName: tableName('members'),
          Key: { pk: notice.pk, sk: notice.sk },
          UpdateExpression: 'SET #status = :pending REMOVE sentAt',
          ConditionExpression: '#status = :sent AND sentAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending', ':sent': 'sent', ':at': notice.sentAt },
        }),
      ),
    );
  } catch (error) {
    logger.warn('correction notice marked sent but not sent', {
      correctionRef: notice.correctionRef,
      error: (error as Error).name,
    });
  }
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
