/**
 * Erasure across the operator's data silos (issue 15), on SQS: a withdrawal or a consent
 * withdrawal opens the silo request's ledger record and queues one message per silo; the worker
 * runs one silo's step per message, records its outcome, and the step that finds every silo
 * answered signs a withdrawal's full receipt and closes the record. Each step is safe to repeat: a final outcome is never changed,
 * an erasure run again finds nothing, and the full receipt is written once.
 */
import type { Catalogue, Silo } from '../../../policy/schema';
import { callbackToken, isCallbackToken } from '../../adapters/callback-tokens';
import { emit } from '../../adapters/events';
import { sign } from '../../adapters/receipt-signer';
import { eraseObjects, eraseTableItems } from '../../adapters/silo-stores';
import { Forbidden, InvalidInput, NotFound } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { liveVaultItem, VAULT_RECEIPT_SK, vaultPk } from '../vault/store';
import type { SignedReceipt } from '../withdrawal/rules';
import type { SiloMessage } from './fanout';
import { allAnswered, fullReceipt, isFinal, lagsFrom, type SiloOutcome, siloSummary } from './rules';
import {
  closeSiloRequest,
  putFullReceipt,
  recordOutcome,
  type SiloRequestRecord,
  siloRequest,
} from './store';

/** The detail type of the event asking a custom system to erase a member's data. */
export const ERASURE_REQUESTED = 'SiloErasureRequested';

/** Erases the member in a table or bucket silo: how many records or objects went. */
function eraseIn(silo: Exclude<Silo, { kind: 'custom' }>, memberId: string): Promise<number> {
  if (silo.kind === 'dynamodb') {
    return eraseTableItems(
      {
        table: silo.table,
        partitionKey: silo.partitionKey,
        ...(silo.sortKey ? { sortKey: silo.sortKey } : {}),
        ...(silo.memberIndex ? { memberIndex: silo.memberIndex } : {}),
      },
      memberId,
    );
  }
  return eraseObjects(silo.bucket, silo.prefix.replace('{memberId}', memberId));
}

/**
 * Runs one silo's step: erases in a table or bucket, or asks a custom system (one event, ids
 * only) and waits for its answer. A failure is recorded (`retrying`, with its kind) and thrown,
 * so the queue retries the message. Returns the step's outcome name, for the worker's counts.
 */
export async function runSiloStep(c: Catalogue, message: SiloMessage, now: Date): Promise<string> {
  const record = await siloRequest(message.requestId);
  const current = record?.silos[message.silo];
  const silo = c.silos[message.silo];
  if (!record || !current || !silo) return 'unknown';
  if (isFinal(current.status)) {
    // A step that crashed between the last answer and the full receipt: finish it now.
    if (allAnswered(record.silos) && record.openStatus) await complete(c, record, now);
    return 'already-answered';
  }
  // A system is asked once per request: a duplicate delivery, or a rerun queueing the unfinished
  // silos again, finds it asked; it answers with the first event's token, however late.
  if (silo.kind === 'custom' && current.status === 'awaiting') return 'already-asked';
  const at = now.toISOString();
  let next: SiloOutcome;
  try {
    if (silo.kind === 'custom') {
      await emit(ERASURE_REQUESTED, {
        requestId: message.requestId,
        silo: message.silo,
        memberId: message.memberId,
        // A consent withdrawal names the items it released there; a withdrawal, all of them.
        items: current.items ?? silo.items,
        reason: record.type === 'consent-withdrawal' ? 'consent-withdrawn' : 'membership-ended',
        answerBy: lagsFrom(silo, new Date(current.since)).toISOString(),
        // The system answers with POST on this path of the API, presenting this token.
        answerPath: answerPath(message.requestId, message.silo),
        token: await callbackToken(message.requestId, message.silo),
      });
      next = { kind: silo.kind, status: 'awaiting', since: current.since, at };
    } else {
      const count = await eraseIn(silo, message.memberId);
      next = {
        kind: silo.kind,
        status: count > 0 ? 'erased' : 'nothing-held',
        since: current.since,
        at,
        ...(count > 0 ? { count } : {}),
      };
    }
  } catch (error) {
    const attempts = (current.attempts ?? 0) + 1;
    const reason = error instanceof Error ? error.name : 'Error';
    await recordOutcome(message.requestId, message.silo, {
      ...current,
      status: 'retrying',
      at,
      attempts,
      reason,
    }).catch(() => undefined);
    throw error;
  }
  const updated = await recordOutcome(message.requestId, message.silo, next, true);
  if (updated && allAnswered(updated.silos)) await complete(c, updated, now);
  return next.status;
}

