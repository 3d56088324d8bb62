/**
 * A counting proxy in front of the emulator: every SDK request on the wire (retries included)
 * passes through it, is forwarded unchanged to moto, and is counted by service and operation.
 * DynamoDB requests are also counted in items read and written and in capacity units, computed
 * from the items on the wire by DynamoDB's published rules (moto reports a constant instead).
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';

/** What passed through the proxy since the last {@link CountingProxy.take}. */
export interface CallCounts {
  /** Requests by `service:Operation`, e.g. `kms:Decrypt`, `dynamodb:Query`. */
  readonly calls: Record<string, number>;
  /** Requests per service. */
  readonly byService: Record<string, number>;
  /** Items DynamoDB evaluated for reads (GetItem hits, Query/Scan scanned, batch and transaction gets). */
  readonly itemsRead: number;
  /** Items written or deleted (puts, updates, deletes, batch and transaction writes). */
  readonly itemsWritten: number;
  /** Read capacity units by item size: 4 KB steps, halved when eventually consistent, doubled in transactions. */
  readonly rcu: number;
  /**
   * Write capacity units by item size, a lower bound: puts by the item sent (1 KB steps), updates
   * and deletes at one unit (the stored item's size is not on the wire), doubled in transactions.
   */
  readonly wcuAtLeast: number;
  /**
   * Write request units as DynamoDB bills them, when the proxy measures writes
   * ({@link CountingProxy.measureWrites}): each write by the larger of the item's size before and
   * after it (1 KB steps), doubled in transactions, plus a write to each index the item enters,
   * leaves or changes in (by its projected size; two where its index key changes). Undefined
   * while writes are not measured.
   */
  readonly wcu?: number;
  /**
   * KMS Decrypt calls that unwrapped a member's data key (encryption context names a member);
   * unwrapping a logs data key, shared by every member an instance serves, is not counted here.
   */
  readonly memberKeyUnwraps: number;
}

/** A running proxy. */
export interface CountingProxy {
  /** Point AWS_ENDPOINT_URL here. */
  readonly url: string;
  /** The counts since the last call (or the start), and a fresh start. */
  take(): CallCounts;
  /**
   * Whether to measure write units exactly (off by default): each DynamoDB write then costs two
   * uncounted reads of its item, before and after, so it is for a few operations, not a load.
   */
  measureWrites(on: boolean): void;
  close(): Promise<void>;
}

const empty = (): { -readonly [K in keyof CallCounts]: CallCounts[K] } => ({
  calls: {},
  byService: {},
  itemsRead: 0,
  itemsWritten: 0,
  rcu: 0,
  wcuAtLeast: 0,
  memberKeyUnwraps: 0,
});

type AttributeValue = Record<string, unknown>;

