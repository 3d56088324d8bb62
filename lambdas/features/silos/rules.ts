/**
 * The rules of the operator's data silos (issue 15), pure: which silos a withdrawal or a consent
 * withdrawal reaches, the states of each silo's part of a request, when a silo lags, and the
 * full receipt.
 *
 * States of one silo, in the request's ledger record:
 * - `pending`: queued; the engine has not run its step yet.
 * - `retrying`: a step failed (the reason's kind is kept); the queue retries it with backoff,
 *   then leaves it in the dead-letter queue, where the alarm sees it.
 * - `awaiting`: a custom system was asked (one event, ids only) and has not answered yet.
 * - `erased`, `nothing-held`: done, with how many records or objects went.
 * - `failed`: the custom system answered that it could not erase, with its reason.
 * - `kept` (consent withdrawals only): a table or bucket silo that holds a released item next to
 *   items a purpose still justifies; it keeps one record set per member, so it is not erased,
 *   and the record names the released items (`items`) and those still needed (`kept`).
 * The last four are final: a later answer changes nothing. When every silo is final the
 * request closes; a withdrawal's full receipt (ours, plus every silo's line) is then signed.
 */

import { createHash } from 'node:crypto';
import { shiftInSeoul } from '../../../model/calendar';
import type { Text } from '../../../policy/i18n';
import type { Catalogue, Silo, SiloKind } from '../../../policy/schema';
import type { Receipt } from '../withdrawal/rules';

/** Where one silo's part of a request stands. */
export type SiloStatus = 'pending' | 'retrying' | 'awaiting' | 'erased' | 'nothing-held' | 'failed' | 'kept';

/** The states after which a silo's part is over. */
export const FINAL_STATUSES: readonly SiloStatus[] = ['erased', 'nothing-held', 'failed', 'kept'];

/** One silo's outcome in a request's ledger record; ids, counts and reasons, no personal data. */
export interface SiloOutcome {
  readonly kind: SiloKind;
  readonly status: SiloStatus;
  /** When the silo's part started (queued). */
  readonly since: string;
  /** When it took its current status. */
  readonly at: string;
  /** Records or objects erased (`erased`). */
  readonly count?: number;
  /** Why it failed or is being retried: an error's kind, or the custom system's stated reason. */
  readonly reason?: string;
  /** Steps that failed so far. */
  readonly attempts?: number;
  /** A consent withdrawal's: the silo's items it released (what a custom system is asked to erase). */
  readonly items?: readonly string[];
  /** A `kept` silo's items that a purpose still justifies. */
  readonly kept?: readonly string[];
}

/** How long a table or bucket silo may stay unfinished before it shows as lagging. */
export const STORE_SILO_LAG_MINUTES = 30;

/** The prefix of a silo request's ledger id; the rest is the receipt's id. */
export const SILO_REQUEST_PREFIX = 'silos-';

/** The ledger id of the silo part of the withdrawal with receipt `receiptId`. */
export function siloRequestId(receiptId: string): string {
  return `${SILO_REQUEST_PREFIX}${receiptId}`;
}

/** The prefix of a consent withdrawal's silo request id. */
export const CONSENT_SILO_REQUEST_PREFIX = `${SILO_REQUEST_PREFIX}consent-`;

/**
 * The ledger id of the silo part of one consent decision: derived from the member, the purpose
 * and the decision's time, so a retried withdrawal finds the record its first attempt opened.
 * Hashed, so the id (in event and callback paths) carries no time or purpose in clear.
 */
export function consentSiloRequestId(memberId: string, purpose: string, decidedAt: string): string {
  const digest = createHash('sha256').update(`${memberId}\n${purpose}\n${decidedAt}`).digest('hex');
  return `${CONSENT_SILO_REQUEST_PREFIX}${digest.slice(0, 32)}`;
}

/**
 * What a consent withdrawal asks of each silo holding any item it `released` (items no purpose
 * justifies any longer); silos holding none are left out. A custom system is asked to erase
 * exactly the released items it holds. A table or bucket silo keeps one record set per member:
 * it is erased (the member's records, every version) when every item it holds is released, and
 * otherwise `kept`, untouched, with the released items and those still needed on record.
 */
