/**
 * Sending work to a queue (SQS) in Seoul, as signed requests (signed-fetch.ts) of the AWS JSON
 * protocol the SDK's client speaks, to the regional endpoint (or AWS_ENDPOINT_URL) with the queue
 * named in the body. Messages carry ids and a clock only, never personal data.
 */
import { createHash } from 'node:crypto';
import type { QueueName } from '../../model/resources';
import { queues } from '../../model/workloads';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';
import { jsonAction } from './signed-fetch';

const SQS = {
  signingName: 'sqs',
  endpoint: `https://sqs.${SEOUL_REGION}.amazonaws.com`,
  jsonVersion: '1.0',
} as const;

/** SQS takes at most ten messages per batch. */
const BATCH = 10;
/** Batches in flight at once: a million messages take about 100,000 batches. */
const PARALLEL_BATCHES = 16;
const ATTEMPTS = 5;

interface BatchAnswer {
  readonly Successful?: readonly { readonly Id?: string; readonly MD5OfMessageBody?: string }[];
  readonly Failed?: readonly { readonly Id?: string }[];
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function sendBatch(url: string, bodies: readonly string[]): Promise<void> {
  let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
  for (let attempt = 1; entries.length > 0; attempt++) {
    const sent = entries;
    const out = await awsCall('sqs', async () => {
      // The query mode header asks for the error names of the older protocol, as the SDK does.
      const answer = (await jsonAction(
        SQS,
        'AmazonSQS.SendMessageBatch',
        { QueueUrl: url, Entries: sent },
        { 'x-amzn-query-mode': 'true' },
      )) as BatchAnswer;
      // As the SDK's client checks: each message SQS took is the one sent.
      for (const ok of answer.Successful ?? []) {
        const entry = sent.find((e) => e.Id === ok.Id);
        if (!entry || ok.MD5OfMessageBody !== md5(entry.MessageBody))
          throw new Error('SQS acknowledged a message that was not sent');
      }
      return answer;
    });
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    entries = entries.filter((e) => failed.has(e.Id));
    if (entries.length > 0 && attempt === ATTEMPTS)
      throw new DependencyFailed('sqs', { cause: new Error('Messages left unsent after retries') });
    if (entries.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
  }
}

/** Sends every body to `queue`; throws if any could not be sent, so the caller's run fails visibly. */
export async function enqueue(queue: QueueName, bodies: readonly string[]): Promise<number> {
  const url = requireEnv(queues[queue].env);
  const batches: string[][] = [];
  for (let i = 0; i < bodies.length; i += BATCH) batches.push(bodies.slice(i, i + BATCH));
  for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) {
    await Promise.all(batches.slice(i, i + PARALLEL_BATCHES).map((b) => sendBatch(url, b)));
  }
  return bodies.length;
}
