/**
 * How a cancelled DynamoDB transaction reaches the client: a lost condition and a conflict with
 * another transaction are both lost races (409, retry against fresh state); anything else fails
 * closed (503). moto never cancels with `TransactionConflict`, so the cancellation is served
 * here by a local endpoint in DynamoDB's wire format and parsed by the real SDK.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelledByCondition, cancelledByConflict } from '../../lambdas/adapters/aws-call';
import { statusOf } from '../../lambdas/http/problems';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('classifying a failed write', () => {
  it.each([
    [
      'a transaction one of whose conditions failed',
      cancelled('None', 'ConditionalCheckFailed'),
      true,
      false,
    ],
    ['a transaction cancelled by a conflicting one', cancelled('None', 'TransactionConflict'), false, true],
    [
      'a transaction with a failed condition and a conflict',
      cancelled('ConditionalCheckFailed', 'TransactionConflict'),
      true,
      false,
    ],
    ['a transaction cancelled by throttling', cancelled('None', 'ThrottlingError'), false, false],
    [
      'a single conditional write',
      new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }),
      true,
      false,
    ],
    ['any other error', new Error('boom'), false, false],
    ['not an error at all', 'TransactionConflict', false, false],
  ])('%s', (_, error, condition, conflict) => {
    expect(cancelledByCondition(error)).toBe(condition);
    expect(cancelledByConflict(error)).toBe(conflict);
  });
});

describe('a transaction DynamoDB cancels', () => {
  let server: Server;
  /** The cancellation reasons the endpoint answers the next TransactWriteItems with. */
  let reasons: string[] = [];
  let transactIf: typeof import('../../lambdas/adapters/dynamodb').transactIf;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
          CancellationReasons: reasons.map((Code) => ({ Code })),
        });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    // The document client is built when the module loads, from the environment set above.
    ({ transactIf } = await import('../../lambdas/adapters/dynamodb'));
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  const write = () => transactIf([{ Put: { TableName: 'members', Item: { pk: 'M#1', sk: 'PROFILE' } } }]);

  it('answers 409 when another transaction was changing the same items', async () => {
    reasons = ['None', 'TransactionConflict'];
    const error = await write().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'concurrent-change', title: 'Concurrent change' });
    expect(statusOf(error)).toBe(409);
  });

  it('reports a failed condition to the caller, which names the conflict', async () => {
    reasons = ['ConditionalCheckFailed', 'None'];
    await expect(write()).resolves.toBe(false);
  });

  it('fails closed (503) when the cancellation was not a lost race', async () => {
    reasons = ['None', 'ThrottlingError'];
    const error = await write().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'dependency-failed', dependency: 'dynamodb' });
    expect(statusOf(error)).toBe(503);
  });
});
