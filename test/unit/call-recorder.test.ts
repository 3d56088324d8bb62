/**
 * The recording proxy the artefact suite puts in front of the emulator: what it writes for a
 * call is what the IAM check reads, so each field is checked against a request of known shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, credentialOf, type RecordedCall, startCallRecorder } from '../support/call-recorder';
import { type EmulatorResource, type ResourceMap, resolveValue } from '../support/template-resources';

describe('call recorder', () => {
  let upstream: Server;
  let target: string;
  const dir = mkdtempSync(join(tmpdir(), 'call-recorder-'));

  beforeAll(async () => {
    // Stands in for moto: a DynamoDB-style error for one table, success otherwise.
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body.includes('missing')) {
          res.writeHead(400, { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal' });
          res.end('{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const signed = (key: string, service: string) =>
    `AWS4-HMAC-SHA256 Credential=${key}/20261130/ap-northeast-2/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

  it('records key id, service, action, body and answer of each call, as JSON lines', async () => {
    const file = join(dir, 'calls.jsonl');
    const recorder = await startCallRecorder({ target, file, source: 'unit' });
    try {
      const get = await fetch(recorder.endpoint, {
        method: 'POST',
        headers: {
          authorization: signed('ApiGetMeFunction1234', 'dynamodb'),
          'x-amz-target': 'DynamoDB_20120810.GetItem',
        },
        body: '{"TableName":"littleone-members"}',
      });
      expect(get.status).toBe(200);
      const missing = await fetch(recorder.endpoint, {
        method: 'POST',
        headers: {
          authorization: signed('JobsFunction99', 'dynamodb'),
          'x-amz-target': 'DynamoDB_20120810.Query',
        },
        body: '{"TableName":"missing"}',
      });
      expect(missing.status).toBe(400);
      await fetch(`${recorder.endpoint}/v2/email/outbound-emails`, {
        method: 'POST',
        headers: { authorization: signed('WorkerFunction7', 'ses') },
        body: '{"FromEmailAddress":"privacy@example.com"}',
      });
    } finally {
      await recorder.close();
    }
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RecordedCall);
    expect(lines).toEqual(recorder.records);
    expect(lines.map(({ at: _, ...rest }) => rest)).toEqual([
      {
        accessKeyId: 'ApiGetMeFunction1234',
        service: 'dynamodb',
        action: 'GetItem',
        method: 'POST',
        path: '/',
        body: '{"TableName":"littleone-members"}',
        status: 200,
        source: 'unit',
      },
      {
        accessKeyId: 'JobsFunction99',
        service: 'dynamodb',
        action: 'Query',
        method: 'POST',
        path: '/',
        body: '{"TableName":"missing"}',
        status: 400,
        errorType: 'ResourceNotFoundException',
        source: 'unit',
      },
      {
        accessKeyId: 'WorkerFunction7',
        service: 'ses',
        action: 'SendEmail',
        method: 'POST',
        path: '/v2/email/outbound-emails',
        body: '{"FromEmailAddress":"privacy@example.com"}',
        status: 200,
        source: 'unit',
      },
    ]);
  });

  it('reads the action of every protocol and the credential of a SigV4 header', () => {
    expect(actionOf('POST', '/', 'TrentService.GenerateDataKey', '{}')).toBe('GenerateDataKey');
    expect(actionOf('POST', '/', undefined, 'Action=SendMessage&Version=2012-11-05')).toBe('SendMessage');
    expect(actionOf('GET', '/?Action=ListQueues', undefined, '')).toBe('ListQueues');
    expect(actionOf('DELETE', '/v2/email/identities/x', undefined, '')).toBe('DELETE /v2/email/identities/x');
    expect(credentialOf(signed('Fn1', 'kms'))).toEqual({ accessKeyId: 'Fn1', service: 'kms' });
    expect(credentialOf(undefined)).toEqual({});
  });
});

describe('template value resolution', () => {
  const resources: ResourceMap = new Map<string, EmulatorResource>([
    [
      'Table1',
      {
        type: 'AWS::DynamoDB::GlobalTable',
        model: 'table:members',
        ref: 'p-members',
        arn: 'arn:t',
        attrs: { Arn: 'arn:t' },
      },
    ],
    ['Api1', { type: 'AWS::ApiGateway::RestApi', model: 'extra', ref: 'papi', arn: 'arn:a', attrs: {} }],
  ]);

  it('resolves references, joins and pseudo parameters to the emulator', () => {
    expect(resolveValue({ Ref: 'Table1' }, resources)).toBe('p-members');
    expect(resolveValue({ 'Fn::GetAtt': ['Table1', 'Arn'] }, resources)).toBe('arn:t');
    expect(
      resolveValue(
        {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: 'Api1' },
              '.execute-api.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
            ],
          ],
        },
        resources,
      ),
    ).toBe('https://papi.execute-api.ap-northeast-2.amazonaws.com');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own placeholder syntax
    const sub = 'arn:${AWS::Partition}:x:${AWS::AccountId}:${Table1}';
    expect(resolveValue({ 'Fn::Sub': sub }, resources)).toBe('arn:aws:x:123456789012:p-members');
  });

  it('names the token it cannot resolve', () => {
    expect(() => resolveValue({ Ref: 'Nowhere' }, resources)).toThrow(/Ref Nowhere/);
    expect(() => resolveValue({ 'Fn::GetAtt': ['Table1', 'StreamArn'] }, resources)).toThrow(
      /Table1\.StreamArn/,
    );
    expect(() => resolveValue({ 'Fn::ImportValue': 'shared-queue' }, resources)).toThrow(/ImportValue/);
  });
});
