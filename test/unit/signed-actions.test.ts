/**
 * The queue (SQS) and sign-in account (Cognito) adapters send signed requests of the AWS JSON
 * protocol themselves (lambdas/adapters/signed-fetch.ts). Served by a local endpoint: each request
 * is the one the SDK's client sends for the same input, signed as the service computes it; SQS's
 * answer is checked message by message, as the client checks it; refusals and failures fail
 * closed, and what no retry mends is sent once.
 */
import { createHash } from 'node:crypto';
import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteSignInAccount } from '../../lambdas/adapters/accounts';
import { enqueue } from '../../lambdas/adapters/queue';
import { ATTEMPTS } from '../../lambdas/adapters/signed-fetch';
import { DependencyFailed } from '../../lambdas/runtime/errors';
import { ENV } from '../../model/resources';
import { queues } from '../../model/workloads';
import {
  json,
  type Received,
  type SignedEndpoint,
  signatureComputed,
  startSignedEndpoint,
} from '../support/signed-endpoint';

const secret = 'unit-secret';
const QUEUE_URL = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/littleone-inactivity';
const POOL = 'ap-northeast-2_unitPool';
const MEMBER = '0b6b7a3e-31a3-4a1b-9a55-6c1f4a0e2b11';
let endpoint: SignedEndpoint;
const saved = { ...process.env };

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const bodyOf = (r: Received) => JSON.parse(r.body) as Record<string, unknown>;
/** SQS taking every message of a batch, as it answers. */
const takesAll = (req: Received) => {
  const { Entries } = bodyOf(req) as { Entries: { Id: string; MessageBody: string }[] };
  return {
    Successful: Entries.map((e) => ({
      Id: e.Id,
      MessageId: `id-${e.Id}`,
      MD5OfMessageBody: md5(e.MessageBody),
    })),
    Failed: [],
  };
};

beforeAll(async () => {
  endpoint = await startSignedEndpoint();
  process.env[ENV.endpoint] = endpoint.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDSIGNEDUNIT';
  process.env.AWS_SECRET_ACCESS_KEY = secret;
  process.env.AWS_SESSION_TOKEN = 'session-token';
  process.env[queues.inactivity.env] = QUEUE_URL;
  process.env[ENV.userPoolId] = POOL;
});
afterEach(() => {
  endpoint.received.length = 0;
});
afterAll(async () => {
  process.env = saved;
  await endpoint.close();
});

/** The request the SDK's client sends for the same call, to the same endpoint. */
async function sdkRequest(send: () => Promise<unknown>): Promise<Received> {
  const before = endpoint.received.length;
  await send().catch(() => undefined);
  return endpoint.received[before]!;
}

/** What a request must share with the SDK's: path, target, content type, body, signing service. */
function expectSameAs(mine: Received, theirs: Received) {
  for (const header of ['content-type', 'x-amz-target'])
    expect(mine.headers[header], header).toBe(theirs.headers[header]);
  expect(mine.path).toBe(theirs.path);
  expect(bodyOf(mine)).toEqual(bodyOf(theirs));
  const scope = (r: Received) => signatureComputed(r, secret).scope.split('/').slice(1).join('/');
  expect(scope(mine)).toBe(scope(theirs));
  const { signature, signed } = signatureComputed(mine, secret);
  expect(String(mine.headers.authorization)).toContain(`Signature=${signature}`);
  expect(signed).toEqual(
    expect.arrayContaining(['host', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']),
  );
}

describe('the queue on SQS', () => {
  const bodies = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ memberId: `m-${i}`, now: '2026-11-30T01:00:00Z' }),
  );

  it('sends batches of ten as the SDK sends SendMessageBatch, signed for SQS in Seoul', async () => {
    endpoint.answer = (_n, req, res) => json(res, 200, takesAll(req));
    expect(await enqueue('inactivity', bodies)).toBe(12);
    const mine = endpoint.received.splice(0);
    expect(mine.map((r) => (bodyOf(r).Entries as unknown[]).length).sort()).toEqual([10, 2]);
    const first = mine.find((r) => (bodyOf(r).Entries as unknown[]).length === 10)!;
    const sdk = new SQSClient({
      region: 'ap-northeast-2',
      endpoint: endpoint.url,
      useQueueUrlAsEndpoint: false,
      maxAttempts: 1,
    });
    const theirs = await sdkRequest(() =>
      sdk.send(
        new SendMessageBatchCommand({
          QueueUrl: QUEUE_URL,
          Entries: bodies.slice(0, 10).map((MessageBody, i) => ({ Id: String(i), MessageBody })),
        }),
      ),
    );
    sdk.destroy();
    expectSameAs(first, theirs);
    expect(signatureComputed(first, secret).scope).toMatch(/^\d{8}\/ap-northeast-2\/sqs\/aws4_request$/);
  });

  it('sends again only the messages SQS failed, then completes', async () => {
    endpoint.answer = (n, req, res) => {
      const all = takesAll(req);
      if (n > 0) return json(res, 200, all);
      json(res, 200, {
        Successful: all.Successful.slice(1),
        Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }],
      });
    };
    expect(await enqueue('inactivity', bodies.slice(0, 3))).toBe(3);
    expect(endpoint.received.map((r) => (bodyOf(r).Entries as { Id: string }[]).map((e) => e.Id))).toEqual([
      ['0', '1', '2'],
      ['0'],
    ]);
  });

  it('fails closed when SQS acknowledges a message other than the one sent', async () => {
    endpoint.answer = (_n, req, res) => {
      const all = takesAll(req);
      json(res, 200, {
        ...all,
        Successful: all.Successful.map((s) => ({ ...s, MD5OfMessageBody: md5('other') })),
      });
    };
    await expect(enqueue('inactivity', bodies.slice(0, 1))).rejects.toMatchObject({
      name: 'DependencyFailed',
      dependency: 'sqs',
    });
  });

  it('retries a throttled call, and fails closed once every attempt was throttled', async () => {
    endpoint.answer = (_n, _req, res) =>
      json(
        res,
        400,
        { __type: 'com.amazonaws.sqs#RequestThrottled', message: 'slow down' },
        { 'x-amzn-query-error': 'RequestThrottled;Sender' },
      );
    const error = await enqueue('inactivity', bodies.slice(0, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyFailed);
    expect(((error as DependencyFailed).cause as Error).name).toBe('RequestThrottled');
    expect(endpoint.received).toHaveLength(ATTEMPTS);
  });

  it('sends a refused call once, and fails closed naming the refusal', async () => {
    endpoint.answer = (_n, _req, res) =>
      json(res, 400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'gone' });
    const error = await enqueue('inactivity', bodies.slice(0, 1)).catch((e: unknown) => e);
    expect(((error as DependencyFailed).cause as Error).name).toBe('QueueDoesNotExist');
    expect(endpoint.received).toHaveLength(1);
  });
});

