/**
 * The Lambda side of the local front: the REST API proxy event API Gateway would send, the
 * batch event SQS's event source would send, and a context object shaped like the Lambda runtime's.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, Context, SQSEvent } from 'aws-lambda';
import type { Route } from '../model/routes/route';
import { LOCAL_ACCOUNT, REGION } from './bootstrap';

/** The stage name the local front pretends to serve. */
export const LOCAL_STAGE = 'local';
/** API Gateway's integration timeout: a handler that takes longer gets a 504. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** What the front knows about one HTTP request. */
export interface IncomingRequest {
  readonly method: string;
  /** The raw path, without the query string. */
  readonly path: string;
  readonly search: URLSearchParams;
  /** Header pairs as received, names in their original case. */
  readonly rawHeaders: readonly string[];
  readonly body: string | null;
  readonly sourceIp: string;
  readonly localPort: number;
}

function singleAndMulti(pairs: Iterable<[string, string]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  // Own keys, defined rather than assigned: a parameter named "toString" or "__proto__" is data.
  const define = <T>(target: Record<string, T>, name: string, value: T) =>
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  for (const [name, value] of pairs) {
    define(single, name, value);
    define(multi, name, [...(Object.hasOwn(multi, name) ? multi[name]! : []), value]);
  }
  return { single, multi };
}

function headerPairs(rawHeaders: readonly string[], sourceIp: string, port: number): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  const has = (name: string) => pairs.some(([n]) => n.toLowerCase() === name.toLowerCase());
  // API Gateway adds these before calling the integration.
  const forwardedFor = pairs.find(([n]) => n.toLowerCase() === 'x-forwarded-for');
  if (forwardedFor) forwardedFor[1] = `${forwardedFor[1]}, ${sourceIp}`;
  else pairs.push(['X-Forwarded-For', sourceIp]);
  if (!has('x-forwarded-proto')) pairs.push(['X-Forwarded-Proto', 'http']);
  if (!has('x-forwarded-port')) pairs.push(['X-Forwarded-Port', String(port)]);
  return pairs;
}

/** "21/Nov/2026:12:00:00 +0000", API Gateway's requestTime format. */
function requestTime(at: Date): string {
  const month = at.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(at.getUTCDate())}/${month}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`;
}

/** The REST API (payload 1.0) proxy event for a matched route. */
export function proxyEvent(
  request: IncomingRequest,
  route: Route,
  pathParameters: Record<string, string>,
  claims: Record<string, string> | undefined,
  now = new Date(),
): APIGatewayProxyEvent {
  const headers = singleAndMulti(headerPairs(request.rawHeaders, request.sourceIp, request.localPort));
  const query = singleAndMulti(request.search.entries());
  const hasQuery = Object.keys(query.single).length > 0;
  const userAgent =
    Object.entries(headers.single).find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? null;
  const requestId = randomUUID();
  return {
    resource: route.path,
    path: request.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      // Public routes have no authorizer on API Gateway, hence no claims.
      authorizer: claims ? { claims } : null,
      domainName: `localhost:${request.localPort}`,
      domainPrefix: 'localhost',
      extendedRequestId: requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${LOCAL_STAGE}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: route.id,
      resourcePath: route.path,
      stage: LOCAL_STAGE,
    },
  };
}

/** A Lambda context for one invocation of `functionName`. */
export function lambdaContext(functionName: string, timeoutMs = INTEGRATION_TIMEOUT_MS): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** The event Lambda's SQS event source sends a worker for `messages` of the queue `queueArn`. */
export function sqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
        SenderId: m.Attributes?.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: REGION,
    })),
  };
}
