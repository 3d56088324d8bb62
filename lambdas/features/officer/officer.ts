/**
 * What the privacy officer does to memberships and on requests (L11/G13, L12, L14/G10, L16):
 * acting through the very operations members use themselves, so an offline request gets the
 * same rules, the same freezes and the same receipts as a self-service one.
 */
import type { Catalogue } from '../../../policy/schema';
import { Conflict, RuleViolated } from '../../runtime/errors';
import { decideConsent } from '../consents/consents';
import { correctMember } from '../corrections/correct';
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
  claimRequest,
  closeRequest,
  type RequestRecord,
  type RequestType,
  releaseRequest,
} from '../requests/ledger';
import { restrict } from '../restriction/restriction';
import { type SignedReceipt, withdraw } from '../withdrawal/withdraw';

/** The body of an action on a request, as validated by the route. */
export type RequestAction =
  | { action: 'view' }
  | { action: 'export'; downloadReason: string }
  | { action: 'correct'; items: Record<string, string | null | undefined> }
  | { action: 'delete' }
  | { action: 'restrict'; scope: string; reason: string }
  | { action: 'withdraw-consent'; purpose: string }
  | { action: 'refuse'; reason: string };

/** Which actions answer which kind of request; any request may be refused. */
export const ACTIONS_BY_TYPE: Readonly<Record<RequestType, readonly RequestAction['action'][]>> = {
  access: ['view', 'export'],
  portability: ['export'],
  correction: ['correct'],
  deletion: ['delete'],
  restriction: ['restrict'],
  objection: ['restrict'],
  'consent-withdrawal': ['withdraw-consent'],
};

/**
 * Withdrawal for a terminated child's membership keeps only the records a law requires: the
 * catalogue's withdrawal classes without a `law` (kept by the operator's own choice) are left out.
 */
export function lawfulRetentionOnly(c: Catalogue): Catalogue {
  return {
    ...c,
    recordClasses: {
      ...c.recordClasses,
      onWithdrawal: c.recordClasses.onWithdrawal.filter((id) => c.retention[id]?.law !== undefined),
    },
  };
}

/**
 * Performs a verified request's action and closes it; returns what the action produced. The
 * request is claimed first, so concurrent deliveries act once; a failed action gives the claim
 * back, and its retry finds done what the first attempt did (every action is safe to repeat).
 */
export async function actOnRequest(
  c: Catalogue,
  record: RequestRecord,
  officerId: string,
  body: RequestAction,
  now: Date,
): Promise<{ requestId: string; status: string; result: unknown }> {
  const allowed = ACTIONS_BY_TYPE[record.type];
  if (body.action !== 'refuse' && !allowed.includes(body.action)) {
    throw new RuleViolated(
      'Action does not answer the request',
      `A ${record.type} request is answered by ${allowed.join(' or ')}.`,
      { field: 'action' },
    );
  }
  const claimed = await claimRequest(record.requestId, now);
  try {
    const { result, summary } = await perform(c, claimed, body, now);
    const status = body.action === 'refuse' ? 'refused' : 'completed';
    await closeRequest(claimed, officerId, status, { action: body.action, summary }, now);
    return { requestId: record.requestId, status, result };
  } catch (error) {
    await releaseRequest(claimed);
    throw error;
  }
}

async function perform(
  c: Catalogue,
  record: RequestRecord,
  body: RequestAction,
  now: Date,
): Promise<{ result: unknown; summary: string }> {
  const { memberId } = record;
  switch (body.action) {
    case 'view':
      return { result: await viewMember(c, memberId, now), summary: 'member view produced' };
    case 'export':
      return { result: await exportMember(c, memberId, now), summary: 'export produced' };
    case 'correct': {
      // Scoped to the request, so a retry finds the pending corrections the first attempt made.
      const corrected = await correctMember(c, memberId, body.items, now, record.requestId);
      const notices = await propagateCorrection(c, memberId, corrected.corrected, record.requestId, now);
      return {
        result: { ...corrected, recipientsNotified: notices.recipients },
        summary: `corrected: ${corrected.corrected.join(',') || '-'}; removed: ${corrected.removed.join(',') || '-'}; pending verification: ${corrected.pending.map((p) => p.item).join(',') || '-'}`,
      };
    }
    case 'delete': {
      const receipt: SignedReceipt = await withdraw(c, memberId, now);
      return { result: receipt, summary: `withdrawn; receipt ${receipt.receipt.receiptId}` };
    }
    case 'restrict':
      return {
        result: await restrict(memberId, body.scope, body.reason, now),
        summary: `restricted: ${body.scope}`,
      };
    case 'withdraw-consent': {
      const decision = await decideConsent(c, memberId, body.purpose, false, now);
      return {
        result: decision,
        summary: `consent withdrawn: ${body.purpose}; destroyed: ${decision.destroyed.length} items`,
      };
    }
    case 'refuse':
      return { result: null, summary: 'refused' };
  }
}

/** Terminates an under-age membership without delay (L11/G13); returns the deletion receipt. */
export async function terminateUnderAge(c: Catalogue, memberId: string, now: Date): Promise<SignedReceipt> {
  return withdraw(lawfulRetentionOnly(c), memberId, now);
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
  ]);
  return { memberId, status: 'active', at: now.toISOString() };
}