/** DynamoDB's item size: attribute names plus values (strings and binaries by length). */
export function itemSize(item: Record<string, AttributeValue> | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(v as string);
    case 'N':
      return Math.ceil(String(v).replace(/^[-+]/, '').replace('.', '').length / 2) + 1;
    case 'B':
      return Buffer.from(v as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (v as string[]).reduce((n, e) => n + valueSize({ [type[0]!]: e }), 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
    case 'M':
      return 3 + itemSize(v as Record<string, AttributeValue>) + Object.keys(v as object).length;
    default:
      return 0;
  }
}

const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

// biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON bodies are walked by shape.
type Json = any;

/** An item in DynamoDB JSON. */
export type Item = Record<string, AttributeValue>;

/** What DynamoDB bills a write by: the table's key and its global secondary indexes. */
export interface TableShape {
  readonly keys: readonly string[];
  readonly indexes: readonly {
    readonly name: string;
    readonly keys: readonly string[];
    readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
    readonly include?: readonly string[];
  }[];
}

function pick(item: Item, names: Iterable<string>): Item {
  const out: Item = {};
  for (const name of names) if (item[name] !== undefined) out[name] = item[name]!;
  return out;
}

const same = (a: Item, b: Item) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * The write units one item write consumes, from the item before and after it (undefined where
 * there is none): the base table by the larger image, doubled in a transaction, and each index
 * the item is in before or after by its projected image (an index key that changes is a delete
 * and a put; an unchanged projection costs the index nothing).
 */
export function itemWriteUnits(
  table: TableShape,
  before: Item | undefined,
  after: Item | undefined,
  transactional: boolean,
): number {
  let units = writeUnits(Math.max(itemSize(before), itemSize(after))) * (transactional ? 2 : 1);
  for (const index of table.indexes) {
    const project = (item: Item | undefined): Item | undefined => {
      if (!item || !index.keys.every((k) => item[k] !== undefined)) return undefined;
      const keys = [...table.keys, ...index.keys];
      if (index.projection === 'ALL') return item;
      return pick(item, index.projection === 'INCLUDE' ? [...keys, ...(index.include ?? [])] : keys);
    };
    const was = project(before);
    const is = project(after);
    if (was && is) {
      if (!same(pick(was, index.keys), pick(is, index.keys)))
        units += writeUnits(itemSize(was)) + writeUnits(itemSize(is));
      else if (!same(was, is)) units += writeUnits(Math.max(itemSize(was), itemSize(is)));
    } else if (was || is) {
      units += writeUnits(itemSize(was ?? is));
    }
  }
  return units;
}

/** The item writes a DynamoDB write request makes: table, key (or whole item) and whether transactional. */
export function writesOf(
  operation: string,
  req: Json,
): { table: string; key?: Item; item?: Item; transactional: boolean }[] {
  switch (operation) {
    case 'PutItem':
      return [{ table: req.TableName, item: req.Item, transactional: false }];
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ table: req.TableName, key: req.Key, transactional: false }];
    case 'BatchWriteItem':
      return Object.entries<Json[]>(req.RequestItems ?? {}).flatMap(([table, requests]) =>
        requests.map((r) =>
          r.PutRequest
            ? { table, item: r.PutRequest.Item, transactional: false }
            : { table, key: r.DeleteRequest?.Key, transactional: false },
        ),
      );
    case 'TransactWriteItems':
      return (req.TransactItems ?? [])
        .filter((t: Json) => !t.ConditionCheck)
        .map((t: Json) =>
          t.Put
            ? { table: t.Put.TableName, item: t.Put.Item, transactional: true }
            : {
                table: (t.Update ?? t.Delete).TableName,
                key: (t.Update ?? t.Delete).Key,
                transactional: true,
              },
        );
    default:
      return [];
  }
}

/** Adds one DynamoDB request/response pair to `c`. */
function countDynamo(c: ReturnType<typeof empty>, operation: string, req: Json, res: Json): void {
  if (!res) return;
  if (res.__type) {
    // A write refused by its condition still consumes a write unit.
    if (String(res.__type).includes('ConditionalCheckFailed')) c.wcuAtLeast += 1;
    return;
  }
  const consistent = req?.ConsistentRead === true;
  switch (operation) {
    case 'GetItem':
      c.itemsRead += res.Item ? 1 : 0;
      c.rcu += readUnits(itemSize(res.Item), consistent);
      break;
    case 'Query':
    case 'Scan': {
      c.itemsRead += res.ScannedCount ?? res.Count ?? 0;
      const bytes = (res.Items ?? []).reduce((n: number, i: Json) => n + itemSize(i), 0);
      c.rcu += readUnits(bytes, consistent);
      break;
    }
    case 'BatchGetItem':
      for (const items of Object.values<Json[]>(res.Responses ?? {})) {
        c.itemsRead += items.length;
        for (const i of items) c.rcu += readUnits(itemSize(i), false);
      }
      break;
    case 'TransactGetItems':
      for (const r of res.Responses ?? []) {
        c.itemsRead += r.Item ? 1 : 0;
        c.rcu += 2 * readUnits(itemSize(r.Item), true);
      }
      break;
    case 'PutItem':
      c.itemsWritten += 1;
      c.wcuAtLeast += writeUnits(itemSize(req.Item));
      break;
    case 'UpdateItem':
    case 'DeleteItem':
      c.itemsWritten += 1;
      c.wcuAtLeast += 1;
      break;
    case 'BatchWriteItem': {
      const unprocessed = Object.values<Json[]>(res.UnprocessedItems ?? {}).reduce((n, l) => n + l.length, 0);
      for (const requests of Object.values<Json[]>(req.RequestItems ?? {})) {
        for (const r of requests) c.wcuAtLeast += r.PutRequest ? writeUnits(itemSize(r.PutRequest.Item)) : 1;
        c.itemsWritten += requests.length;
      }
      c.itemsWritten -= unprocessed;
      break;
    }
    case 'TransactWriteItems':
      for (const t of req.TransactItems ?? []) {
        if (t.ConditionCheck) {
          c.rcu += 2;
          continue;
        }
        c.itemsWritten += 1;
        c.wcuAtLeast += 2 * (t.Put ? writeUnits(itemSize(t.Put.Item)) : 1);
      }
      break;
  }
}

