/**
 * The mailer's SESv2 SendEmail as SES sees it, served by a local endpoint in SES's wire format:
 * the request the SDK's SendEmailCommand would send, signed so SES accepts it (the emulator
 * checks no signature, so the signature is verified here as SES computes it); the SDK's standard
 * retries for throttling, server errors and network failures only; a deadline per call; and every
 * failure failing closed with the SES error's name and without the address.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEND_EMAIL_PATH, sendEmail } from '../../lambdas/adapters/mailer';
import { CALL_TIMEOUT_MS, ATTEMPTS as SEND_ATTEMPTS } from '../../lambdas/adapters/signed-fetch';
import { problemFor } from '../../lambdas/http/problems';
import { DependencyFailed } from '../../lambdas/runtime/errors';
import { ENV } from '../../model/resources';
import {
  type Answer,
  json,
  type Received,
  type SignedEndpoint,
  signatureComputed,
  startSignedEndpoint,
} from '../support/signed-endpoint';

const secret = 'unit-secret';
const email = { to: 'mailer-unit@example.com', subject: '알림 Notice', text: '본문 — body' };

let endpoint: SignedEndpoint;
const saved = { ...process.env };
/** What the endpoint received so far. */
let received: Received[] = [];
/** Sets how the endpoint answers. */
let answer: Answer;

