/**
 * Correcting items (L14/G10, L15/G11). Items the catalogue marks as needing verification become
 * a pending correction: a code goes to the new value, and until it is confirmed the item is
 * frozen — not used in notices, not provided, shown as under correction.
 */

import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../../model/calendar';
import { membersTable } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { awsCall } from '../../adapters/aws-call';
import { blindIndex } from '../../adapters/blind-index';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { sendEmail } from '../../adapters/mailer';
import { Conflict, InvalidInput, NotFound, RuleViolated } from '../../runtime/errors';
import { requestScopedId } from '../../runtime/request-ids';
import { grantedPurposes, requireConsentFor } from '../consents/rules';
import { decryptField, encryptField } from '../members/cipher';
import {
  binding,
  type CorrectionRecord,
  liveCorrections,
  type MemberData,
  profileUpdate,
  requireDataKey,
  requireMemberData,
  type TransactItem,
  writeTransaction,
} from '../members/store';

/** How long a verification code stays valid. */
export const CORRECTION_TTL_SECONDS = 24 * 3600;
/** Wrong codes allowed before the correction is cancelled. */
export const MAX_CODE_ATTEMPTS = 5;

/** The outcome of PATCH /v1/me: item ids only, never values. */
export interface CorrectionResult {
  readonly corrected: string[];
  readonly removed: string[];
  readonly pending: { correctionId: string; item: string; expiresAt: string }[];
}

/**
 * Checks new values of member or baby items against the catalogue; returns the values to set
 * and the items to remove. Shared by member and baby corrections.
 */
