/**
 * Starting the erasure of a withdrawn member, or of what a consent withdrawal released, in the
 * operator's silos: the ledger record and one queued message per silo. Kept apart from the steps
 * (silos.ts), so the functions that withdraw only queue (signed SQS requests), without the S3
 * requests and the EventBridge client the steps need.
 */
import type { Catalogue } from '../../../policy/schema';
import { enqueue } from '../../adapters/queue';
import type { RequestChannel } from '../requests/rules';
import { firstDeadline, OPEN, requestExpiry } from '../requests/rules';
import type { Receipt } from '../withdrawal/rules';
import {
  consentSiloOutcomes,
  consentSiloRequestId,
  isFinal,
  pendingOutcomes,
  type SiloOutcome,
  siloRequestId,
  siloSummary,
} from './rules';
import { openSiloRequest, ownSiloRequest, type SiloRequestRecord } from './store';

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

/** A recorded consent withdrawal, as its silo request is derived from it. */
export interface ConsentWithdrawal {
  readonly memberId: string;
  readonly purpose: string;
  /** The decision's time, as recorded: with the member and purpose, it names the silo request. */
  readonly at: string;
  readonly channel: RequestChannel;
}

/**
 * What a consent withdrawal's silo request stands at, as the member is told: `open` while a silo
 * has not answered, `completed` once each is final; each silo's outcome as the ledger holds it.
 */
export interface ConsentSilos {
  readonly requestId: string;
  readonly status: 'open' | 'completed';
  readonly silos: Readonly<Record<string, SiloOutcome>>;
}

/**
 * Starts (or, on a retried withdrawal, resumes) the erasure in the silos of the items the
 * consent withdrawal `w` released: opens its ledger record once, under an id derived from the
 * decision, and queues the silos whose step has not run (`pending`, `retrying`); one already
 * asked or answered is not asked again. Undefined when no silo holds a released item.
 */
export async function startConsentSiloErasure(
  c: Catalogue,
  w: ConsentWithdrawal,
  released: ReadonlySet<string>,
): Promise<ConsentSilos | undefined> {
  const outcomes = consentSiloOutcomes(c, released, w.at);
  if (Object.keys(outcomes).length === 0) return undefined;
  const requestId = consentSiloRequestId(w.memberId, w.purpose, w.at);
  const open = Object.values(outcomes).some((o) => !isFinal(o.status));
  const at = new Date(w.at);
  const record: SiloRequestRecord = {
    requestId,
    memberId: w.memberId,
    type: 'consent-withdrawal',
    channel: w.channel,
    jurisdiction: 'pipa',
    receivedAt: w.at,
    deadline: firstDeadline(c, 'pipa', at),
    handler: 'silo-engine',
    purpose: w.purpose,
    silos: outcomes,
    expiresAt: requestExpiry(c, at),
    // Every silo kept: nothing to ask, so the record is closed as it opens.
    ...(open
      ? { status: 'open', openStatus: OPEN }
      : {
          status: 'completed',
          closedAt: w.at,
          outcome: { action: 'delete', at: w.at, by: 'silo-engine', summary: siloSummary(outcomes) },
        }),
  };
  const current = (await openSiloRequest(record))
    ? record
    : ((await ownSiloRequest(requestId, w.memberId)) ?? record);
  const queued = Object.entries(current.silos).filter(
    ([, o]) => o.status === 'pending' || o.status === 'retrying',
  );
  if (queued.length > 0) {
    await enqueue(
      'silos',
      queued.map(([silo]) => JSON.stringify({ requestId, memberId: w.memberId, silo } satisfies SiloMessage)),
    );
  }
  return { requestId, status: current.openStatus ? 'open' : 'completed', silos: current.silos };
}
