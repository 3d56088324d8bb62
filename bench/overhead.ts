/**
 * Handler overhead: GET /v1/me invoked in-process (middy chain, validation, catalogue labels,
 * decryption) against the emulator, versus the bare SDK calls the handler needs for the same
 * answer, through the same proxy, in the same order. Warm: the access record (G3), the ledger
 * record opened and closed (L14/G10), the member's partition and access history — five calls.
 * Fresh: the data-key cache is empty, so also GetItem of the wrapped key and two KMS Decrypts
 * (the member's data key, and the logs data key the access history is sealed under).
 */

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { clearDataKeyCache } from '../lambdas/adapters/data-keys';
import { clearLogKeys } from '../lambdas/adapters/log-keys';
import { clientConfig, physicalNames } from '../local/bootstrap';
import { apiGatewayClaims, idTokenClaims, LOCAL_AUDIENCE } from '../local/issuer';
import { lambdaContext, proxyEvent } from '../local/lambda-event';
import { memberPk } from '../model/members-table';
import { routeById } from '../model/routes/table';
import { quantile } from './cold-start';
import type { BenchStack } from './stack';

/** Medians of one comparison, in milliseconds, and their ratio. */
export interface Overhead {
  readonly case: string;
  readonly runs: number;
  readonly handlerMedianMs: number;
  readonly bareMedianMs: number;
  readonly ratio: number;
}

const MEMBER = 'bench-overhead';
const ROUTE = 'get-me';

/** Measures GET /v1/me in-process against its bare SDK calls, `runs` times each, interleaved. */
export async function measureOverhead(stack: BenchStack, runs: number): Promise<Overhead[]> {
  const token = await stack.token(MEMBER, { method: 'apple' });
  const join = await fetch(`${stack.baseUrl}/v1/members`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      items: { userName: 'Overhead', email: 'overhead@example.com' },
      consents: { membership: true, 'service-delivery': true, 'abuse-prevention': true },
      ageAffirmation: true,
      policyVersion: '1.0',
    }),
  });
  if (join.status !== 201) throw new Error(`overhead member could not join: ${join.status}`);

  const { handler } = (await import(`../lambdas/handlers/${ROUTE}.ts`)) as {
    handler: (e: APIGatewayProxyEvent, c: unknown) => Promise<APIGatewayProxyResult>;
  };
  const claims = apiGatewayClaims(
    idTokenClaims(MEMBER, stack.front.issuer, LOCAL_AUDIENCE, { method: 'apple' }),
  );
  const route = routeById(ROUTE);
  const event = () =>
    proxyEvent(
      {
        method: route.method,
        path: route.path,
        search: new URLSearchParams(),
        rawHeaders: [],
        body: null,
        sourceIp: '127.0.0.1',
        localPort: stack.front.port,
      },
      route,
      {},
      claims,
    );
  const invoke = async () => {
    // A context per invocation: its deadline runs from the invocation, as in Lambda.
    const res = await handler(event(), lambdaContext(`bench-${ROUTE}`));
    if (res.statusCode !== 200) throw new Error(`${ROUTE} answered ${res.statusCode}`);
  };

  const config = clientConfig(stack.proxy.url);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  const kms = new KMSClient(config);
  const env = stack.resources.env;
  const members = physicalNames.table(stack.profile, 'members');
  const keys = physicalNames.table(stack.profile, 'keys');
  const accessLog = physicalNames.table(stack.profile, 'accessLog');
  const requests = physicalNames.table(stack.profile, 'requests');
  const query = () =>
    doc.send(
      new QueryCommand({
        TableName: members,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': memberPk(MEMBER) },
        ConsistentRead: true,
      }),
    );
  const history = () =>
    doc.send(
      new QueryCommand({
        TableName: accessLog,
        KeyConditionExpression: 'memberId = :m',
        ExpressionAttributeValues: { ':m': MEMBER },
        ScanIndexForward: false,
      }),
    );
  const bareWarm = async () => {
    const at = new Date().toISOString();
    // An access record of the same size, filed under another member: the handler reads this
    // member's history and must not meet a record it cannot open.
    await doc.send(
      new PutCommand({
        TableName: accessLog,
        Item: {
          memberId: `${MEMBER}-bare`,
          at: `${at}#${randomUUID()}`,
          items: { ipAddress: 'x'.repeat(80), accessedRoute: 'GET /v1/me' },
          retentionClass: 'access-log',
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(memberId)',
      }),
    );
    const requestId = randomUUID();
    await doc.send(
      new PutCommand({
        TableName: requests,
        Item: { requestId, memberId: `${MEMBER}-bare`, type: 'access', status: 'open', receivedAt: at },
        ConditionExpression: 'attribute_not_exists(requestId)',
      }),
    );
    await query();
    await history();
    await doc.send(
      new UpdateCommand({
        TableName: requests,
        Key: { requestId },
        UpdateExpression: 'SET #status = :done, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'completed', ':at': at },
      }),
    );
  };
  const bareFresh = async () => {
    await bareWarm();
    const item = await doc.send(
      new GetCommand({ TableName: keys, Key: { memberId: MEMBER }, ConsistentRead: true }),
    );
    await kms.send(
      new DecryptCommand({
        KeyId: env.MEMBERS_KEY_ID,
        CiphertextBlob: Buffer.from(String(item.Item?.wrappedKey), 'base64'),
        EncryptionContext: { memberId: MEMBER, use: 'member-data-key' },
      }),
    );
    const sealed = (await history()).Items?.find((i) => i.wrappedKey)?.wrappedKey;
    if (sealed) {
      await kms.send(
        new DecryptCommand({
          KeyId: env.LOGS_KEY_ID,
          CiphertextBlob: Buffer.from(String(sealed), 'base64'),
          EncryptionContext: { use: 'log-record' },
        }),
      );
    }
  };

  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const cases = [
    { name: 'GET /v1/me, warm (data key cached)', handler: invoke, bare: bareWarm },
    {
      name: 'GET /v1/me, fresh data-key cache',
      handler: () => {
        clearDataKeyCache();
        clearLogKeys();
        return invoke();
      },
      bare: bareFresh,
    },
  ];
  try {
    const results: Overhead[] = [];
    for (const c of cases) {
      await c.handler();
      await c.bare();
      const h: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < runs; i++) {
        h.push(await time(c.handler));
        b.push(await time(c.bare));
      }
      const handlerMedianMs = quantile(h, 0.5);
      const bareMedianMs = quantile(b, 0.5);
      results.push({
        case: c.name,
        runs,
        handlerMedianMs,
        bareMedianMs,
        ratio: handlerMedianMs / bareMedianMs,
      });
    }
    return results;
  } finally {
    doc.destroy();
    kms.destroy();
  }
}
