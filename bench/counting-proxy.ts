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
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await buffer(req);
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
            if (service === 'dynamodb') countDynamo(counts, operation, parse(body), parse(out));
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
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
