/**
 * Records of handler access (G17; Korean safety standard Art. 8): every privacy-officer action
 * writes exactly one record — officer, time, source IP, member, action, reason — before any
 * data is returned. Records form one hash chain in one partition: each names the hash of the
 * one before, so changing, removing or inserting a record breaks every later link. Nothing
 * ever updates or deletes a record; only TTL removes them once the catalogue's period ends.
 */
import type { Catalogue } from '../../../policy/schema';
import { openLogField, sealLogField } from '../../adapters/log-sealer';
import { DependencyFailed } from '../../runtime/errors';
import {
  ACCESS_RECORD_PAGE,
  type AccessEvent,
  type AccessRecord,
  type AccessRecordFilter,
  type AccessRecordView,
  type ChainReport,
  checkChain,
  filterRecord,
  nextRecord,
  sealContext,
  sealedFields,
} from './rules';
import { chainRecords, chainTail, putNextRecord } from './store';

/** Attempts to take the next sequence number when other officers keep taking it first. */
const APPEND_ATTEMPTS = 8;

/**
 * Appends the record of one officer action to the chain and returns it. Two officers acting at
 * once read the same tail; the conditional put lets one take the next number and the other
 * retries on the new tail. Any failure throws, so the action fails with it.
 */
export async function appendAccessRecord(c: Catalogue, event: AccessEvent): Promise<AccessRecord> {
  const sealed = await sealLogField(
    sealedFields(event),
    sealContext(event.officerId, event.at.toISOString()),
  );
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const record = nextRecord(c, event, sealed, await chainTail());
    if (await putNextRecord(record)) return record;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
  }
  throw new DependencyFailed('dynamodb');
}

/** Checks every link of the chain (by default the stored one, oldest first); see {@link checkChain}. */
export function verifyChain(records: AsyncIterable<AccessRecord> = chainRecords()): Promise<ChainReport> {
  return checkChain(records);
}

/** Records matching the filter, newest first, with their sealed fields opened. */
export async function listAccessRecords(
  filter: AccessRecordFilter,
): Promise<{ records: AccessRecordView[]; truncated: boolean }> {
  const records: AccessRecordView[] = [];
  for await (const r of chainRecords('newest-first')) {
    const position = filterRecord(filter, r);
    if (position === 'skip') continue;
    if (position === 'end') break;
    if (records.length === ACCESS_RECORD_PAGE) return { records, truncated: true };
    const opened = JSON.parse(await openLogField(r.sealed, sealContext(r.officerId, r.at))) as {
      sourceIp: string;
      reason?: string;
    };
    records.push({
      seq: Number(r.seq),
      at: r.at,
      officerId: r.officerId,
      action: r.action,
      ...(r.memberId ? { memberId: r.memberId } : {}),
      ...(r.requestId ? { requestId: r.requestId } : {}),
      ...opened,
    });
  }
  return { records, truncated: false };
}
