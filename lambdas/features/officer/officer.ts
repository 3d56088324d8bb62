/**
 * What the privacy officer does to memberships and on requests (L11/G13, L12, L14/G10, L16):
 * acting through the very operations members use themselves, so an offline request gets the
 * same rules, the same freezes and the same receipts as a self-service one.
 */
import type { Catalogue } from '../../../policy/schema';
import { Conflict } from '../../runtime/errors';
import { decideConsent } from '../consents/consents';
import { decideProvisionConsent } from '../consents/provision-consents';
import { correctMember } from '../corrections/correct';
import { outboxPut } from '../lifecycle/store';
import { encryptField } from '../members/cipher';
import {
  binding,
  profileUpdate,
  requireDataKey,
  requireMemberData,
  writeTransaction,
} from '../members/store';
import { exportMember, viewMember } from '../members/view';
import { propagateCorrection } from '../provisions/provisions';
import {
  consentWithdrawalSummary,
  correctionSummary,
  exportSummary,
  officerAction,
  provisionConsentWithdrawalSummary,
  refusalSummary,
  restrictionSummary,
  type Summary,
  viewSummary,
  withdrawalSummary,
} from '../requests/rights';
import type { RequestRecord } from '../requests/rules';
import { restrict } from '../restriction/restriction';
import type { SignedReceipt } from '../withdrawal/rules';
import { withdraw } from '../withdrawal/withdraw';
import { lawfulRetentionOnly } from './rules';

/** The body of an action on a request, as validated by the route. */
export type RequestAction =
  | { action: 'view' }
  | { action: 'export'; downloadReason: string }
  | { action: 'correct'; items: Record<string, string | null | undefined> }
  | { action: 'delete' }
  | { action: 'restrict'; scope: string; reason: string }
  | { action: 'withdraw-consent'; purpose: string }
  | { action: 'withdraw-provision-consent'; recipient: string }
  | { action: 'refuse'; reason: string };

/**
 * Performs a verified request's action through the operations members use themselves, and
 * closes the request; returns what the action produced.
 */
export async function actOnRequest(
  c: Catalogue,
  record: RequestRecord,
  officerId: string,
  body: RequestAction,
  now: Date,
): Promise<{ requestId: string; status: string; result: unknown }> {
  const { memberId } = record;
  const answer = <T>(act: () => Promise<T>, summarize: Summary<T>) =>
    officerAction(record, officerId, body.action, now, act, summarize);
  switch (body.action) {
    case 'view':
      return answer(() => viewMember(c, memberId, now), viewSummary);
    case 'export':
      return answer(() => exportMember(c, memberId, now), exportSummary);
    case 'correct':
      return answer(async () => {
        // Scoped to the request, so a retry finds the pending corrections the first attempt made.
        const corrected = await correctMember(c, memberId, body.items, now, record.requestId);
        const notices = await propagateCorrection(c, memberId, corrected.corrected, record.requestId, now);
        return { ...corrected, recipientsNotified: notices.recipients };
      }, correctionSummary);
    case 'delete':
      return answer(() => withdraw(c, memberId, now, 'officer-request'), withdrawalSummary);
    case 'restrict':
      return answer(() => restrict(c, memberId, body.scope, body.reason, now), restrictionSummary);
    case 'withdraw-consent':
      return answer(
        () => decideConsent(c, memberId, body.purpose, false, now, record.channel),
        consentWithdrawalSummary,
      );
    case 'withdraw-provision-consent':
      // Recorded with the channel the request came through, like every consent decision (L1).
      return answer(
        () => decideProvisionConsent(c, memberId, body.recipient, false, now, record.channel),
        provisionConsentWithdrawalSummary,
      );
    case 'refuse':
      return answer(async () => null, refusalSummary);
  }
}

/** Terminates an under-age membership without delay (L11/G13); returns the deletion receipt. */
export async function terminateUnderAge(c: Catalogue, memberId: string, now: Date): Promise<SignedReceipt> {
  return withdraw(lawfulRetentionOnly(c), memberId, now, 'under-age');
}

/** Suspends a membership for false information (L12); the reason is sealed under the member's key. */
export async function suspendMember(
  memberId: string,
  officerId: string,
  reason: string,
  now: Date,
): Promise<{ memberId: string; status: 'suspended'; since: string }> {
  const data = await requireMemberData(memberId);
  if (data.profile.status === 'suspended') {
    throw new Conflict('Already suspended', 'The membership is already suspended.');
  }
  const key = await requireDataKey(memberId);
  const since = now.toISOString();
  await writeTransaction([
    profileUpdate(memberId, data.profile.rev, {
      set: {
        status: 'suspended',
        suspension: { reason: encryptField(key, binding.suspension(memberId), reason), since, by: officerId },
      },
    }),
    outboxPut('MemberSuspended', memberId, now, {}),
  ]);
  return { memberId, status: 'suspended', since };
}

/** Lifts a suspension. */
export async function reinstateMember(
  memberId: string,
  now: Date,
): Promise<{ memberId: string; status: 'active'; at: string }> {
  const data = await requireMemberData(memberId);
  if (data.profile.status !== 'suspended') {
    throw new Conflict('Not suspended', 'The membership is not suspended.');
  }
  await writeTransaction([
    profileUpdate(memberId, data.profile.rev, { set: { status: 'active' }, remove: ['suspension'] }),
    outboxPut('MemberReinstated', memberId, now, {}),
  ]);
  return { memberId, status: 'active', at: now.toISOString() };
}
