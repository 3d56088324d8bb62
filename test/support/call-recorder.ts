/**
 * A recording HTTP proxy in front of the emulator: every AWS request a function makes passes
 * through it unchanged and is written down, with who made it (the SigV4 access key id), which
 * service and action, and the raw body. The artefact suite gives each function's process its own
 * access key id (the function's logical id in the template), so a record names the function that
 * made the call; an IAM check can then evaluate each call against that function's role policy.
 *
 * Records are kept in memory ({@link CallRecorder.records}) and, when a file is given, appended
 * to it as JSON lines, one {@link RecordedCall} per line, in the order the requests arrived
 * (UTF-8, `\n`-terminated, no header). A reader parses each non-empty line with `JSON.parse`.
 * Several recorders may append to one file (appends are whole lines, written synchronously).
 */
import { appendFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/** The variable naming the JSON-lines file the artefact suite appends its calls to. */
export const CALLS_FILE_ENV = 'ARTEFACT_CALLS_FILE';

/**
 * Where the artefact suite writes, next to the calls file, the logical id → emulator resource map
 * of `profile` for that run (test/support/template-resources.ts `EmulatorResource`s, as JSON
 * `{ profile, stackName, resources: { [logicalId]: { type, model, ref, arn, attrs } } }`).
 */
export function resourcesFileOf(callsFile: string, profile: string): string {
  return `${callsFile}.${profile}.resources.json`;
}

/** One AWS request as it reached the emulator. */
export interface RecordedCall {
  /**
   * The access key id of the request's SigV4 `Credential=`. In the artefact suite, the logical id
   * of the Lambda function (AWS::Lambda::Function) in its profile's template, e.g.
   * `ApiGetMeFunctionA1B2C3D4`; `local` for the harness's own set-up calls.
   */
  readonly accessKeyId: string;
  /** The service of the credential scope: `dynamodb`, `kms`, `sqs`, `ses` (SESv2), `cognito-idp`. */
  readonly service: string;
  /**
   * The API action as IAM names it after the service prefix: the `X-Amz-Target` operation
   * (`GetItem`, `GenerateDataKey`, `SendMessageBatch`, `AdminDeleteUser`), the `Action` parameter
   * of query-protocol calls, `SendEmail` for SESv2's `POST /v2/email/outbound-emails`; any other
   * REST call as `METHOD /path`.
   */
  readonly action: string;
  /** The request's HTTP method. */
  readonly method: string;
  /** The request path with its query string, as sent. */
  readonly path: string;
  /** The raw request body, UTF-8 (AWS JSON for every service the functions use). */
  readonly body: string;
  /** The emulator's HTTP status for the request (0 if it never answered). */
  readonly status: number;
  /** The error type of a non-2xx answer, from `x-amzn-errortype` or the body's `__type`. */
  readonly errorType?: string;
  /** Which suite and profile made the call, e.g. `artefacts:littleone`; set by the recorder's owner. */
  readonly source: string;
  /** When the request arrived, ISO 8601. */
  readonly at: string;
}

/** A running recorder. */
export interface CallRecorder {
  /** Point AWS_ENDPOINT_URL here. */
  readonly endpoint: string;
  /** Every call recorded so far. */
  readonly records: readonly RecordedCall[];
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

/** Options of {@link startCallRecorder}. */
export interface CallRecorderOptions {
  /** The emulator's endpoint, e.g. http://127.0.0.1:5000. */
  readonly target: string;
  /** The JSON-lines file to append each record to. @default - records are only kept in memory */
  readonly file?: string;
  /** The records' {@link RecordedCall.source}. */
  readonly source: string;
}

/** The access key id and service of a SigV4 `Authorization` header. */
export function credentialOf(authorization: string | undefined): { accessKeyId?: string; service?: string } {
  const m = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { accessKeyId: m[1]!, service: m[2]! } : {};
}

/**
 * The signing credential of a request: its Authorization header's, or a presigned request's
 * `X-Amz-Credential` (the photos bucket is reached through presigned requests).
 */
export function requestCredentialOf(
  authorization: string | undefined,
  url: string,
): { accessKeyId?: string; service?: string } {
  if (authorization) return credentialOf(authorization);
  const presigned = new URLSearchParams(url.split('?')[1] ?? '').get('X-Amz-Credential');
  return presigned ? credentialOf(`Credential=${presigned}`) : {};
}

/** The action of a request: see {@link RecordedCall.action}. */
export function actionOf(method: string, url: string, target: string | undefined, body: string): string {
  if (target) return target.split('.').pop()!;
  const [path, query] = url.split('?') as [string, string | undefined];
  const fromQuery = new URLSearchParams(query ?? '').get('Action');
  if (fromQuery) return fromQuery;
  if (method === 'POST' && /^Action=/.test(body)) {
    const fromForm = new URLSearchParams(body).get('Action');
    if (fromForm) return fromForm;
  }
  if (method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
  return `${method} ${path}`;
}

function errorTypeOf(header: string | string[] | undefined, body: Buffer): string | undefined {
  if (typeof header === 'string' && header) return header.split(':')[0];
  try {
    const type = (JSON.parse(body.toString('utf8')) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.split('#').pop() : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a recorder on a free local port forwarding every request to `options.target`. */
export async function startCallRecorder(options: CallRecorderOptions): Promise<CallRecorder> {
  const upstream = new URL(options.target);
  const records: RecordedCall[] = [];

  const server: Server = createServer(async (req, res) => {
    const at = new Date().toISOString();
    const body = await buffer(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const text = body.toString('utf8');
    const target = req.headers['x-amz-target'];
    const { accessKeyId, service } = requestCredentialOf(req.headers.authorization, url);
    const note = (status: number, errorType?: string) => {
      const record: RecordedCall = {
        accessKeyId: accessKeyId ?? 'unsigned',
        service: service ?? 'unsigned',
        action: actionOf(method, url, typeof target === 'string' ? target : undefined, text),
        method,
        path: url,
        body: text,
        status,
        ...(errorType ? { errorType } : {}),
        source: options.source,
        at,
      };
      records.push(record);
      if (options.file) appendFileSync(options.file, `${JSON.stringify(record)}\n`);
    };
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method,
        path: url,
        headers: { ...req.headers, host: upstream.host },
      },
      async (answer) => {
        const out = await buffer(answer);
        const status = answer.statusCode ?? 502;
        note(status, status >= 300 ? errorTypeOf(answer.headers['x-amzn-errortype'], out) : undefined);
        res.writeHead(status, answer.headers);
        res.end(out);
      },
    );
    forward.on('error', () => {
      note(0);
      req.socket.destroy();
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
