/** Fixtures: API Gateway REST proxy events and a fixed Lambda context. */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** A Lambda context that never changes between runs. */
export const context = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

/** An API Gateway REST proxy event; `claims` plays the Cognito authorizer's part. */
export function apiEvent(
  options: {
    method?: string;
    path?: string;
    body?: unknown;
    headers?: Record<string, string>;
    query?: Record<string, string>;
    claims?: Record<string, string>;
  } = {},
): APIGatewayProxyEvent {
  const body =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return {
    httpMethod: options.method ?? 'GET',
    path: options.path ?? '/',
    resource: options.path ?? '/',
    body,
    headers: { ...(body !== null ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      identity: { sourceIp: '203.0.113.7' },
      ...(options.claims ? { authorizer: { claims: options.claims } } : {}),
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}