/** The API path a custom system answers one silo of one request on. */
export function answerPath(requestId: string, silo: string): string {
  return `/v1/silo-requests/${encodeURIComponent(requestId)}/silos/${encodeURIComponent(silo)}/answer`;
}

/**
 * The callback route's use case: the token is checked first (403), so a caller without one
 * learns nothing of which requests exist; then the request and its custom silo (404). A failure
 * must say why. A late answer is taken; one after a final answer changes nothing (`taken: false`).
 */
export async function answerSiloRequest(
  c: Catalogue,
  requestId: string,
  silo: string,
  token: string,
  answer: SystemAnswer,
  now: Date,
): Promise<{ requestId: string; silo: string; taken: boolean; complete: boolean }> {
  if (!(await isCallbackToken(requestId, silo, token))) {
    throw new Forbidden(
      "Not this request's token",
      'Answer with the token of the event that asked this silo.',
    );
  }
  if (answer.outcome === 'failed' && !answer.reason) {
    throw new InvalidInput([{ field: 'reason', problem: 'required when the outcome is failed' }]);
  }
  const result = await recordSystemAnswer(c, requestId, silo, answer, now);
  if (!result) throw new NotFound('No such silo request', 'No custom silo of this request awaits an answer.');
  return { requestId, silo, ...result };
}

/** What a custom system may answer. */
export interface SystemAnswer {
  readonly outcome: 'erased' | 'nothing-held' | 'failed';
  readonly count?: number;
  readonly reason?: string;
}

/**
 * Records a custom system's answer for its silo; a second or late answer after a final one
 * changes nothing. Returns whether the answer was taken, and whether the request is complete.
 */
export async function recordSystemAnswer(
  c: Catalogue,
  requestId: string,
  siloId: string,
  answer: SystemAnswer,
  now: Date,
): Promise<{ taken: boolean; complete: boolean } | undefined> {
  const record = await siloRequest(requestId);
  const current = record?.silos[siloId];
  if (!record || !current || current.kind !== 'custom') return undefined;
  if (isFinal(current.status)) {
    // An answer repeated after a failure between the last answer and the full receipt finishes it.
    const done = allAnswered(record.silos);
    if (done && record.openStatus) await complete(c, record, now);
    return { taken: false, complete: done };
  }
  const updated = await recordOutcome(requestId, siloId, {
    kind: current.kind,
    status: answer.outcome,
    since: current.since,
    at: now.toISOString(),
    ...(answer.count !== undefined ? { count: answer.count } : {}),
    ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
  });
  // Final meanwhile: a concurrent answer took it, and completes the request if it was the last.
  if (!updated) return { taken: false, complete: allAnswered((await siloRequest(requestId))?.silos ?? {}) };
  const done = allAnswered(updated.silos);
  if (done) await complete(c, updated, now);
  return { taken: true, complete: done };
}

/**
 * Signs a withdrawal's full receipt (its own, with every silo's line) into the vault, and closes
 * the ledger record; a consent withdrawal's record, which has no receipt, is closed only. Both
 * are conditional, so two steps finishing together write once.
 */
async function complete(c: Catalogue, record: SiloRequestRecord, now: Date): Promise<void> {
  if (record.receiptId === undefined) {
    await closeSiloRequest(record.requestId, siloSummary(record.silos), now.toISOString());
    return;
  }
  const stored = await liveVaultItem({ pk: vaultPk(record.memberId), sk: VAULT_RECEIPT_SK }, now);
  const own = stored?.signed as SignedReceipt | undefined;
  if (own && typeof stored?.expiresAt === 'number') {
    const receipt = fullReceipt(c, own.receipt, record.silos);
    const signed = { receipt, signature: await sign({ ...receipt }), algorithm: 'ECDSA_SHA_256' as const };
    await putFullReceipt(record.memberId, signed, stored.expiresAt);
  } else {
    // The withdrawal's receipt has expired: the ledger still records every silo's outcome.
    logger.warn('silo request completed without a receipt', { requestId: record.requestId });
  }
  await closeSiloRequest(record.requestId, siloSummary(record.silos), now.toISOString());
}