export function checkChanges(
  c: Catalogue,
  data: MemberData,
  changes: Readonly<Record<string, string | null | undefined>>,
): { set: Record<string, string>; remove: string[] } {
  const method = data.profile.signInMethod;
  const granted = grantedPurposes(data.profile.consents);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const errors: { field: string; problem: string }[] = [];
  for (const [id, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const item = c.items[id]!;
    const field = `items.${id}`;
    if (!item.correctable) errors.push({ field, problem: 'not correctable' });
    else if (!item.collectedFor.includes(method))
      errors.push({ field, problem: `not collected for ${method} sign-in` });
    else if (value === null && item.requiredFor.includes(method))
      errors.push({ field, problem: 'required; cannot be removed' });
    else if (value === null) remove.push(id);
    else {
      requireConsentFor(c, id, granted);
      set[id] = value;
    }
  }
  if (errors.length > 0) throw new InvalidInput(errors);
  return { set, remove };
}

function codeHash(key: Uint8Array, correctionId: string, code: string): string {
  return createHmac('sha256', key).update(`${correctionId}:${code}`).digest('base64url');
}

/**
 * Corrects the member's items. `scope` names what asks for it (an Idempotency-Key, a ledger
 * request): the same scope run again finds the pending corrections it made and answers with
 * them, without a second code.
 */
export async function correctMember(
  c: Catalogue,
  memberId: string,
  changes: Readonly<Record<string, string | null | undefined>>,
  now: Date,
  scope?: string,
): Promise<CorrectionResult> {
  const data = await requireMemberData(memberId);
  const key = await requireDataKey(memberId);
  const { set, remove } = checkChanges(c, data, changes);
  const live = liveCorrections(data, now);
  const verified = Object.keys(set).filter((id) => c.items[id]!.verifyOnCorrection);
  const correctionIdOf = (id: string) => requestScopedId(`correction.${id}`, memberId, scope);
  const made = verified.flatMap((id) => live.filter((p) => p.correctionId === correctionIdOf(id)));
  const frozen = new Set(live.filter((p) => !made.includes(p)).map((p) => p.itemId));
  for (const id of [...verified, ...remove]) {
    if (frozen.has(id)) {
      throw new Conflict(
        'Correction pending',
        `"${id}" is under correction; confirm or wait for it to expire.`,
        {
          field: `items.${id}`,
        },
      );
    }
  }
  const direct = Object.fromEntries(Object.entries(set).filter(([id]) => !verified.includes(id)));

  const pending: CorrectionRecord[] = [];
  const expiresAt = epochSeconds(now) + CORRECTION_TTL_SECONDS;
  for (const id of verified) {
    if (made.some((p) => p.itemId === id)) continue;
    const correctionId = correctionIdOf(id);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const lookup = c.items[id]!.lookup ? await blindIndex(c.profile, id, set[id]!) : undefined;
    // Send first: if SES fails, nothing was written and the client simply retries.
    await sendEmail({
      to: set[id]!,
      subject: `${c.operator.service}: confirm your new ${c.items[id]!.label.toLowerCase()}`,
      text: `Your verification code is ${code}. It expires in 24 hours. If you did not ask for this change, ignore this email.`,
    });
    pending.push({
      ...membersTable.correction(memberId, correctionId),
      correctionId,
      itemId: id,
      value: encryptField(key, binding.correction(memberId, correctionId, id), set[id]!),
      ...(lookup ? { lookup } : {}),
      codeHash: codeHash(key, correctionId, code),
      attempts: 0,
      requestedAt: now.toISOString(),
      expiresAt,
    });
  }

  const transaction: TransactItem[] = [];
  // The profile moves on with every correction, so two at once cannot both pass the freeze.
  if (Object.keys(direct).length > 0 || remove.length > 0 || pending.length > 0) {
    transaction.push(
      profileUpdate(memberId, data.profile.rev, {
        set: Object.fromEntries(
          Object.entries(direct).map(([id, v]) => [
            `items.${id}`,
            encryptField(key, binding.item(memberId, id), v),
          ]),
        ),
        remove: remove.flatMap((id) => [
          `items.${id}`,
          ...(data.profile.lookups[id] ? [`lookups.${id}`] : []),
        ]),
      }),
    );
    for (const id of remove) {
      const mac = data.profile.lookups[id];
      if (mac)
        transaction.push({ Delete: { TableName: tableName('members'), Key: membersTable.lookup(id, mac) } });
    }
  }
  for (const p of pending) {
    transaction.push({
      Put: { TableName: tableName('members'), Item: p, ConditionExpression: 'attribute_not_exists(pk)' },
    });
  }
  if (transaction.length > 0) await writeTransaction(transaction);
  return {
    corrected: Object.keys(direct),
    removed: remove,
    pending: [...made, ...pending].map((p) => ({
      correctionId: p.correctionId,
      item: p.itemId,
      expiresAt: new Date(p.expiresAt * 1000).toISOString(),
    })),
  };
}

const noSuchCorrection = () =>
  new NotFound('No such correction', 'The correction does not exist or has expired.');

/** Completes a pending correction with the code sent to the new value. */
export async function confirmCorrection(
  memberId: string,
  correctionId: string,
  code: string,
  now: Date,
): Promise<{ item: string; completedAt: string }> {
  const members = tableName('members');
  const key = membersTable.correction(memberId, correctionId);
  const found = await awsCall('dynamodb', () =>
    documentClient.send(new GetCommand({ TableName: members, Key: key, ConsistentRead: true })),
  );
  const correction = found.Item as CorrectionRecord | undefined;
  if (!correction || correction.expiresAt <= epochSeconds(now)) throw noSuchCorrection();
  const dataKey = await requireDataKey(memberId);

  const expected = Buffer.from(correction.codeHash);
  const given = Buffer.from(codeHash(dataKey, correctionId, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    if (correction.attempts + 1 >= MAX_CODE_ATTEMPTS) {
      await awsCall('dynamodb', () =>
        documentClient.send(new DeleteCommand({ TableName: members, Key: key })),
      );
      throw new RuleViolated(
        'Wrong code',
        'Too many wrong codes: the correction was cancelled; request it again.',
      );
    }
    await awsCall('dynamodb', () =>
      documentClient.send(
        new UpdateCommand({
          TableName: members,
          Key: key,
          UpdateExpression: 'SET attempts = attempts + :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      ),
    );
    throw new RuleViolated('Wrong code', 'The code does not match.', { field: 'code' });
  }

  const data = await requireMemberData(memberId);
  const { itemId } = correction;
  const value = decryptField(dataKey, binding.correction(memberId, correctionId, itemId), correction.value);
  const oldMac = data.profile.lookups[itemId];
  const transaction: TransactItem[] = [
    profileUpdate(memberId, data.profile.rev, {
      set: {
        [`items.${itemId}`]: encryptField(dataKey, binding.item(memberId, itemId), value),
        ...(correction.lookup ? { [`lookups.${itemId}`]: correction.lookup } : {}),
      },
    }),
    { Delete: { TableName: members, Key: key, ConditionExpression: 'attribute_exists(pk)' } },
  ];
  if (correction.lookup && correction.lookup !== oldMac) {
    if (oldMac)
      transaction.push({ Delete: { TableName: members, Key: membersTable.lookup(itemId, oldMac) } });
    transaction.push({
      Put: {
        TableName: members,
        Item: { ...membersTable.lookup(itemId, correction.lookup), memberId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  await writeTransaction(
    transaction,
    new Conflict(
      'Correction conflict',
      'Another membership uses this value, or the membership changed; retry.',
    ),
  );
  return { item: itemId, completedAt: now.toISOString() };
}
