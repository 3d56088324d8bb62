/**
 * The local front as API Gateway's stand-in, with stand-in handlers that echo what they receive:
 * route matching, the Cognito authorizer's checks, the proxy event and the Lambda response
 * mapping. Needs no emulator.
 */
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from '../../lambdas/http/principal';
import { type Front, startFront } from '../../local/front';
import { generateIssuerKey, type IssuerKey, signIdToken } from '../../local/issuer';
import type { Route } from '../../model/routes/route';
import { expectProblem } from './harness';

const HANDLERS = fileURLToPath(new URL('./fixtures/handlers', import.meta.url));

function route(id: string, method: Route['method'], path: string, access: Route['access']): Route {
  return {
    id,
    method,
    path,
    access,
    summary: id,
    tags: ['test'],
    responses: { 200: { description: 'ok' } },
    raises: {},
    grants: {},
  };
}

const testRoutes: Route[] = [
  route('echo-event', 'GET', '/v1/echo/{itemId}', 'member'),
  route('echo-delete', 'DELETE', '/v1/echo/{itemId}', 'member'),
  route('echo-public', 'GET', '/v1/echo/special', 'public'),
  route('throws', 'GET', '/v1/fail/throws', 'public'),
  route('malformed', 'GET', '/v1/fail/malformed', 'public'),
  route('missing', 'GET', '/v1/fail/missing', 'public'),
  route('base64', 'GET', '/v1/binary', 'public'),
];

interface Echo {
  event: APIGatewayProxyEvent;
  context: { functionName: string; invokedFunctionArn: string; remainingMs: number };
  profile: string;
}

