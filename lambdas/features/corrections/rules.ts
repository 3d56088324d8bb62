/**
 * What a correction may change and what it needs (L14/G10, L15/G11): the catalogue says which
 * items are correctable, which may be removed and which need their new value verified; a pending
 * correction freezes its item until it is confirmed or expires.
 */
import type { Language } from '../../../policy/i18n';
import type { Catalogue, SignInMethod } from '../../../policy/schema';
import { Conflict, InvalidInput } from '../../runtime/errors';
import { grantedPurposes, requireConsentFor } from '../consents/rules';

/** How long a verification code stays valid. */
export const CORRECTION_TTL_SECONDS = 24 * 3600;
/** Wrong codes allowed before the correction is cancelled. */
export const MAX_CODE_ATTEMPTS = 5;

/** What a correction reads of the member: how they sign in and what they consented to. */
export interface CorrectingMember {
  readonly signInMethod: SignInMethod;
  readonly consents: Readonly<Record<string, { granted: boolean }>>;
}

/**
 * Checks new values of member or baby items against the catalogue; returns the values to set
 * and the items to remove. Shared by member and baby corrections.
 */
export function checkChanges(
  c: Catalogue,
  profile: CorrectingMember,
  changes: Readonly<Record<string, string | null | undefined>>,
): { set: Record<string, string>; remove: string[] } {
  const method = profile.signInMethod;
  const granted = grantedPurposes(profile.consents);
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

/** Throws 409 when one of `ids` is frozen by a pending correction this request did not make. */
export function requireNotFrozen(ids: readonly string[], frozen: ReadonlySet<string>): void {
  for (const id of ids) {
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
}

/** Whether a wrong code, after `attempts` earlier ones, is the last allowed: the correction is then cancelled. */
export const cancelsCorrection = (attempts: number): boolean => attempts + 1 >= MAX_CODE_ATTEMPTS;

/**
 * The email carrying the code that verifies a corrected item (L15/G11), in the member's
 * language; the subject names the item, never its value.
 */
export function verificationCodeEmail(
  c: Catalogue,
  itemId: string,
  code: string,
  lang: Language,
): { subject: string; text: string } {
  const label = c.items[itemId]?.label ?? { ko: itemId, en: itemId };
  const service = c.operator.service[lang];
  if (lang === 'ko') {
    return {
      // A subject line in the notice style Korean services use: no particle to choose.
      subject: `[${service}] ${label.ko} 변경 확인 인증번호`,
      text: `요청하신 ${label.ko} 변경을 확인하기 위한 인증번호는 ${code}입니다. 24시간 동안 유효합니다. 변경을 요청하지 않으셨다면 이 메일을 무시하세요.`,
    };
  }
  return {
    subject: `${service}: confirm your new ${label.en.toLowerCase()}`,
    text: `Your verification code is ${code}. It expires in 24 hours. If you did not ask for this change, ignore this email.`,
  };
}