export function consentSiloOutcomes(
  c: Catalogue,
  released: ReadonlySet<string>,
  at: string,
): Record<string, SiloOutcome> {
  return Object.fromEntries(
    silosOf(c).flatMap(([id, silo]): [string, SiloOutcome][] => {
      const items = silo.items.filter((item) => released.has(item));
      if (items.length === 0) return [];
      const kept = silo.items.filter((item) => !released.has(item));
      const status: SiloStatus = silo.kind !== 'custom' && kept.length > 0 ? 'kept' : 'pending';
      return [
        [id, { kind: silo.kind, status, since: at, at, items, ...(status === 'kept' ? { kept } : {}) }],
      ];
    }),
  );
}

/** Whether `status` ends a silo's part. */
export function isFinal(status: SiloStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** The silos of the catalogue, by id, in declaration order. */
export function silosOf(c: Catalogue): [string, Silo][] {
  return Object.entries(c.silos);
}

/** The first outcome of every silo a withdrawal reaches: all pending, since `at`. */
export function pendingOutcomes(c: Catalogue, at: string): Record<string, SiloOutcome> {
  return Object.fromEntries(
    silosOf(c).map(([id, silo]) => [id, { kind: silo.kind, status: 'pending', since: at, at }]),
  );
}

/** When a silo lags: a custom system past its `answerWithin`, a table or bucket past a fixed lead. */
export function lagsFrom(silo: Silo, since: Date): Date {
  return silo.kind === 'custom'
    ? shiftInSeoul(since, silo.answerWithin)
    : new Date(since.getTime() + STORE_SILO_LAG_MINUTES * 60_000);
}

/** The silos of a record unfinished past their lag threshold at `now`, by id. */
export function laggingSilos(
  c: Catalogue,
  silos: Readonly<Record<string, SiloOutcome>> | undefined,
  now: Date,
): string[] {
  return Object.entries(silos ?? {})
    .filter(([id, o]) => {
      const silo = c.silos[id];
      return !isFinal(o.status) && (!silo || lagsFrom(silo, new Date(o.since)).getTime() <= now.getTime());
    })
    .map(([id]) => id);
}

/** Whether every silo of a record has a final outcome. */
export function allAnswered(silos: Readonly<Record<string, SiloOutcome>>): boolean {
  return Object.values(silos).every((o) => isFinal(o.status));
}

/** One silo's line in the full receipt. */
export interface SiloLine {
  readonly silo: string;
  readonly label: Text;
  readonly kind: SiloKind;
  readonly items: readonly string[];
  readonly outcome: SiloStatus;
  readonly at: string;
  readonly count?: number;
  readonly reason?: string;
}

/** The full receipt: the withdrawal's own, every silo's line, and when the last one answered. */
export interface FullReceipt extends Receipt {
  readonly silos: readonly SiloLine[];
  readonly completedAt: string;
}

/** The full receipt of `receipt` once every silo of `outcomes` answered. */
export function fullReceipt(
  c: Catalogue,
  receipt: Receipt,
  outcomes: Readonly<Record<string, SiloOutcome>>,
): FullReceipt {
  // In the catalogue's order (a stored map keeps none), then any silo it no longer declares.
  const ids = [
    ...Object.keys(c.silos).filter((id) => outcomes[id]),
    ...Object.keys(outcomes).filter((id) => !c.silos[id]),
  ];
  const silos = ids.map((id): SiloLine => {
    const o = outcomes[id]!;
    const silo = c.silos[id];
    return {
      silo: id,
      label: silo?.label ?? { ko: id, en: id },
      kind: o.kind,
      items: silo?.items ?? [],
      outcome: o.status,
      at: o.at,
      ...(o.count !== undefined ? { count: o.count } : {}),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
    };
  });
  const completedAt = silos.reduce((last, l) => (l.at > last ? l.at : last), receipt.withdrawnAt);
  return { ...receipt, silos, completedAt };
}

/** The summary a silo request closes with: counts by outcome. */
export function siloSummary(outcomes: Readonly<Record<string, SiloOutcome>>): string {
  const counts = new Map<string, number>();
  for (const o of Object.values(outcomes)) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return `silos: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`;
}
