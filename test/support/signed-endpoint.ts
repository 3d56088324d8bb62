/**
 * A local endpoint that answers like an AWS service, for the adapters that sign their own requests
 * (lambdas/adapters/signed-fetch.ts): it records each request and checks its SigV4 signature as
 * the service computes it (the emulator checks none).
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/** One request as the endpoint received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** How the endpoint answers the n-th request (0-based); `undefined` holds it unanswered. */
export type Answer = (n: number, req: Received, res: ServerResponse) => void;

/** Answers `status` with `body` as JSON. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A running endpoint: what it received, and how it answers next. */
export interface SignedEndpoint {
  readonly url: string;
  readonly received: Received[];
  answer: Answer;
  close(): Promise<void>;
}

export async function startSignedEndpoint(): Promise<SignedEndpoint> {
  const received: Received[] = [];
  let server: Server;
  const endpoint: SignedEndpoint = {
    url: '',
    received,
    answer: (_n, _req, res) => json(res, 200, {}),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  server = createServer(async (req, res) => {
    const got = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: (await buffer(req)).toString('utf8'),
    };
    received.push(got);
    endpoint.answer(received.length - 1, got, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (endpoint as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return endpoint;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/** The signature a service computes for a header-signed request (SigV4) with `secret`, from what it received. */
export function signatureComputed(
  req: Received,
  secret: string,
): { signature: string; scope: string; signed: string[] } {
  const auth = /^AWS4-HMAC-SHA256 Credential=[^/]+\/([^,]+), SignedHeaders=([^,]+), Signature=(\w+)$/.exec(
    String(req.headers.authorization),
  );
  if (!auth) throw new Error(`not a SigV4 Authorization header: ${req.headers.authorization}`);
  const [, scope, signedList] = auth as unknown as [string, string, string];
  const signed = signedList.split(';');
  const canonical = [
    req.method,
    req.path,
    '',
    signed.map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join(''),
    signedList,
    sha256(req.body),
  ].join('\n');
  const date = String(req.headers['x-amz-date']);
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const [day, region, service] = scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), service!), 'aws4_request');
  return { signature: hmac(key, toSign).toString('hex'), scope, signed };
}
