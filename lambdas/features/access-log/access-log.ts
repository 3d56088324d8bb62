/**
 * The access log (G3; littleone's service-visit records, L10): one record per API call that
 * names a member, holding exactly the catalogue's access-log items (IP address, time, route).
 * Items the catalogue marks encrypted — the IP address above all — are sealed field by field
 * under a logs data key, so the table's readers see ciphertext. Each record expires when the
 * catalogue's access-log class says (DynamoDB TTL); reads skip records past it, because TTL may
 * lag by two days.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, shiftInSeoul } from '../../../model/calendar';
import { tables } from '../../../model/resources';
import { isoDuration } from '../../../policy/duration';
import type { Catalogue, Item } from '../../../policy/schema';
import { awsCall } from '../../adapters/aws-call';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { logSealingKey, openLogKey } from '../../adapters/log-keys';
import { decryptField, encryptField } from '../members/cipher';

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

/** The member's access history with the class that governs it. */
export interface AccessHistory {
  readonly retention: { class: string; label: string; period: string; law?: string };
  readonly entries: AccessView[];
  /** True when older entries exist than those listed (the export lists them all). */
  readonly truncated: boolean;
}

/** Newest entries GET /v1/me lists; the export lists every one. */
export const ACCESS_HISTORY_IN_VIEW = 100;

const TTL = tables.accessLog.ttlAttribute;

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
  return { id, rc, period: rc.period };
}

/** What a sealed access-log value is bound to: its member, record and item. */
const bindingOf = (memberId: string, sk: string, itemId: string) =>
  `access-log/${memberId}/${sk}/item/${itemId}`;

/**
 * Records one call. Throws (a DependencyFailed) when KMS or DynamoDB fails, so the caller can
 * refuse the request: a call that cannot be recorded does not happen.
 */
export async function recordAccess(c: Catalogue, event: AccessEvent): Promise<void> {
  const { id: classId, period } = accessLogClass(c);
  const sk = `${event.at.toISOString()}#${event.requestId}`;
  const items: Record<string, string> = {};
  let wrappedKey: string | undefined;
  for (const [itemId, item] of accessLogItems(c)) {
    const value = recordedValue[item.format.type]?.(event);
    if (value === undefined) continue;
    if (item.encrypted) {
      const key = await logSealingKey();
      wrappedKey = key.wrapped;
      items[itemId] = encryptField(key.plaintext, bindingOf(event.memberId, sk, itemId), value);
    } else {
      items[itemId] = value;
    }
  }
  await awsCall('dynamodb', () =>
    documentClient.send(
      new PutCommand({
        TableName: tableName('accessLog'),
        Item: {
          memberId: event.memberId,
          at: sk,
          items,
          ...(wrappedKey ? { wrappedKey } : {}),
          retentionClass: classId,
          [TTL]: epochSeconds(shiftInSeoul(event.at, period)),
        },
        // A record is written once and never replaced.
        ConditionExpression: 'attribute_not_exists(memberId)',
      }),
    ),
  );
}

interface StoredAccess {
  readonly at: string;
  readonly items: Record<string, string>;
  readonly wrappedKey?: string;
  readonly expiresAt: number;
}

function openRecord(
  c: Catalogue,
  memberId: string,
  record: StoredAccess,
  keys: ReadonlyMap<string, Uint8Array>,
): AccessView {
  const values: Record<string, string> = {};
  const key = record.wrappedKey ? keys.get(record.wrappedKey) : undefined;
  for (const [itemId, item] of accessLogItems(c)) {
    const stored = record.items[itemId];
    if (stored === undefined) continue;
    values[item.format.type] =
      item.encrypted && key ? decryptField(key, bindingOf(memberId, record.at, itemId), stored) : stored;
  }
  return {
    at: values.timestamp ?? record.at.split('#')[0]!,
    ...(values.text !== undefined ? { route: values.text } : {}),
    ...(values['ip-address'] !== undefined ? { ipAddress: values['ip-address'] } : {}),
    until: new Date(record.expiresAt * 1000).toISOString(),
  };
}

/** The member's own access history, newest first, without records past their period. */
export async function accessHistoryOf(
  c: Catalogue,
  memberId: string,
  now: Date,
  limit: number = Number.POSITIVE_INFINITY,
): Promise<AccessHistory> {
  const { id, rc, period } = accessLogClass(c);
  const records: StoredAccess[] = [];
  let startKey: Record<string, unknown> | undefined;
  let truncated = false;
  do {
    const page = await awsCall('dynamodb', () =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName('accessLog'),
          KeyConditionExpression: 'memberId = :m',
          FilterExpression: '#exp > :now',
          ExpressionAttributeNames: { '#exp': TTL },
          ExpressionAttributeValues: { ':m': memberId, ':now': epochSeconds(now) },
          ScanIndexForward: false,
          // Six months of calls can be thousands of records: the view reads only what it lists.
          ...(Number.isFinite(limit) ? { Limit: limit + 1 } : {}),
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    for (const item of (page.Items ?? []) as StoredAccess[]) {
      if (records.length === limit) {
        truncated = true;
        break;
      }
      records.push(item);
    }
    startKey = truncated ? undefined : page.LastEvaluatedKey;
  } while (startKey);
  // Many records share a data key: unwrap each distinct one once, not once per record.
  const keys = new Map<string, Uint8Array>();
  for (const wrapped of new Set(records.flatMap((r) => (r.wrappedKey ? [r.wrappedKey] : [])))) {
    keys.set(wrapped, await openLogKey(wrapped));
  }
  return {
    retention: {
      class: id,
      label: rc.label,
      period: isoDuration(period),
      ...(rc.law ? { law: rc.law } : {}),
    },
    entries: records.map((r) => openRecord(c, memberId, r, keys)),
    truncated,
  };
}
