/**
 * Records of handler access (G17; Korean safety standard Art. 8): every privacy-officer action
 * writes exactly one record — officer, time, source IP, member, action, reason — before any
 * data is returned. Records form one hash chain in one partition: each names the hash of the
 * one before, so changing, removing or inserting a record breaks every later link. Nothing
 * ever updates or deletes a record; only TTL removes them once the catalogue's period ends.
 */
import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import canonicalize from 'canonicalize';
import { epochSeconds, shiftInSeoul } from '../../../model/calendar';

import type { Catalogue } from '../../../policy/schema';
import { awsCall, cancelledByCondition } from '../../adapters/aws-call';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { openLogField, sealLogField } from '../../adapters/log-sealer';
import { DependencyFailed } from '../../runtime/errors';

/** The partition of the one chain. */
export const ACCESS_CHAIN = 'handler-access';
/** The link before the first record. */
export const GENESIS_HASH = '0'.repeat(64);
/** Attempts to take the next sequence number when other officers keep taking it first. */
const APPEND_ATTEMPTS = 8;

/** What an officer action tells about itself. */
export interface AccessEvent {
  readonly officerId: string;
  readonly sourceIp: string;
  /** The route id, e.g. `get-admin-member`. */
  readonly action: string;
  readonly memberId?: string;
  readonly requestId?: string;
  readonly reason?: string;
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
  readonly sealed: string;
  readonly expiresAt: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** A record as the officer's API shows it. */
export interface AccessRecordView {
  readonly seq: number;
  readonly at: string;
  readonly officerId: string;
  readonly action: string;
  readonly memberId?: string;
  readonly requestId?: string;
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

const sealContext = (officerId: string, at: string) => ({ record: ACCESS_CHAIN, officerId, at });

/** The instant a record may be destroyed: its creation plus the catalogue's handler-access period. */
export function accessRecordExpiry(c: Catalogue, at: Date): number {
  const rc = c.retention[c.recordClasses.handlerAccess]!;
  if (rc.period === 'until-withdrawal') {
    throw new Error(`recordClasses.handlerAccess: class "${c.recordClasses.handlerAccess}" needs a period`);
  }
  return epochSeconds(shiftInSeoul(at, rc.period));
}

async function tail(): Promise<AccessRecord | undefined> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new QueryCommand({
        TableName: tableName('handlerAccess'),
        KeyConditionExpression: 'chain = :c',
        ExpressionAttributeValues: { ':c': ACCESS_CHAIN },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    ),
  );
  return out.Items?.[0] as AccessRecord | undefined;
}

/**
 * Appends the record of one officer action to the chain and returns it. Two officers acting at
 * once read the same tail; the conditional put lets one take the next number and the other
 * retries on the new tail. Any failure throws, so the action fails with it.
 */
export async function appendAccessRecord(c: Catalogue, event: AccessEvent): Promise<AccessRecord> {
  const at = event.at.toISOString();
  const sealed = await sealLogField(
    JSON.stringify({ sourceIp: event.sourceIp, ...(event.reason ? { reason: event.reason } : {}) }),
    sealContext(event.officerId, at),
  );
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const last = await tail();
    const body: Omit<AccessRecord, 'hash'> = {
      chain: ACCESS_CHAIN,
      seq: (last?.seq ?? 0) + 1,
      at,
      officerId: event.officerId,
      action: event.action,
      ...(event.memberId ? { memberId: event.memberId } : {}),
      ...(event.requestId ? { requestId: event.requestId } : {}),
      sealed,
      expiresAt: accessRecordExpiry(c, event.at),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const record: AccessRecord = { ...body, hash: recordHash(body) };
    try {
      await awsCall(
        'dynamodb',
        () =>
          documentClient.send(
            new PutCommand({
              TableName: tableName('handlerAccess'),
              Item: record,
              ConditionExpression: 'attribute_not_exists(seq)',
            }),
          ),
        ['ConditionalCheckFailedException'],
      );
      return record;
    } catch (error) {
      if (!cancelledByCondition(error)) throw error;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
  throw new DependencyFailed('dynamodb');
}

/** Reads the whole chain in order, page by page. */
export async function* chainRecords(order: 'oldest-first' | 'newest-first' = 'oldest-first') {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName('handlerAccess'),
          KeyConditionExpression: 'chain = :c',
          ExpressionAttributeValues: { ':c': ACCESS_CHAIN },
          ScanIndexForward: order === 'oldest-first',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    for (const item of page.Items ?? []) yield item as AccessRecord;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
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
 * Checks every link. The chain may start after seq 1 only because TTL removed the oldest
 * records once their period ended; from the first record present on, every record must hash to
 * its stored hash, name its predecessor's hash and follow it without a gap.
 */
export async function verifyChain(
  records: AsyncIterable<AccessRecord> = chainRecords(),
): Promise<ChainReport> {
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

/** Records matching the filter, newest first, with their sealed fields opened. */
export async function listAccessRecords(
  filter: AccessRecordFilter,
): Promise<{ records: AccessRecordView[]; truncated: boolean }> {
  const records: AccessRecordView[] = [];
  for await (const r of chainRecords('newest-first')) {
    const at = Date.parse(r.at);
    if (filter.to && at > filter.to.getTime()) continue;
    if (filter.from && at < filter.from.getTime()) break;
    if (filter.officer && r.officerId !== filter.officer) continue;
    if (filter.member && r.memberId !== filter.member) continue;
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
