/**
 * The hash chain of handler-access records (G17; Korean safety standard Art. 8): what a record
 * holds, how it links to the one before, when it may be destroyed, and how a chain is checked.
 * Each record names the hash of the one before, so changing, removing or inserting a record
 * breaks every later link.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { epochSeconds, shiftInSeoul } from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';

/** The partition of the one chain. */
export const ACCESS_CHAIN = 'handler-access';
/** The link before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an officer action tells about itself. */
export interface AccessEvent {
  readonly officerId: string;
  readonly sourceIp: string;
  /** The route id, e.g. `get-admin-member`. */
  readonly action: string;
  readonly memberId?: string;
  readonly requestId?: string;
  readonly reason?: string;
  /** The action hands the member's data out (an export); the monthly review lists each. */
  readonly download?: boolean;
  readonly at: Date;
}

/** A stored record. `sealed` holds the source IP and the reason, encrypted under the logs key. */
export interface AccessRecord {
  readonly chain: typeof ACCESS_CHAIN;
  readonly seq: number;
  readonly at: string;
  readonly officerId: string;
  readonly action: string;
  readonly memberId?: string;
  readonly requestId?: string;
  /** Present (true) on a download of a member's data only. */
  readonly download?: true;
  readonly sealed: string;
  readonly expiresAt: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** A record as the officer's API shows it: the sealed source IP and reason opened, no chain fields. */
export interface AccessRecordView
  extends Pick<AccessRecord, 'seq' | 'at' | 'officerId' | 'action' | 'memberId' | 'requestId'> {
  readonly sourceIp: string;
  readonly reason?: string;
}

/** The hash of a record: SHA-256 over the canonical JSON (RFC 8785) of everything but the hash. */
export function recordHash(record: Omit<AccessRecord, 'hash'> | AccessRecord): string {
  const { hash: _hash, ...rest } = record as AccessRecord;
  return createHash('sha256')
    .update(canonicalize(rest) ?? '', 'utf8')
    .digest('hex');
}

/** What a record's sealed fields are bound to: the chain, the officer and the time. */
export const sealContext = (officerId: string, at: string) => ({ record: ACCESS_CHAIN, officerId, at });

/** The fields of an event a record seals: the source IP and the reason. */
export function sealedFields(event: AccessEvent): string {
  return JSON.stringify({ sourceIp: event.sourceIp, ...(event.reason ? { reason: event.reason } : {}) });
}

/** The instant a record may be destroyed: its creation plus the catalogue's handler-access period. */
export function accessRecordExpiry(c: Catalogue, at: Date): number {
  const rc = c.retention[c.recordClasses.handlerAccess]!;
  if (rc.period === 'until-withdrawal') {
    throw new Error(`recordClasses.handlerAccess: class "${c.recordClasses.handlerAccess}" needs a period`);
  }
  return epochSeconds(shiftInSeoul(at, rc.period));
}

/** The record of `event` that follows `last` (the chain's tail, if any), its hash included. */
export function nextRecord(
  c: Catalogue,
  event: AccessEvent,
  sealed: string,
  last: AccessRecord | undefined,
): AccessRecord {
  const body: Omit<AccessRecord, 'hash'> = {
    chain: ACCESS_CHAIN,
    seq: (last?.seq ?? 0) + 1,
    at: event.at.toISOString(),
    officerId: event.officerId,
    action: event.action,
    ...(event.memberId ? { memberId: event.memberId } : {}),
    ...(event.requestId ? { requestId: event.requestId } : {}),
    ...(event.download ? { download: true as const } : {}),
    sealed,
    expiresAt: accessRecordExpiry(c, event.at),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: recordHash(body) };
}

/** What verifying the chain found. */
export interface ChainReport {
  readonly intact: boolean;
  readonly records: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  /** The first record that does not fit, and why. */
  readonly brokenAt?: { seq: number; problem: 'hash mismatch' | 'link mismatch' | 'sequence gap' };
}

/**
 * Checks every link of records read oldest first. The chain may start after seq 1 only because
 * TTL removed the oldest records once their period ended; from the first record present on,
 * every record must hash to its stored hash, name its predecessor's hash and follow it without
 * a gap.
 */
export async function checkChain(records: AsyncIterable<AccessRecord>): Promise<ChainReport> {
  let count = 0;
  let previous: AccessRecord | undefined;
  let firstSeq: number | undefined;
  for await (const record of records) {
    count++;
    firstSeq ??= record.seq;
    const seq = Number(record.seq);
    if (recordHash(record) !== record.hash) {
      return { intact: false, records: count, firstSeq, brokenAt: { seq, problem: 'hash mismatch' } };
    }
    if (previous && seq !== Number(previous.seq) + 1) {
      return { intact: false, records: count, firstSeq, brokenAt: { seq, problem: 'sequence gap' } };
    }
    const expectedPrev = previous?.hash ?? (seq === 1 ? GENESIS_HASH : record.prevHash);
    if (record.prevHash !== expectedPrev) {
      return { intact: false, records: count, firstSeq, brokenAt: { seq, problem: 'link mismatch' } };
    }
    previous = record;
  }
  return { intact: true, records: count, ...(firstSeq ? { firstSeq, lastSeq: previous?.seq } : {}) };
}

/** Filters of GET /v1/admin/access-records. */
export interface AccessRecordFilter {
  readonly officer?: string;
  readonly member?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** Most records one listing returns; narrower filters page through the rest. */
export const ACCESS_RECORD_PAGE = 500;

/**
 * Where a record stands against a filter when records are read newest first: `match`, `skip`,
 * or `end` once records are older than the filter's `from`.
 */
export function filterRecord(filter: AccessRecordFilter, r: AccessRecord): 'match' | 'skip' | 'end' {
  const at = Date.parse(r.at);
  if (filter.to && at > filter.to.getTime()) return 'skip';
  if (filter.from && at < filter.from.getTime()) return 'end';
  if (filter.officer && r.officerId !== filter.officer) return 'skip';
  if (filter.member && r.memberId !== filter.member) return 'skip';
  return 'match';
}