describe('sign-in accounts in the Cognito user pool', () => {
  const cognitoSdk = () =>
    new CognitoIdentityProviderClient({ region: 'ap-northeast-2', endpoint: endpoint.url, maxAttempts: 1 });

  it('finds the account by its sub and deletes it, as the SDK sends ListUsers and AdminDeleteUser', async () => {
    endpoint.answer = (n, _req, res) =>
      json(res, 200, n === 0 ? { Users: [{ Username: 'google_1234', Enabled: true }] } : {});
    await deleteSignInAccount(MEMBER);
    const [list, remove] = endpoint.received.splice(0);
    const sdk = cognitoSdk();
    const theirList = await sdkRequest(() =>
      sdk.send(
        new ListUsersCommand({
          UserPoolId: POOL,
          Filter: `sub = "${MEMBER}"`,
          Limit: 1,
          AttributesToGet: [],
        }),
      ),
    );
    const theirRemove = await sdkRequest(() =>
      sdk.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: 'google_1234' })),
    );
    sdk.destroy();
    expectSameAs(list!, theirList);
    expectSameAs(remove!, theirRemove);
    expect(signatureComputed(remove!, secret).scope).toMatch(
      /^\d{8}\/ap-northeast-2\/cognito-idp\/aws4_request$/,
    );
  });

  it('keeps a quote in a malformed id from escaping the filter', async () => {
    endpoint.answer = (_n, _req, res) => json(res, 200, { Users: [] });
    await deleteSignInAccount('x" or sub = "y');
    expect(bodyOf(endpoint.received[0]!).Filter).toBe('sub = "x or sub = y"');
  });

  it('counts an account already gone as deleted: none listed, or gone between the calls', async () => {
    endpoint.answer = (_n, _req, res) => json(res, 200, { Users: [] });
    await deleteSignInAccount(MEMBER);
    expect(endpoint.received).toHaveLength(1);
    endpoint.received.length = 0;
    endpoint.answer = (n, _req, res) =>
      n === 0
        ? json(res, 200, { Users: [{ Username: 'u' }] })
        : json(res, 400, { __type: 'UserNotFoundException', message: 'User does not exist.' });
    await deleteSignInAccount(MEMBER);
    expect(endpoint.received).toHaveLength(2);
  });

  it('fails closed on any other refusal, and retries a server error', async () => {
    endpoint.answer = (_n, _req, res) => json(res, 400, { __type: 'NotAuthorizedException', message: 'no' });
    await expect(deleteSignInAccount(MEMBER)).rejects.toMatchObject({
      name: 'DependencyFailed',
      dependency: 'cognito',
    });
    expect(endpoint.received).toHaveLength(1);
    endpoint.received.length = 0;
    endpoint.answer = (n, _req, res) =>
      n === 0
        ? json(res, 500, { __type: 'InternalErrorException' })
        : json(res, 200, n === 1 ? { Users: [] } : {});
    await deleteSignInAccount(MEMBER);
    expect(endpoint.received).toHaveLength(2);
  });
});
