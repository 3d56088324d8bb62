/**
 * Running a rights request through the ledger, whichever channel it came by, and what the
 * ledger says of each kind of outcome. A member's own request (self-service) is opened, acted on
 * and closed in one go; the officer's action on a logged request claims it, acts and closes it.
 * Both paths close with the same summary for the same outcome: ids and counts, never personal data.
 */
import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../../../policy/schema';
import { Conflict, DomainError } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { claimRequest, closeRequest, releaseRequest } from './ledger';
import {
  actionRefusal,
  firstDeadline,
  OPEN,
  type RequestActionKind,
  type RequestRecord,
  type RequestType,
  requestExpiry,
  SELF_SERVICE,
} from './rules';
import { putNewRequest } from './store';

/** What the ledger says of an outcome, from what the action produced. */
export type Summary<T> = (result: T) => string;

/** The summary of a member view. */
export const viewSummary: Summary<unknown> = () => 'member view produced';

/** The summary of an export. */
export const exportSummary: Summary<unknown> = () => 'export produced';

/** The summary of a correction: the items corrected, removed and left pending verification. */
export const correctionSummary: Summary<{
  readonly corrected: readonly string[];
  readonly removed: readonly string[];
  readonly pending: readonly { readonly item: string }[];
}> = (done) =>
  `corrected: ${done.corrected.join(',') || '-'}; removed: ${done.removed.join(',') || '-'}; pending verification: ${done.pending.map((p) => p.item).join(',') || '-'}`;

/** The summary of a withdrawal of membership: the deletion receipt's id. */
export const withdrawalSummary: Summary<{ readonly receipt: { readonly receiptId: string } }> = (done) =>
  `withdrawn; receipt ${done.receipt.receiptId}`;

/** The summary of a restriction of processing: its scope. */
export const restrictionSummary: Summary<{ readonly scope: string }> = (done) => `restricted: ${done.scope}`;

/** The summary of a consent withdrawal: the purpose, how many items it destroyed, its silo request. */
export const consentWithdrawalSummary: Summary<{
  readonly purpose: string;
  readonly destroyed: readonly string[];
  readonly silos?: { readonly requestId: string };
}> = (done) =>
  `consent withdrawn: ${done.purpose}; destroyed: ${done.destroyed.length} items${done.silos ? `; silos: ${done.silos.requestId}` : ''}`;

/** The summary of a withdrawn consent to a recipient (L5/G6). */
export const provisionConsentWithdrawalSummary: Summary<{ readonly recipient: string }> = (done) =>
  `consent to provision withdrawn: ${done.recipient}`;

/** The summary of the officer's refusal (the reason is in the handler's access record). */
export const refusalSummary: Summary<unknown> = () => 'refused';

/** The summary of a member's request that failed: the refusal's title, never its detail. */
const failureSummary: Summary<unknown> = (error) => (error instanceof DomainError ? error.title : 'failed');

/**
 * Runs a member's own request of `type`. The request is recorded (open) before it is acted on,
 * so a request that cannot be recorded is not acted on (503, nothing done); it is then closed
 * with its outcome: completed with `summarize`'s text, or refused with the refusal's title.
 * Closing is best effort: an action already done is answered, and a record left open shows in
 * the officer's listing rather than failing it.
 */
export async function selfService<T>(
  c: Catalogue,
  memberId: string,
  type: RequestType,
  now: Date,
  act: () => Promise<T>,
  summarize: Summary<T>,
): Promise<T> {
  const record: RequestRecord = {
    requestId: randomUUID(),
    memberId,
    type,
    channel: 'app',
    jurisdiction: 'pipa',
    receivedAt: now.toISOString(),
    deadline: firstDeadline(c, 'pipa', now),
    status: 'open',
    // Indexed open like any request, so one its closing missed shows in the officer's listing.
    openStatus: OPEN,
    handler: SELF_SERVICE,
    expiresAt: requestExpiry(c, now),
  };
  if (!(await putNewRequest(record))) throw new Conflict('Request exists', 'Retry the request.');
  let result: T;
  try {
    result = await act();
  } catch (error) {
    await closeQuietly(record, 'refused', failureSummary(error), now);
    throw error;
  }
  await closeQuietly(record, 'completed', summarize(result), now);
  return result;
}

async function closeQuietly(
  record: RequestRecord,
  status: 'completed' | 'refused',
  summary: string,
  now: Date,
): Promise<void> {
  try {
    await closeRequest(record, SELF_SERVICE, status, { action: record.type, summary }, now);
  } catch (error) {
    logger.warn('ledger record left open', { requestId: record.requestId, error: (error as Error).name });
  }
}

/**
 * Runs the officer's `action` on a logged, verified request and closes it; answers with what the
 * action produced. The request is claimed first, so concurrent deliveries act once; a failed
 * action gives the claim back, and its retry finds done what the first attempt did (every
 * action is safe to repeat).
 */
export async function officerAction<T>(
  record: RequestRecord,
  officerId: string,
  action: RequestActionKind,
  now: Date,
  act: () => Promise<T>,
  summarize: Summary<T>,
): Promise<{ requestId: string; status: string; result: T }> {
  const refusal = actionRefusal(record.type, action);
  if (refusal) throw refusal;
  const claimed = await claimRequest(record.requestId, now);
  try {
    const result = await act();
    const status = action === 'refuse' ? 'refused' : 'completed';
    await closeRequest(claimed, officerId, status, { action, summary: summarize(result) }, now);
    return { requestId: record.requestId, status, result };
  } catch (error) {
    await releaseRequest(claimed);
    throw error;
  }
}
