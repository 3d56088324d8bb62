/**
 * A fault-injecting HTTP proxy in front of the emulator. Handlers talk to the proxy as if it were
 * AWS; every call is forwarded to the real moto server unless a rule says this one fails. So a
 * test can make KMS unreachable, DynamoDB throttle or SES refuse, at exactly the call it names,
 * and check what the product left behind.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf, serviceOf } from '../../bench/counting-proxy';

/** An AWS service as the request's SigV4 credential scope names it. */
export type Service = 'kms' | 'dynamodb' | 'ses' | 'cognito-idp' | 'sqs' | 's3' | 'events';

/** One call as the proxy saw it. */
export interface SeenCall {
  readonly service: string;
  readonly operation: string;
}

/** How a matched call fails. */
export type FaultKind =
  /** The connection is dropped before any answer: the service is unreachable. */
  | 'unreachable'
  /** HTTP 500 InternalFailure, as from an outage. */
  | 'internal'
  /** HTTP 400 ThrottlingException, as when capacity or a quota runs out. */
  | 'throttled'
  /** HTTP 400 AccessDeniedException: not retried by the SDK, so one call fails exactly once. */
  | 'denied'
  /**
   * The failure that matters for the service called, none retried by the SDK: KMS finds its key
   * disabled (DisabledException), a DynamoDB transaction is cancelled by a conflicting one
   * (TransactionCanceledException), SES rejects the message (MessageRejected); anything else is
   * denied.
   */
  | 'realistic'
  /**
   * A DynamoDB BatchWriteItem answered 200 with every request left unprocessed, as under
   * sustained throttling of a partition: the caller must retry and, in the end, fail closed.
   */
  | 'unprocessed';

/** Which calls fail, and how. */
export interface FaultRule {
  /** Every service when absent: the k-th call of any kind fails (`after: k`). */
  readonly service?: Service;
  /** e.g. `TransactWriteItems`, `GenerateDataKey`, `SendEmail`; every operation when absent. */
  readonly operation?: string;
  readonly kind?: FaultKind;
  /** Matching calls let through before the first failure. @default 0 */
  readonly after?: number;
  /** How many matching calls fail, from the first; then the service is back. @default every one */
  readonly times?: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** Point handlers here. */
  readonly endpoint: string;
  /** Calls forwarded or failed since the last `reset`. */
  readonly calls: readonly SeenCall[];
  /** Calls failed since the last `reset`. */
  readonly failed: readonly SeenCall[];
  /** Makes matching calls fail from now on (until `reset`). */
  inject(rule: FaultRule): void;
  /** Removes every rule and forgets the calls. */
  reset(): void;
  close(): Promise<void>;
}

interface FaultBody {
  readonly status: number;
  readonly type: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

const FAULT_BODIES: Record<Exclude<FaultKind, 'unreachable' | 'realistic' | 'unprocessed'>, FaultBody> = {
  internal: { status: 500, type: 'InternalFailure' },
  throttled: { status: 400, type: 'ThrottlingException' },
  denied: { status: 400, type: 'AccessDeniedException' },
};

/** The realistic failure of `call`. */
function realisticFault(call: SeenCall): FaultBody {
  if (call.service === 'kms') return { status: 400, type: 'DisabledException' };
  if (call.service === 'dynamodb' && call.operation === 'TransactWriteItems') {
    return {
      status: 400,
      type: 'TransactionCanceledException',
      extra: { CancellationReasons: [{ Code: 'TransactionConflict' }] },
    };
  }
  if (call.service === 'ses') return { status: 400, type: 'MessageRejected' };
  return FAULT_BODIES.denied;
}

/** Answers a BatchWriteItem with every one of its requests unprocessed. */
function answerUnprocessed(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { RequestItems } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { RequestItems: unknown };
    const body = JSON.stringify({ UnprocessedItems: RequestItems });
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
}

/** Starts a proxy on a free local port forwarding to `target` (the emulator's endpoint). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: { rule: FaultRule; seen: number }[] = [];
  const calls: SeenCall[] = [];
  const failed: SeenCall[] = [];

  const server: Server = createServer((req, res) => {
    const call = { service: serviceOf(req) ?? 'unsigned', operation: operationOf(req) };
    calls.push(call);
    const match = rules.find(
      ({ rule }) =>
        (!rule.service || rule.service === call.service) &&
        (!rule.operation || rule.operation === call.operation),
    );
    const index = match ? match.seen++ : 0;
    const after = match?.rule.after ?? 0;
    if (match && index >= after && index < after + (match.rule.times ?? Number.POSITIVE_INFINITY)) {
      failed.push(call);
      const kind = match.rule.kind ?? 'internal';
      if (kind === 'unprocessed') {
        answerUnprocessed(req, res);
        return;
      }
      req.resume();
      if (kind === 'unreachable') {
        req.socket.destroy();
        return;
      }
      const { status, type, extra } = kind === 'realistic' ? realisticFault(call) : FAULT_BODIES[kind];
      const body = JSON.stringify({ __type: type, message: 'injected fault', ...extra });
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': type,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  // SDK clients keep connections alive; close them with the server.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    failed,
    inject: (rule) => {
      rules.push({ rule, seen: 0 });
    },
    reset: () => {
      rules.length = 0;
      calls.length = 0;
      failed.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
