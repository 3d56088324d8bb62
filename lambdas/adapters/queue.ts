/**
 * Sending work to a queue (SQS), pinned to Seoul like every client. Messages carry ids and a
 * clock only, never personal data.
 */

import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '../../model/resources';
import { queues } from '../../model/workloads';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';

let client: SQSClient | undefined;

/** The shared SQS client, built on first use, so a function that never sends bundles none. */
export function sqs(): SQSClient {
  // Requests go to the regional endpoint (or AWS_ENDPOINT_URL), not to the host in the queue URL:
  // one endpoint per client, like every other client of the product.
  client ??= new SQSClient({ region: SEOUL_REGION, useQueueUrlAsEndpoint: false });
  return client;
}

/** SQS takes at most ten messages per batch. */
const BATCH = 10;
/** Batches in flight at once: a million messages take about 100,000 batches. */
const PARALLEL_BATCHES = 16;
const ATTEMPTS = 5;

async function sendBatch(url: string, bodies: readonly string[]): Promise<void> {
  let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
  for (let attempt = 1; entries.length > 0; attempt++) {
    const out = await awsCall('sqs', () =>
      sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries })),
    );
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
