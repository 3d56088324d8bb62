import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KeyDomain, keyDomains, keyEnv, type TableName, tableEnv, tables } from '../../model/resources';
import { officerRoutes } from '../../model/routes/officer';
import { apiEvent, context } from '../support/events';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

// SES (and S3) are reached through signed `fetch` requests, not an SDK client.
const sends = [
  ...[DynamoDBClient, DynamoDBDocumentClient, KMSClient].map((client) =>
    vi.spyOn(client.prototype, 'send').mockRejectedValue(new Error('no AWS call may happen')),
  ),
  vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no AWS call may happen')),
];

describe('officer routes refuse members before any data-layer call', () => {
  beforeAll(() => {
    process.env.POLICY_PROFILE = 'littleone';
    for (const t of (Object.keys(tables) as TableName[]).map(tableEnv)) process.env[t] = `test-${t}`;
    for (const k of (Object.keys(keyDomains) as KeyDomain[]).map(keyEnv)) process.env[k] = `test-${k}`;
  });
  afterAll(() => {
    for (const spy of sends) spy.mockRestore();
  });

  it.each(
    officerRoutes.map((r) => [r.id, r] as const),
  )('G17: %s answers 403 to a member token and calls neither DynamoDB, KMS nor SES', async (id, route) => {
    const { handler } = (await import(`../../lambdas/handlers/${id}`)) as { handler: Handler };
    const event = apiEvent({
      method: route.method,
      path: route.path,
      ...(route.method === 'POST' ? { body: {} } : {}),
      headers: { 'Idempotency-Key': 'k-1' },
      claims: { sub: 'member-1' },
    });
    const res = await handler(
      { ...event, pathParameters: { memberId: 'member-2', requestId: 'r-1' } },
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ title: 'Forbidden' });
    for (const spy of sends) expect(spy).not.toHaveBeenCalled();
  });

  it('reaches the data layer for an officer, so the spies above would have seen a call', async () => {
    const { handler } = (await import('../../lambdas/handlers/get-admin-member')) as { handler: Handler };
    const event = apiEvent({
      query: { reason: 'complaint' },
      claims: { sub: 'officer-1', 'cognito:groups': 'privacy-officer' },
    });
    const res = await handler({ ...event, pathParameters: { memberId: 'member-2' } }, context);
    expect(res.statusCode).toBe(503);
    expect(sends.some((spy) => spy.mock.calls.length > 0)).toBe(true);
  });
});
