/**
 * The publisher: puts each outbox item the stream delivers on the bus as one event, in stream
 * order, up to ten per call. It stops at the first event the bus refuses and answers that
 * record's sequence number, so Lambda retries from there: what went out before is not sent
 * again, and nothing after it is skipped. Delivery is therefore at least once (a retried call
 * the bus had in fact taken repeats its events); each event's `eventId` lets consumers dedupe.
 */
import { isLifecycleEventType } from '../../../model/lifecycle-event-types';
import { type BusEntry, PUT_EVENTS_MAX_ENTRIES, putEntries } from '../../adapters/events';

/** A stream record as the publisher reads it: its sequence number and the new item's attributes. */
export interface OutboxRecord {
  readonly sequenceNumber: string;
  /** The new image's string attributes (DynamoDB JSON: `{ S: '...' }`). */
  readonly image: Readonly<Record<string, { S?: string } | undefined>>;
}

/** The outcome of one batch: how many events went out, and where a retry must start. */
export interface PublishOutcome {
  readonly published: number;
  readonly calls: number;
  /** The sequence number of the first record not published, when one was not. */
  readonly retryFrom?: string;
}

/**
 * The event an outbox record holds. The writers build each detail from its schema's type
 * (./store.ts); here the record is only checked to be one, so the bundle carries no schemas.
 */
function entryOf(record: OutboxRecord): BusEntry {
  const detailType = record.image.detailType?.S;
  const raw = record.image.detail?.S;
  if (!isLifecycleEventType(detailType) || raw === undefined) throw new Error('Not an outbox record');
  const detail = JSON.parse(raw) as { eventId?: unknown; memberId?: unknown; occurredAt?: unknown };
  const time = new Date(String(detail.occurredAt));
  if (
    detail.eventId !== record.image.eventId?.S ||
    typeof detail.memberId !== 'string' ||
    Number.isNaN(time.getTime())
  ) {
    throw new Error('Not a lifecycle event');
  }
  return { detailType, detail: raw, time };
}

/** The records of `chunk` as events up to the first that is none, and its index (-1 if all are events). */
function entriesOf(chunk: readonly OutboxRecord[]): { entries: BusEntry[]; invalid: number } {
  const entries: BusEntry[] = [];
  for (const [j, record] of chunk.entries()) {
    try {
      entries.push(entryOf(record));
    } catch {
      // Not retried past: Lambda retries it, then bisects, then hands it to the failure destination.
      return { entries, invalid: j };
    }
  }
  return { entries, invalid: -1 };
}

/** Publishes `records` in order; stops at the first failure and says where to resume. */
export async function publishRecords(records: readonly OutboxRecord[]): Promise<PublishOutcome> {
  let published = 0;
  let calls = 0;
  for (let i = 0; i < records.length; i += PUT_EVENTS_MAX_ENTRIES) {
    const chunk = records.slice(i, i + PUT_EVENTS_MAX_ENTRIES);
    const { entries, invalid } = entriesOf(chunk);
    if (entries.length > 0) {
      let refused: number;
      calls++;
      try {
        refused = await putEntries(entries);
      } catch {
        refused = 0;
      }
      if (refused >= 0) {
        return { published: published + refused, calls, retryFrom: chunk[refused]!.sequenceNumber };
      }
      published += entries.length;
    }
    if (invalid >= 0) return { published, calls, retryFrom: chunk[invalid]!.sequenceNumber };
  }
  return { published, calls };
}
