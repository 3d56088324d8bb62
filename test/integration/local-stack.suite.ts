/**
 * The local stack end to end, for one profile: requests over HTTP to the front, handlers running
 * against moto, resources read back from moto. Each profile's test file calls this once, so each
 * profile gets its own process, emulator and front.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetConfigurationSetCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../lambdas/http/constants';
import { bootstrap, clientConfig, physicalNames } from '../../local/bootstrap';
import { runJob } from '../../local/job';
import {
  ENV,
  type KeyDomain,
  keyDomains,
  keyEnv,
  SCHEDULE_TIMEZONE,
  type TableDefinition,
  type TableName,
  tableEnv,
  tables,
} from '../../model/resources';
import type { Route } from '../../model/routes/route';
import { routeById, routesOf } from '../../model/routes/table';
import { jobs } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';
import { expectProblem, rawRequest, startTestStack, type TestStack } from './harness';

/** A concrete path for a route template: every {param} becomes a harmless id. */
function concretePath(route: Route): string {
  return route.path.replace(/\{[^}]+\}/g, 'sample-id');
}

const keysOf = (partitionKey: { name: string }, sortKey?: { name: string }) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

/** Declares the end-to-end tests of the local stack for `profile`. */
export function describeLocalStack(profile: string): void {
  const catalogue = loadCatalogue(profile);
  const served = routesOf(catalogue);
  const protectedRoute = served.find((r) => r.access !== 'public');
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack(profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${stack.baseUrl}${path}`, init);

  describe(`GET /v1/policy (${profile})`, () => {
    it('serves HTML by default', async () => {
      const response = await get('/v1/policy');
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(body).toMatch(/<html/i);
      expect(body).toContain(catalogue.operator.name.ko);
    });

    it('serves Markdown with ?format=markdown', async () => {
      const response = await get('/v1/policy?format=markdown');
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/markdown/);
      expect(body).toMatch(/^# /m);
      expect(body).not.toMatch(/<html/i);
    });

    it('serves Markdown when the client accepts text/markdown', async () => {
      const response = await get('/v1/policy', { headers: { accept: 'text/markdown' } });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/markdown/);
    });

    it('serves JSON with ?format=json, carrying the catalogue version', async () => {
      const response = await get('/v1/policy?format=json');
      const body = (await response.json()) as { version: string; effectiveDate: string };

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(body.version).toBe(catalogue.policy.version);
      expect(body.effectiveDate).toBe(catalogue.policy.effectiveDate);
    });

    it('refuses an unknown query parameter with a 400 problem naming it', async () => {
      const problem = await expectProblem(await get('/v1/policy?colour=blue'), 400);

      expect(problem.detail).toContain('colour');
    });

    it('refuses an unknown format with a 400 problem', async () => {
      await expectProblem(await get('/v1/policy?format=pdf'), 400);
    });
  });

  describe(`GET /v1/openapi.json (${profile})`, () => {
    const openapi = async () => {
      const response = await get('/v1/openapi.json');
      expect(response.status).toBe(200);
      return (await response.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { operationId: string }>>;
      };
    };

    it('is an OpenAPI 3.1 document listing every route of the profile', async () => {
      const document = await openapi();

      expect(document.openapi).toMatch(/^3\.1\./);
      for (const route of served) {
        expect(document.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.id);
      }
    });

    it('lists no operation the profile does not serve', async () => {
      const document = await openapi();
      const operations = Object.values(document.paths).flatMap((ops) => Object.values(ops));

      expect(operations.map((o) => o.operationId).sort()).toEqual(served.map((r) => r.id).sort());
    });
  });

  describe(`the gateway (${profile})`, () => {
    it('answers an unknown path with a 404 problem', async () => {
      await expectProblem(await get('/v1/no-such-thing'), 404);
    });

    it('answers a known path with a wrong method with a 405 problem and an Allow header', async () => {
      const response = await get('/v1/policy', { method: 'DELETE' });

      expect(response.headers.get('allow')).toBe('GET');
      await expectProblem(response, 405);
    });

    it.each([
      ['declared by Content-Length', {}],
      ['sent in chunks', { 'transfer-encoding': 'chunked' }],
    ])('refuses a body over the limit (%s) with a 413 problem, without calling the handler', async (_, framing) => {
      const before = stack.log.length;
      const response = await rawRequest(`${stack.baseUrl}/v1/policy`, {
        method: 'GET',
        headers: { 'content-type': 'application/json', ...framing },
        body: Buffer.alloc(MAX_BODY_BYTES + 1, 'a'),
      });

      await expectProblem(response, 413);
      expect(stack.log.slice(before)).toEqual([expect.stringMatching(/^GET get-policy 413 \d+ms$/)]);
    });

    it('logs method, route, status and time only: never paths, queries or tokens', async () => {
      const token = await stack.token('log-probe-member');
      await get('/v1/policy?format=json', { headers: { authorization: `Bearer ${token}` } });
      const line = stack.log.at(-1) ?? '';

      expect(line).toMatch(/^GET get-policy 200 \d+ms$/);
      expect(stack.log.join('\n')).not.toContain(token);
      expect(stack.log.join('\n')).not.toContain('log-probe-member');
    });

    it.skipIf(!protectedRoute)('refuses a protected route without a token, with a 401 problem', async () => {
      const route = protectedRoute!;
      await expectProblem(await get(concretePath(route), { method: route.method }), 401);
    });

    it.skipIf(!protectedRoute)(
      'refuses a token with a bad signature or an expired token, with 401',
      async () => {
        const route = protectedRoute!;
        const good = await stack.token('alice');
        const [header, payload] = good.split('.');
        const forged = `${header}.${payload}.${'A'.repeat(342)}`;
        const expired = await stack.token('alice', { expiresInSeconds: -60 });

        for (const token of [forged, expired, 'not-a-jwt']) {
          const response = await get(concretePath(route), {
            method: route.method,
            headers: { authorization: `Bearer ${token}` },
          });
          await expectProblem(response, 401);
        }
      },
    );
  });

  describe.runIf(protectedRoute)(`a member route behind the authorizer (${profile})`, () => {
    it('runs the handler for a valid token: the member is read from the token, not refused', async () => {
      const response = await get('/v1/me', {
        headers: { authorization: `Bearer ${await stack.token('carol')}` },
      });

      expect(response.status).not.toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/);
      expect(stack.log.at(-1)).toMatch(new RegExp(`^GET get-me ${response.status} \\d+ms$`));
    });
  });

  describe(`scheduled jobs (${profile})`, () => {
    it.each(
      Object.keys(jobs),
    )('runs the %s job once against the emulator, as `npm run job` does', async (job) => {
      const result = await runJob(job as keyof typeof jobs, stack.env, profile, '2030-01-01T04:00:00+09:00');

      expect(Object.values(result as Record<string, unknown>).every((n) => typeof n === 'number')).toBe(true);
    });
  });

  describe(`the API reference and the local issuer (${profile})`, () => {
    it('serves /docs as an HTML page loading the OpenAPI document', async () => {
      const response = await get('/docs');
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(body).toContain(routeById('get-openapi').path);
      const scripts = [...body.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
      for (const src of scripts) expect((await get(src)).status).toBe(200);
    });

    it('publishes the key that signs its tokens at /.well-known/jwks.json', async () => {
      const token = await stack.token('alice');
      const jwks = (await (await get('/.well-known/jwks.json')).json()) as {
        keys: { kid: string; d?: string }[];
      };

      expect(jwks.keys.map((k) => k.kid)).toEqual([decodeProtectedHeader(token).kid]);
      expect(jwks.keys[0]).not.toHaveProperty('d');
    });
  });

  describe(`clause G14: no cookies (${profile})`, () => {
    it('sets no cookie on any response: routes, problems, docs and keys', async () => {
      const token = await stack.token('alice', { groups: ['privacy-officer'] });
      const responses = await Promise.all([
        ...served.map((route) =>
          get(concretePath(route), { method: route.method, headers: { authorization: `Bearer ${token}` } }),
        ),
        get('/v1/policy?format=markdown'),
        get('/v1/policy?colour=blue'),
        get('/v1/no-such-thing'),
        get('/v1/policy', { method: 'POST' }),
        get('/docs'),
        get('/.well-known/jwks.json'),
        ...(protectedRoute ? [get(concretePath(protectedRoute), { method: protectedRoute.method })] : []),
      ]);

      for (const response of responses) {
        expect(response.headers.getSetCookie()).toEqual([]);
        await response.body?.cancel();
      }
    });
  });

  describe(`bootstrap (${profile})`, () => {
    const expectedTableDescription = (definition: TableDefinition) => ({
      KeySchema: keysOf(definition.partitionKey, definition.sortKey),
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });

    it('creates every table with the keys, indexes and TTL attribute resources.ts defines', async () => {
      const ddb = new DynamoDBClient(clientConfig(stack.endpoint));
      for (const [name, definition] of Object.entries(tables) as [string, TableDefinition][]) {
        const tableName = stack.env[tableEnv(name as TableName)]!;
        const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
        const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

        expect(tableName).toBe(`${profile}-${name}`);
        expect(Table).toMatchObject(expectedTableDescription(definition));
        expect(
          (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
            name: i.IndexName,
            keys: i.KeySchema,
            projection: i.Projection?.ProjectionType,
          })),
        ).toEqual(
          definition.indexes.map((i) => ({
            name: i.name,
            keys: keysOf(i.partitionKey, i.sortKey),
            projection: i.projection,
          })),
        );
        if (definition.ttlAttribute) {
          expect(ttl.TimeToLiveDescription).toMatchObject({
            TimeToLiveStatus: 'ENABLED',
            AttributeName: definition.ttlAttribute,
          });
        } else {
          expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).not.toBe('ENABLED');
        }
        expect(Table?.SSEDescription?.KMSMasterKeyArn).toContain(stack.env[keyEnv(definition.key)]!);
      }
      ddb.destroy();
    });

    it('creates every KMS key with its spec and usage, under its alias, named in the environment', async () => {
      const kms = new KMSClient(clientConfig(stack.endpoint));
      for (const [domain, definition] of Object.entries(keyDomains)) {
        const alias = `alias/privacy-${profile}-${domain}`;
        const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: alias }));

        expect(KeyMetadata).toMatchObject({ KeySpec: definition.spec, KeyUsage: definition.usage });
        expect(stack.env[keyEnv(domain as KeyDomain)]).toBe(KeyMetadata?.KeyId);
      }
      kms.destroy();
    });

    it('schedules every job in Asia/Seoul, aimed at its function in Seoul', async () => {
      const scheduler = new SchedulerClient(clientConfig(stack.endpoint));
      for (const [job, definition] of Object.entries(jobs)) {
        const schedule = await scheduler.send(new GetScheduleCommand({ Name: `${profile}-${job}` }));

        expect(schedule.ScheduleExpression).toBe(definition.schedule);
        expect(schedule.ScheduleExpressionTimezone).toBe(SCHEDULE_TIMEZONE);
        expect(SCHEDULE_TIMEZONE).toBe('Asia/Seoul');
        expect(schedule.Target?.Arn).toMatch(
          new RegExp(`^arn:aws:lambda:ap-northeast-2:\\d{12}:function:${profile}-${definition.handler}$`),
        );
        expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual({ job });
      }
      scheduler.destroy();
    });

    it('verifies the sender identity and creates the configuration set', async () => {
      const ses = new SESv2Client(clientConfig(stack.endpoint));
      const identity = await ses.send(
        new GetEmailIdentityCommand({ EmailIdentity: stack.env[ENV.senderAddress]! }),
      );
      const set = await ses.send(
        new GetConfigurationSetCommand({ ConfigurationSetName: stack.env[ENV.configurationSet]! }),
      );

      expect(stack.env[ENV.senderAddress]).toBe(physicalNames.sender(profile));
      expect(identity.VerificationStatus).toBe('SUCCESS');
      expect(set.ConfigurationSetName).toBe(stack.env[ENV.configurationSet]);
      ses.destroy();
    });

    it('gives handlers the profile, Seoul, the emulator and credentials only the emulator accepts', () => {
      expect(stack.env).toMatchObject({
        [ENV.profile]: profile,
        [ENV.endpoint]: stack.endpoint,
        AWS_REGION: 'ap-northeast-2',
        AWS_ACCESS_KEY_ID: 'local',
      });
      for (const variable of [
        ...(Object.keys(tables) as TableName[]).map(tableEnv),
        ...(Object.keys(keyDomains) as KeyDomain[]).map(keyEnv),
      ]) {
        expect(stack.env[variable]).toBeTruthy();
      }
    });

    it('is idempotent: running it again keeps every resource and returns the same environment', async () => {
      const again = await bootstrap({ profile, endpoint: stack.endpoint });

      expect(again.env).toEqual(stack.env);
    });
  });
}
