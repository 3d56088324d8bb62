import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEmail } from '../../lambdas/adapters/mailer';
import { asFunction } from '../../local/invocation';
import { recordInProcessCalls } from '../support/iam/in-process-recorder';
import { readRecordings } from '../support/iam/recordings';

describe('recording the calls of in-process handlers', () => {
  let server: Server;
  let client: SQSClient;
  let endpoint: string;
  const dir = mkdtempSync(join(tmpdir(), 'iam-recorder-'));
  const file = join(dir, 'calls.jsonl');
  const env = { POLICY_PROFILE: 'littleone', INACTIVITY_QUEUE_URL: 'http://127.0.0.1/123456789012/q' };

  beforeAll(async () => {
    // An endpoint that answers every request like SQS answers GetQueueAttributes.
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ Attributes: {} }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    endpoint = `http://127.0.0.1:${port}`;
    client = new SQSClient({
      region: 'ap-northeast-2',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    recordInProcessCalls(file, 'unit');
  });

  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('attributes a call to the function being invoked, once its stack is announced, and ignores the rest', async () => {
    const ask = () =>
      client.send(
        new GetQueueAttributesCommand({ QueueUrl: env.INACTIVITY_QUEUE_URL, AttributeNames: ['All'] }),
      );
    await ask();
    await asFunction({ handler: 'worker-inactivity', env }, async () => {
      // Attribution follows the invocation's promises and timers.
      await new Promise((resolve) => setTimeout(resolve, 1));
      await ask();
    });
    const read = readRecordings(dir);
    expect(read.calls).toHaveLength(1);
    expect(read.calls[0]).toMatchObject({
      handler: 'worker-inactivity',
      accessKeyId: 'local',
      service: 'sqs',
      action: 'GetQueueAttributes',
      status: 200,
      source: 'unit#0',
    });
    expect(JSON.parse(read.calls[0]!.body)).toMatchObject({ QueueUrl: env.INACTIVITY_QUEUE_URL });
    expect(read.stacks.get('unit#0')).toEqual({ profile: 'littleone', env });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it("records the mailer's own signed SESv2 request as ses:SendEmail", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'mailer-key',
      AWS_SECRET_ACCESS_KEY: 'local',
      SENDER_ADDRESS: 'privacy@littleone.example',
      SES_CONFIGURATION_SET: 'littleone-notices',
    });
    try {
      await asFunction({ handler: 'worker-inactivity', env }, () =>
        sendEmail({ to: 'recorded@example.com', subject: 'Notice', text: 'Body' }),
      );
    } finally {
      process.env = saved;
    }
    const mail = readRecordings(dir).calls.filter((c) => c.accessKeyId === 'mailer-key');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      handler: 'worker-inactivity',
      service: 'ses',
      action: 'SendEmail',
      method: 'POST',
      path: '/v2/email/outbound-emails',
      status: 200,
    });
  });
});