describe('the local front', () => {
  let front: Front;
  let key: IssuerKey;
  const log: string[] = [];
  const url = (path: string) => `http://127.0.0.1:${front.port}${path}`;
  const token = (sub: string, options: Parameters<typeof signIdToken>[3] = {}) =>
    signIdToken(key, front.issuer, sub, options);
  const bearer = async (sub = 'alice', options: Parameters<typeof signIdToken>[3] = {}) => ({
    authorization: `Bearer ${await token(sub, options)}`,
  });

  beforeAll(async () => {
    key = await generateIssuerKey();
    front = await startFront({
      profile: 'littleone',
      env: { POLICY_PROFILE: 'littleone' },
      issuerKey: key,
      port: 0,
      routes: testRoutes,
      handlersDir: HANDLERS,
      recordSignIns: false,
      log: (line) => log.push(line),
    });
  });
  afterAll(async () => {
    await front?.close();
  });

  describe('the proxy event', () => {
    it('carries the template, decoded path parameters, query and headers as API Gateway sends them', async () => {
      const response = await fetch(url('/v1/echo/a%20b?x=1&x=2&y=3'), {
        headers: { ...(await bearer()), 'X-Custom': 'one' },
      });
      const { event, context, profile } = (await response.json()) as Echo;

      expect(response.status).toBe(200);
      expect(event).toMatchObject({
        resource: '/v1/echo/{itemId}',
        path: '/v1/echo/a%20b',
        httpMethod: 'GET',
        pathParameters: { itemId: 'a b' },
        queryStringParameters: { x: '2', y: '3' },
        multiValueQueryStringParameters: { x: ['1', '2'], y: ['3'] },
        body: null,
        isBase64Encoded: false,
        stageVariables: null,
      });
      expect(event.headers['X-Custom']).toBe('one');
      expect(event.multiValueHeaders['X-Custom']).toEqual(['one']);
      expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
      expect(event.requestContext).toMatchObject({
        resourcePath: '/v1/echo/{itemId}',
        httpMethod: 'GET',
        stage: 'local',
        path: '/local/v1/echo/a%20b',
        identity: { sourceIp: '127.0.0.1' },
      });
      expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(context.functionName).toBe('littleone-echo-event');
      expect(context.invokedFunctionArn).toMatch(/^arn:aws:lambda:ap-northeast-2:/);
      expect(context.remainingMs).toBeGreaterThan(0);
      expect(context.remainingMs).toBeLessThanOrEqual(29_000);
      expect(profile).toBe('littleone');
    });

    it('passes verified claims as strings, the way the Cognito authorizer does', async () => {
      const response = await fetch(url('/v1/echo/x'), {
        headers: await bearer('alice', { method: 'google', groups: ['privacy-officer'] }),
      });
      const { event } = (await response.json()) as Echo;
      const claims = event.requestContext.authorizer?.claims as Record<string, unknown>;

      expect(claims).toMatchObject({ sub: 'alice', token_use: 'id', 'cognito:groups': 'privacy-officer' });
      for (const value of Object.values(claims)) expect(typeof value).toBe('string');
      expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
      expect(claims.auth_time).toMatch(/^\d+$/);
      expect(JSON.parse(claims.identities as string)).toMatchObject({ providerName: 'Google' });
    });

    it.each([
      ['google', ['privacy-officer'], 'google'],
      ['apple', [], 'apple'],
      ['password', ['privacy-officer', 'auditor'], 'password'],
    ] as const)('lets handlers read a %s member, their groups and the identifiers their sign-in carries (G1, L2)', async (method, groups, expected) => {
      const response = await fetch(url('/v1/echo/x'), { headers: await bearer('bob', { method, groups }) });
      const { event } = (await response.json()) as Echo;

      // Cognito names a federated account <provider>_<the provider's user id>.
      const signInIds =
        method === 'password'
          ? { username: 'bob' }
          : {
              username: `${method === 'apple' ? 'signinwithapple' : 'google'}_bob`,
              'provider-user-id': 'bob',
            };
      expect(principalOf(event)).toEqual({ memberId: 'bob', groups, method: expected, signInIds });
    });

    it('accepts the raw token without the Bearer scheme, as the Cognito authorizer does', async () => {
      const response = await fetch(url('/v1/echo/x'), { headers: { authorization: await token('alice') } });

      expect(response.status).toBe(200);
    });

    it('gives public routes no authorizer claims, even when a token is sent', async () => {
      const response = await fetch(url('/v1/echo/special'), { headers: await bearer() });
      const { event } = (await response.json()) as Echo;

      expect(event.resource).toBe('/v1/echo/special');
      expect(event.requestContext.authorizer?.claims).toBeUndefined();
    });
  });

  describe('the authorizer', () => {
    it.each([
      ['no token', async () => ({})],
      [
        'another key',
        async () => ({
          authorization: `Bearer ${await signIdToken(await generateIssuerKey(), front.issuer, 'alice')}`,
        }),
      ],
      ['an expired token', () => bearer('alice', { expiresInSeconds: -1 })],
      [
        'another issuer',
        async () => ({
          authorization: `Bearer ${await signIdToken(key, 'https://cognito-idp.example', 'alice')}`,
        }),
      ],
      ['another audience', () => bearer('alice', { audience: 'someone-else' })],
      ['garbage', async () => ({ authorization: 'Bearer not.a.jwt' })],
    ])('refuses %s with a 401 problem, without calling the handler', async (_, headers) => {
      const before = log.length;
      const response = await fetch(url('/v1/echo/x'), { headers: await headers() });

      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      await expectProblem(response, 401);
      expect(log.slice(before)).toEqual([expect.stringMatching(/^GET echo-event 401 \d+ms$/)]);
    });
  });

  describe('routing', () => {
    it('prefers a literal segment over a parameter', async () => {
      const response = await fetch(url('/v1/echo/special'));

      expect(response.status).toBe(200);
    });

    it('lists every method of the path in Allow on a 405', async () => {
      const response = await fetch(url('/v1/echo/x'), { method: 'PUT' });

      expect(response.headers.get('allow')).toBe('GET, DELETE');
      await expectProblem(response, 405);
    });

    it('refuses a path that is not validly percent-encoded with a 400 problem', async () => {
      await expectProblem(await fetch(url('/v1/echo/%E0%A4%A'), { headers: await bearer() }), 400);
    });
  });

  describe('the Lambda response', () => {
    it('answers 502 without internals when the handler throws', async () => {
      const body = await expectProblem(await fetch(url('/v1/fail/throws')), 502);

      expect(JSON.stringify(body)).not.toContain('secret');
      expect(log.join('\n')).not.toContain('secret');
    });

    it('answers 502 when the handler returns something other than a proxy result', async () => {
      await expectProblem(await fetch(url('/v1/fail/malformed')), 502);
    });

    it('answers 502 when the route has no handler file yet', async () => {
      await expectProblem(await fetch(url('/v1/fail/missing')), 502);
    });

    it('decodes base64 bodies and sends multi-value headers', async () => {
      const response = await fetch(url('/v1/binary'));

      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(response.headers.get('vary')).toBe('Accept, Accept-Language');
    });
  });
});
