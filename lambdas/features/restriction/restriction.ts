/**
 * Restriction of and objection to processing (L16): restricted data is only stored. Provisions,
 * statistics and optional-purpose processing skip the member; notices the policy itself requires
 * still go out. The member is told before a restriction is lifted.
 */

import { DEFAULT_LANGUAGE } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { sendEmail } from '../../adapters/mailer';
import { NotFound } from '../../runtime/errors';
import { outboxPut } from '../lifecycle/store';
import { decryptField, encryptField } from '../members/cipher';
import { liveCorrections } from '../members/rules';
import {
  itemBinding,
  type MemberData,
  profileUpdate,
  requireDataKey,
  requireMemberData,
  restrictionBinding,
  writeTransaction,
} from '../members/store';
import { propagateChange } from '../provisions/provisions';
import { liftNoticeEmail } from './rules';

/**
 * Restricts processing for the token's subject (replacing any earlier restriction), then tells
 * each recipient of the member's data, once per restriction (GDPR Art. 19). A failed notice
 * fails the call after the restriction holds: the retry finds the restriction and tells only
 * the recipients not yet told.
 */
export async function restrict(
  c: Catalogue,
  memberId: string,
  scope: string,
  reason: string,
  now: Date,
): Promise<{ scope: string; since: string }> {
  const data = await requireMemberData(memberId);
  const key = await requireDataKey(memberId);
  const since = now.toISOString();
  const earlier = data.profile.restriction;
  const recipientsRef = earlier ? (earlier.recipientsRef ?? earlier.since) : since;
  await writeTransaction([
    profileUpdate(memberId, data.profile.rev, {
      set: {
        restriction: {
          scope,
          reason: encryptField(key, restrictionBinding(memberId), reason),
          since,
          recipientsRef,
        },
      },
    }),
    outboxPut('ProcessingRestricted', memberId, now, { scope }),
  ]);
  await propagateChange(c, data, 'restriction', recipientsRef, now);
  return { scope, since };
}

/** The email address notices may go to: held, and not frozen by a pending correction (L15/G11). */
export function noticeAddress(
  c: Catalogue,
  data: MemberData,
  key: Uint8Array,
  now: Date,
): string | undefined {
  const sealed = data.profile.items[c.noticeItem];
  if (!sealed) return undefined;
  if (liveCorrections(data, now).some((p) => p.itemId === c.noticeItem)) return undefined;
  return decryptField(key, itemBinding(data.profile.memberId, c.noticeItem), sealed);
}

/** Lifts the restriction after telling the member; the notice goes first, so a failure lifts nothing. */
export async function liftRestriction(
  c: Catalogue,
  memberId: string,
  now: Date,
): Promise<{ lifted: true; noticeSent: boolean }> {
  const data = await requireMemberData(memberId);
  if (!data.profile.restriction) throw new NotFound('No restriction', 'Processing is not restricted.');
  const key = await requireDataKey(memberId);
  const to = noticeAddress(c, data, key, now);
  if (to) {
    const lang = data.profile.lang ?? DEFAULT_LANGUAGE;
    await sendEmail({ to, ...liftNoticeEmail(c, new Date(data.profile.restriction.since), lang) });
  }
  await writeTransaction([
    profileUpdate(memberId, data.profile.rev, { remove: ['restriction'] }),
    outboxPut('RestrictionLifted', memberId, now, {}),
  ]);
  return { lifted: true, noticeSent: Boolean(to) };
}
