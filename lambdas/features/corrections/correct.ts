/**
 * Correcting items (L14/G10, L15/G11). Items the catalogue marks as needing verification become
 * a pending correction: a code goes to the new value, and until it is confirmed the item is
 * frozen — not used in notices, not provided, shown as under correction.
 */

import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { epochSeconds } from '../../../model/calendar';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { blindIndex } from '../../adapters/blind-index';
import { sendEmail } from '../../adapters/mailer';
import { Conflict, NotFound, RuleViolated } from '../../runtime/errors';
import { requestScopedId } from '../../runtime/request-ids';
import { decryptField, encryptField } from '../members/cipher';
import { liveCorrections } from '../members/rules';
import {
  correctionBinding,
  itemBinding,
  requireDataKey,
  requireMemberData,
  sealItems,
} from '../members/store';
import {
  CORRECTION_TTL_SECONDS,
  cancelsCorrection,
  checkChanges,
  requireNotFrozen,
  verificationCodeEmail,
} from './rules';
import {
  completeCorrection,
  loadCorrection,
  type NewCorrection,
  recordWrongCode,
  writeCorrections,
} from './store';

/** The outcome of PATCH /v1/me: item ids only, never values. */
export interface CorrectionResult {
  readonly corrected: string[];
  readonly removed: string[];
  readonly pending: { correctionId: string; item: string; expiresAt: string }[];
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
  lang?: Language,
): Promise<CorrectionResult> {
  const data = await requireMemberData(memberId);
  const key = await requireDataKey(memberId);
  const { set, remove } = checkChanges(c, data.profile, changes);
  const live = liveCorrections(data, now);
  const verified = Object.keys(set).filter((id) => c.items[id]!.verifyOnCorrection);
  const correctionIdOf = (id: string) => requestScopedId(`correction.${id}`, memberId, scope);
  const made = verified.flatMap((id) => live.filter((p) => p.correctionId === correctionIdOf(id)));
  requireNotFrozen(
    [...verified, ...remove],
    new Set(live.filter((p) => !made.includes(p)).map((p) => p.itemId)),
  );
  const direct = Object.fromEntries(Object.entries(set).filter(([id]) => !verified.includes(id)));

  const pending: NewCorrection[] = [];
  const expiresAt = epochSeconds(now) + CORRECTION_TTL_SECONDS;
  for (const id of verified) {
    if (made.some((p) => p.itemId === id)) continue;
    const correctionId = correctionIdOf(id);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const lookup = c.items[id]!.lookup ? await blindIndex(c.profile, id, set[id]!) : undefined;
    // Send first: if SES fails, nothing was written and the client simply retries.
    // In the language the member reads, the one this request chooses if it changes it.
    await sendEmail({
      to: set[id]!,
      ...verificationCodeEmail(c, id, code, lang ?? data.profile.lang ?? DEFAULT_LANGUAGE),
    });
    pending.push({
      correctionId,
      itemId: id,
      value: encryptField(key, correctionBinding(memberId, correctionId, id), set[id]!),
      ...(lookup ? { lookup } : {}),
      codeHash: codeHash(key, correctionId, code),
      attempts: 0,
      requestedAt: now.toISOString(),
      expiresAt,
    });
  }

  await writeCorrections(
    data.profile,
    sealItems(key, (id) => itemBinding(memberId, id), direct),
    remove,
    pending,
    now,
    lang,
  );
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
  const correction = await loadCorrection(memberId, correctionId);
  if (!correction || correction.expiresAt <= epochSeconds(now)) throw noSuchCorrection();
  const dataKey = await requireDataKey(memberId);

  const expected = Buffer.from(correction.codeHash);
  const given = Buffer.from(codeHash(dataKey, correctionId, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const cancel = cancelsCorrection(correction.attempts);
    await recordWrongCode(memberId, correctionId, cancel);
    throw cancel
      ? new RuleViolated(
          'Wrong code',
          'Too many wrong codes: the correction was cancelled; request it again.',
        )
      : new RuleViolated('Wrong code', 'The code does not match.', { field: 'code' });
  }

  const data = await requireMemberData(memberId);
  const { itemId } = correction;
  const value = decryptField(dataKey, correctionBinding(memberId, correctionId, itemId), correction.value);
  const sealed = encryptField(dataKey, itemBinding(memberId, itemId), value);
  if (!(await completeCorrection(data.profile, correction, sealed, now))) {
    throw new Conflict(
      'Correction conflict',
      'Another membership uses this value, or the membership changed; retry.',
    );
  }
  return { item: itemId, completedAt: now.toISOString() };
}
