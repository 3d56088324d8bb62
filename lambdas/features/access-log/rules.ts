/**
 * What the access log records of a call (G3; littleone's service-visit records, L10), and for
 * how long: exactly the catalogue's access-log items, each marked for sealing when the catalogue
 * encrypts it, expiring when the catalogue's access-log class ends; and how a stored record reads
 * back to the member.
 */

import { epochSeconds, shiftInSeoul } from '../../../model/calendar';
import { isoDuration } from '../../../policy/duration';
import type { Text } from '../../../policy/i18n';
import type { Catalogue, Duration, Item, RetentionClass } from '../../../policy/schema';

/** One API call, as the HTTP edge knows it. */
export interface AccessEvent {
  readonly memberId: string;
  /** The route's method and path template: ids in concrete paths are nobody's business here. */
  readonly route: string;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly at: Date;
}

/** One record of the member's access history, as the member sees it. */
export interface AccessView {
  readonly at: string;
  readonly route?: string;
  readonly ipAddress?: string;
  /** When the record is destroyed. */
  readonly until: string;
}

/** The retention class of the access log, as the member's history names it. */
export interface AccessRetention {
  readonly class: string;
  readonly label: Text;
  readonly period: string;
  readonly law?: Text;
}

/** The member's access history with the class that governs it. */
export interface AccessHistory {
  readonly retention: AccessRetention;
  readonly entries: AccessView[];
  /** True when older entries exist than those listed (the export lists them all). */
  readonly truncated: boolean;
}

/** Newest entries GET /v1/me lists; the export lists every one. */
export const ACCESS_HISTORY_IN_VIEW = 100;

/** A record of the access log as stored: values of sealed items are ciphertext. */
export interface StoredAccess {
  readonly memberId: string;
  /** The record's id within the member's log: its time, then the request's id. */
  readonly at: string;
  readonly items: Record<string, string>;
  /** The logs data key the sealed items are under, wrapped; set as they are sealed. */
  wrappedKey?: string;
  readonly retentionClass: string;
  /** When the record is destroyed (epoch seconds). */
  readonly expiresAt: number;
}

/** What each catalogue format of an access-log item records from a call. */
const recordedValue: Partial<Record<Item['format']['type'], (e: AccessEvent) => string>> = {
  'ip-address': (e) => e.sourceIp,
  timestamp: (e) => e.at.toISOString(),
  text: (e) => e.route,
};

function accessLogItems(c: Catalogue): [string, Item][] {
  return Object.entries(c.items).filter(([, item]) => item.subject === 'access-log');
}

function accessLogClass(c: Catalogue) {
  const id = c.recordClasses.accessLog;
  const rc = c.retention[id]!;
  // loadCatalogue refuses an access-log class without a period; this keeps the type honest.
  if (rc.period === 'until-withdrawal')
    throw new RangeError(`recordClasses.accessLog "${id}" needs a period`);
  return { id, rc: rc as RetentionClass & { period: Duration } };
}

/** What a sealed access-log value is bound to: its member, record and item. */
export const accessLogBinding = (memberId: string, recordId: string, itemId: string) =>
  `access-log/${memberId}/${recordId}/item/${itemId}`;

/**
 * The record of one call, its values in plain text: those of the items the catalogue encrypts
 * are sealed before it is stored.
 */
export function accessRecordOf(c: Catalogue, event: AccessEvent): StoredAccess {
  const { id, rc } = accessLogClass(c);
  const items: Record<string, string> = {};
  for (const [itemId, item] of accessLogItems(c)) {
    const value = recordedValue[item.format.type]?.(event);
    if (value !== undefined) items[itemId] = value;
  }
  return {
    memberId: event.memberId,
    at: `${event.at.toISOString()}#${event.requestId}`,
    items,
    retentionClass: id,
    expiresAt: epochSeconds(shiftInSeoul(event.at, rc.period)),
  };
}

/**
 * The member's history from their stored records, in the order given: `open` opens a sealed
 * value of a record (or gives it back as stored when the record names no key).
 */
export function accessHistory(
  c: Catalogue,
  records: readonly StoredAccess[],
  truncated: boolean,
  open: (record: StoredAccess, itemId: string, sealed: string) => string,
): AccessHistory {
  const { id, rc } = accessLogClass(c);
  const items = accessLogItems(c);
  const entries = records.map((record) => {
    const values: Record<string, string> = {};
    for (const [itemId, item] of items) {
      const stored = record.items[itemId];
      if (stored !== undefined)
        values[item.format.type] = item.encrypted ? open(record, itemId, stored) : stored;
    }
    return {
      at: values.timestamp ?? record.at.split('#')[0]!,
      ...(values.text !== undefined ? { route: values.text } : {}),
      ...(values['ip-address'] !== undefined ? { ipAddress: values['ip-address'] } : {}),
      until: new Date(record.expiresAt * 1000).toISOString(),
    };
  });
  return {
    retention: {
      class: id,
      label: rc.label,
      period: isoDuration(rc.period),
      ...(rc.law ? { law: rc.law } : {}),
    },
    entries,
    truncated,
  };
}