const ok: Answer = (_n, _req, res) => json(res, 200, { MessageId: 'm-1' });
/** An SES error answer as the REST-JSON protocol sends it, echoing the address as SES may. */
const sesError =
  (status: number, type: string): Answer =>
  (_n, _req, res) =>
    json(
      res,
      status,
      { message: `Email address is not verified: ${email.to}` },
      { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/` },
    );

beforeAll(async () => {
  endpoint = await startSignedEndpoint();
  endpoint.answer = (n, req, res) => answer(n, req, res);
  received = endpoint.received;
  process.env[ENV.endpoint] = endpoint.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDMAILERUNIT';
  process.env.AWS_SECRET_ACCESS_KEY = secret;
  process.env.AWS_SESSION_TOKEN = 'session-token';
  process.env[ENV.senderAddress] = 'privacy@littleone.example';
  process.env[ENV.configurationSet] = 'littleone-notices';
});
afterEach(() => {
  received.length = 0;
});
afterAll(async () => {
  process.env = saved;
  await endpoint.close();
});

/** The failure `sendEmail` fails closed with. */
async function failure(): Promise<DependencyFailed> {
  const error = await sendEmail(email).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DependencyFailed);
  return error as DependencyFailed;
}

describe('the mailer on SES v2', () => {
  it('sends the SendEmail request of the SDK, signed for SES in Seoul as SES computes it', async () => {
    answer = ok;
    expect(await sendEmail(email)).toBe('m-1');
    const [mine] = received.splice(0);
    expect(mine).toMatchObject({ method: 'POST', path: SEND_EMAIL_PATH });
    expect(mine!.headers['content-type']).toBe('application/json');
    expect(mine!.headers['x-amz-security-token']).toBe('session-token');
    const { signature, scope, signed } = signatureComputed(mine!, secret);
    expect(scope).toMatch(/^\d{8}\/ap-northeast-2\/ses\/aws4_request$/);
    expect(signed).toEqual(
      expect.arrayContaining(['host', 'content-type', 'x-amz-date', 'x-amz-security-token']),
    );
    expect(String(mine!.headers.authorization)).toContain(`Signature=${signature}`);

    // The SDK's client, given the same email, sends the same body to the same path.
    const sdk = new SESv2Client({
      region: 'ap-northeast-2',
      endpoint: process.env[ENV.endpoint],
      maxAttempts: 1,
    });
    await sdk.send(
      new SendEmailCommand({
        FromEmailAddress: 'privacy@littleone.example',
        ConfigurationSetName: 'littleone-notices',
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    sdk.destroy();
    const [theirs] = received;
    expect(theirs).toMatchObject({ method: 'POST', path: SEND_EMAIL_PATH });
    expect(JSON.parse(mine!.body)).toEqual(JSON.parse(theirs!.body));
    expect(credentialService(theirs!)).toBe(credentialService(mine!));
  });

  it('retries a server error and a dropped connection, and answers the attempt that succeeds', async () => {
    answer = (n, req, res) => {
      if (n === 0) json(res, 500, { message: 'internal' }, { 'x-amzn-ErrorType': 'InternalFailure' });
      else if (n === 1) res.socket?.destroy();
      else ok(n, req, res);
    };
    expect(await sendEmail(email)).toBe('m-1');
    expect(received).toHaveLength(3);
    // Each attempt is signed anew and carries the same email.
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  it.each([
    ['429 with no error name', 429, ''],
    ['TooManyRequestsException', 400, 'TooManyRequestsException'],
    ['ThrottlingException', 400, 'ThrottlingException'],
    ['a server error', 503, 'ServiceUnavailable'],
  ])('gives up after %s on every attempt, failing closed with its name', async (_kind, status, type) => {
    answer = type ? sesError(status, type) : (_n, _req, res) => json(res, status, {});
    const error = await failure();
    expect(received).toHaveLength(SEND_ATTEMPTS);
    expect(error.dependency).toBe('ses');
    expect((error.cause as Error).name).toBe(type || 'UnknownError');
  });

  it.each([
    ['MessageRejected', 400],
    ['AccountSuspendedException', 400],
    ['NotFoundException', 404],
  ])('fails closed at once on %s, a refusal no retry mends', async (type, status) => {
    answer = sesError(status, type);
    const error = await failure();
    expect(received).toHaveLength(1);
    expect((error.cause as Error).name).toBe(type);
  });

  it('names the error from the body when the header is absent', async () => {
    answer = (_n, _req, res) =>
      json(res, 400, { __type: 'com.amazonaws.sesv2#BadRequestException', message: email.to });
    expect((await failure()).cause).toMatchObject({ name: 'BadRequestException' });
    received.length = 0;
    answer = (_n, _req, res) => json(res, 400, { code: 'SendingPausedException', message: email.to });
    expect((await failure()).cause).toMatchObject({ name: 'SendingPausedException' });
  });

  it('keeps the address and the message out of the failure and of what the edge logs', async () => {
    answer = sesError(400, 'MessageRejected');
    const error = await failure();
    const outcome = problemFor(error);
    expect(outcome.status).toBe(503);
    expect(outcome.log).toEqual({ error: 'DependencyFailed', dependency: 'ses', cause: 'MessageRejected' });
    const cause = error.cause as Error;
    for (const text of [error.message, cause.message, JSON.stringify(outcome), JSON.stringify(error)]) {
      expect(text).not.toContain(email.to);
      expect(text).not.toContain('not verified');
    }
  });

  it(
    'fails closed when SES does not answer within the deadline',
    async () => {
      answer = () => undefined;
      const started = Date.now();
      const error = await failure();
      expect(Date.now() - started).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS - 50);
      expect((error.cause as Error).name).toBe('TimeoutError');
      // The deadline covers the call: no attempt is started once it has passed.
      expect(received).toHaveLength(1);
    },
    CALL_TIMEOUT_MS * 3,
  );

  it.each([
    ['the sender is not configured', ENV.senderAddress],
    ['the function has no credentials', 'AWS_SECRET_ACCESS_KEY'],
  ])('fails closed without a request when %s', async (_why, variable) => {
    const value = process.env[variable];
    delete process.env[variable];
    try {
      const error = await failure();
      expect(error.dependency).toBe('ses');
      expect(received).toHaveLength(0);
    } finally {
      process.env[variable] = value;
    }
  });
});

function credentialService(req: Received): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+\/[^/]+)\//.exec(String(req.headers.authorization))?.[1];
}
