/**
 * Starting the erasure of a withdrawn member in the operator's silos: the ledger record and one
 * queued message per silo. Kept apart from the steps (silos.ts), so the functions that withdraw
 * bundle the SQS client only, not the S3 and EventBridge clients the steps need.
 */
import type { Catalogue } from '../../../policy/schema';
import { enqueue } from '../../adapters/queue';
import { firstDeadline, OPEN, requestExpiry } from '../requests/rules';
import type { Receipt } from '../withdrawal/rules';
import { pendingOutcomes, siloRequestId } from './rules';
import { openSiloRequest, type SiloRequestRecord } from './store';

/** One message of the silo queue: one silo of one request. */
export interface SiloMessage {
  readonly requestId: string;
  readonly memberId: string;
  readonly silo: string;
}

/**
 * Starts (or, on a rerun, resumes) the erasure of the member of `receipt` in every silo of the
 * catalogue: opens the ledger record once, and queues every silo again; the worker skips those
 * already answered. The record's deadline is the withdrawal's: the silos count towards it.
 */
export async function startSiloErasure(c: Catalogue, receipt: Receipt): Promise<void> {
  const silos = Object.keys(c.silos);
  if (silos.length === 0) return;
  const requestId = siloRequestId(receipt.receiptId);
  const at = receipt.withdrawnAt;
  const record: SiloRequestRecord = {
    requestId,
    memberId: receipt.memberId,
    type: 'deletion',
    channel: 'app',
    jurisdiction: 'pipa',
    receivedAt: at,
    deadline: firstDeadline(c, 'pipa', new Date(at)),
    status: 'open',
    openStatus: OPEN,
    handler: 'silo-engine',
    receiptId: receipt.receiptId,
    silos: pendingOutcomes(c, at),
    expiresAt: requestExpiry(c, new Date(at)),
  };
  await openSiloRequest(record);
  await enqueue(
    'silos',
    silos.map((silo) =>
      JSON.stringify({ requestId, memberId: receipt.memberId, silo } satisfies SiloMessage),
    ),
  );
}