/** The service of a signed request, from its SigV4 credential scope. */
export function serviceOf(req: IncomingMessage): string | undefined {
  // A presigned request (the photos bucket's) carries its credential in the query instead.
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('X-Amz-Credential');
  const auth = req.headers.authorization ?? (query ? `Credential=${query}` : '');
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
}

/** The operation: the JSON protocols' target header, else SESv2's REST path. */
export function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop()!;
  const path = (req.url ?? '').split('?')[0]!;
  if (req.method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
  return `${req.method} ${path}`;
}

function parse(body: Buffer): Json {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Starts a proxy on a free port forwarding to `upstream` (e.g. moto's http://127.0.0.1:PORT). */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  let counts = empty();
  let measuringWrites = false;
  const shapes = new Map<string, Promise<TableShape>>();
  // Uncounted calls of the proxy's own to moto, signed as the request that prompted them.
  const call = async (
    headers: IncomingMessage['headers'],
    operation: string,
    body: unknown,
  ): Promise<Json> => {
    const res = await fetch(upstream, {
      method: 'POST',
      headers: {
        authorization: String(headers.authorization ?? ''),
        'x-amz-date': String(headers['x-amz-date'] ?? ''),
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
      },
      body: JSON.stringify(body),
    });
    return res.json();
  };
  const shapeOf = (headers: IncomingMessage['headers'], table: string): Promise<TableShape> => {
    let shape = shapes.get(table);
    if (!shape) {
      shape = call(headers, 'DescribeTable', { TableName: table }).then(({ Table: t }: Json) => ({
        keys: (t?.KeySchema ?? []).map((k: Json) => k.AttributeName),
        indexes: (t?.GlobalSecondaryIndexes ?? []).map((i: Json) => ({
          name: i.IndexName,
          keys: i.KeySchema.map((k: Json) => k.AttributeName),
          projection: i.Projection?.ProjectionType ?? 'ALL',
          include: i.Projection?.NonKeyAttributes,
        })),
      }));
      shapes.set(table, shape);
    }
    return shape;
  };
  const imagesOf = async (headers: IncomingMessage['headers'], writes: ReturnType<typeof writesOf>) =>
    Promise.all(
      writes.map(async (w) => {
        const shape = await shapeOf(headers, w.table);
        const key = w.key ?? pick(w.item ?? {}, shape.keys);
        const { Item } = await call(headers, 'GetItem', {
          TableName: w.table,
          Key: key,
          ConsistentRead: true,
        });
        return Item as Item | undefined;
      }),
    );
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await buffer(req);
      // The items a write touches, read before it runs when writes are measured.
      const writes =
        measuringWrites && serviceOf(req) === 'dynamodb' ? writesOf(operationOf(req), parse(body) ?? {}) : [];
      const before = writes.length > 0 ? await imagesOf(req.headers, writes) : [];
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        async (upstreamRes) => {
          const out = await buffer(upstreamRes);
          const service = serviceOf(req);
          if (service) {
            const operation = operationOf(req);
            const key = `${service}:${operation}`;
            counts.calls[key] = (counts.calls[key] ?? 0) + 1;
            counts.byService[service] = (counts.byService[service] ?? 0) + 1;
            if (service === 'dynamodb') {
              const answer = parse(out);
              countDynamo(counts, operation, parse(body), answer);
              if (measuringWrites) {
                let units = 0;
                if (answer?.__type) {
                  // A write refused by its condition consumes a unit and writes nothing.
                  if (String(answer.__type).includes('ConditionalCheckFailed')) units = 1;
                } else if (writes.length > 0) {
                  const after = await imagesOf(req.headers, writes);
                  for (const [i, w] of writes.entries()) {
                    units += itemWriteUnits(
                      await shapeOf(req.headers, w.table),
                      before[i],
                      after[i],
                      w.transactional,
                    );
                  }
                }
                counts.wcu = (counts.wcu ?? 0) + units;
              }
            }
            if (service === 'kms' && operation === 'Decrypt' && parse(body)?.EncryptionContext?.memberId) {
              counts.memberKeyUnwraps += 1;
            }
          }
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          res.end(out);
        },
      );
      forwarded.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forwarded.end(body);
    } catch {
      res.writeHead(502);
      res.end();
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = counts;
      counts = empty();
      if (measuringWrites) counts.wcu = 0;
      return taken;
    },
    measureWrites: (on) => {
      measuringWrites = on;
      counts.wcu = on ? (counts.wcu ?? 0) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
