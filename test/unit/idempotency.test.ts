/**
 * The Idempotency-Key middleware around a stub handler, its table mocked at the client's send:
 * what it writes, when it replays or refuses, and how it fails closed. Against moto, the member
 * rights and fault suites prove the same on real routes.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, type Mock, type MockInstance, vi } from 'vitest';
import { documentClient } from '../../lambdas/adapters/dynamodb';
import { claimOf, idempotentRequests } from '../../lambdas/adapters/idempotency';
import { statusOf } from '../../lambdas/http/problems';
import { DependencyFailed, DomainError } from '../../lambdas/runtime/errors';
import { apiEvent, context } from '../support/events';

const member = { sub: 'member-1' };
const event = (headers: Record<string, string>, body: unknown = { granted: false }, claims = member) =>
  apiEvent({ method: 'PUT', path: '/v1/me/consents/statistics', body, headers, claims });
const conditionFailed = () =>
  Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
const md5 = (v: unknown) => createHash('md5').update(JSON.stringify(v)).digest('base64');

let send: MockInstance<(command: unknown) => Promise<unknown>>;
let handled: Mock<() => Promise<APIGatewayProxyResult>>;
const sent = (type: new (...args: never[]) => unknown) =>
  send.mock.calls.map(([command]) => command).filter((command) => command instanceof type);

function idempotentHandler() {
  handled = vi.fn(async () => ({ statusCode: 200, body: '{"done":true}' }));
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handled)
    .use(httpHeaderNormalizer())
    .use(idempotentRequests());
}

describe('idempotentRequests', () => {
  beforeEach(() => {
    vi.stubEnv('IDEMPOTENCY_TABLE', 'idempotency-test');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'put-consent');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    send = vi.spyOn(documentClient, 'send') as unknown as typeof send;
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('keys records as the Powertools layer did: function name, caller, key, method and path', () => {
    const c = claimOf(event({ 'idempotency-key': 'k-1' }));
    expect(c).toEqual({
      id: `put-consent#${md5(['member-1', 'k-1', 'PUT', '/v1/me/consents/statistics'])}`,
      validation: md5('{"granted":false}'),
    });
    expect(claimOf(event({ 'idempotency-key': 'k-1' }, undefined, { sub: 'member-2' }))?.id).not.toBe(c?.id);
  });

  it('takes no header, and an empty one, for no key: an empty key would be one key shared by every caller', async () => {
    expect(claimOf(event({}))).toBeUndefined();
    expect(claimOf(event({ 'idempotency-key': '' }))).toBeUndefined();
    const res = await idempotentHandler()(event({ 'Idempotency-Key': '' }), context);
    expect(res.statusCode).toBe(200);
    expect(send).not.toHaveBeenCalled();
  });

  it('claims the key in progress before the operation, then stores the response it answered', async () => {
    send.mockResolvedValue({});
    const res = await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context);
    expect(res).toEqual({ statusCode: 200, body: '{"done":true}' });
    const [put] = sent(PutCommand) as PutCommand[];
    expect(put!.input.Item).toMatchObject({ status: 'INPROGRESS', validation: md5('{"granted":false}') });
    expect(put!.input.Item!.in_progress_expiration).toBeGreaterThan(Date.now());
    const [update] = sent(UpdateCommand) as UpdateCommand[];
    expect(update!.input.ExpressionAttributeValues).toMatchObject({
      ':completed': 'COMPLETED',
      ':data': res,
    });
  });

  it('replays the first response to a repeat without running the operation again', async () => {
    const stored = { statusCode: 201, body: '{"first":true}' };
    send.mockImplementation(async (command: unknown) => {
      if (command instanceof PutCommand) throw conditionFailed();
      if (command instanceof GetCommand) {
        const c = claimOf(event({ 'idempotency-key': 'k-1' }))!;
        return { Item: { ...c, status: 'COMPLETED', expiration: Date.now() / 1000 + 60, data: stored } };
      }
      return {};
    });
    const res = await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context);
    expect(res).toEqual(stored);
    expect(handled).not.toHaveBeenCalled();
    expect(sent(UpdateCommand)).toEqual([]);
  });

  it('refuses a key reused for another body (422) or still in progress (409), and leaves its record alone', async () => {
    const c = claimOf(event({ 'idempotency-key': 'k-1' }))!;
    for (const [record, status] of [
      [{ ...c, validation: md5('{"granted":true}'), status: 'COMPLETED' }, 422],
      [{ ...c, status: 'INPROGRESS', in_progress_expiration: Date.now() + 60_000 }, 409],
    ] as const) {
      send.mockReset();
      send.mockImplementation(async (command: unknown) => {
        if (command instanceof PutCommand) throw conditionFailed();
        return { Item: { ...record, expiration: Date.now() / 1000 + 60 } };
      });
      const failure = await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context).catch((e) => e);
      expect(failure).toBeInstanceOf(DomainError);
      expect(statusOf(failure)).toBe(status);
      expect(handled).not.toHaveBeenCalled();
      expect(sent(DeleteCommand)).toEqual([]);
    }
  });

  it('takes over a key whose holder ran out of time', async () => {
    const c = claimOf(event({ 'idempotency-key': 'k-1' }))!;
    let puts = 0;
    send.mockImplementation(async (command: unknown) => {
      if (command instanceof PutCommand && puts++ === 0) throw conditionFailed();
      if (command instanceof GetCommand) {
        return {
          Item: { ...c, status: 'INPROGRESS', expiration: Date.now() / 1000 + 60, in_progress_expiration: 1 },
        };
      }
      return {};
    });
    const res = await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context);
    expect(res.statusCode).toBe(200);
    expect(handled).toHaveBeenCalledTimes(1);
  });

  it('fails closed when the table fails before the operation: a dependency error, nothing run', async () => {
    send.mockRejectedValue(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const failure = await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context).catch((e) => e);
    expect(failure).toBeInstanceOf(DependencyFailed);
    expect(handled).not.toHaveBeenCalled();
  });

  it('answers the operation when only storing its response fails, and releases the key when it fails', async () => {
    send.mockImplementation(async (command: unknown) => {
      if (command instanceof UpdateCommand) throw new Error('update failed');
      return {};
    });
    expect((await idempotentHandler()(event({ 'Idempotency-Key': 'k-1' }), context)).statusCode).toBe(200);

    send.mockReset();
    send.mockResolvedValue({});
    const failing = idempotentHandler();
    handled.mockRejectedValueOnce(new DependencyFailed('kms'));
    await expect(failing(event({ 'Idempotency-Key': 'k-2' }), context)).rejects.toBeInstanceOf(
      DependencyFailed,
    );
    expect(sent(DeleteCommand)).toHaveLength(1);
  });
});
