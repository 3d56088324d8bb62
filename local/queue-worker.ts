/**
 * Runs a work queue's worker locally the way Lambda's SQS event source does: receive a batch
 * from the emulator's queue, invoke the worker handler with an SQS event, delete what it did not
 * report as failed. Failures become visible again at once and are retried until the queue's
 * redrive moves them to the dead-letter queue, so the real SQS path is exercised end to end.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV, type QueueName } from '../model/resources';
import { queues } from '../model/workloads';
import { applyEnvironment, clientConfig, physicalNames } from './bootstrap';
import { HANDLERS_DIR } from './front';
import { asFunction } from './invocation';
import { lambdaContext, sqsEvent } from './lambda-event';
import { CliError } from './state';

/** A worker handler as the SQS event source calls it. */
type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What one drain did. */
export interface DrainCounts {
  /** Messages handed to the worker, redeliveries included. */
  readonly delivered: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Worker invocations that threw as a whole (every message of the batch failed). */
  readonly crashedBatches: number;
  /** Messages waiting in the dead-letter queue after the drain. */
  readonly deadLettered: number;
}

/** Delivers every message of `queue` to its worker until the queue is empty. */
export async function drainQueue(
  queue: QueueName,
  env: Readonly<Record<string, string>>,
  profile: string,
): Promise<DrainCounts> {
  applyEnvironment(env);
  const def = queues[queue];
  const url = env[def.env];
  const endpoint = env[ENV.endpoint];
  if (!url || !endpoint)
    throw new CliError(`The local stack has no ${queue} queue: restart it with npm start.`);
  const file = join(HANDLERS_DIR, `${def.handler}.ts`);
  const module = (await import(pathToFileURL(file).href)) as { handler?: WorkerHandler };
  if (typeof module.handler !== 'function') throw new CliError(`${file} exports no handler.`);
  const sqs = new SQSClient(clientConfig(endpoint));
  try {
    const arnOf = async (queueUrl: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
        .Attributes?.QueueArn ?? '';
    const handler = module.handler;
    // Lambda's event source polls, deletes and returns messages with the worker's own role, so
    // those calls belong to the worker; counting the dead letters afterwards is ours alone.
    const counts = await asFunction({ handler: def.handler, env }, async () => {
      const queueArn = await arnOf(url);
      const counts = { delivered: 0, succeeded: 0, failed: 0, crashedBatches: 0 };
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: def.batchSize,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) break;
        counts.delivered += Messages.length;
        let failedIds: Set<string>;
        try {
          const response = await handler(
            sqsEvent(Messages, queueArn),
            lambdaContext(`${profile}-${def.handler}`, def.workerTimeoutSeconds * 1000),
          );
          failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        } catch {
          counts.crashedBatches++;
          failedIds = new Set(Messages.map((m) => m.MessageId!));
        }
        const done = Messages.filter((m) => !failedIds.has(m.MessageId!));
        const failed = Messages.filter((m) => failedIds.has(m.MessageId!));
        counts.succeeded += done.length;
        counts.failed += failed.length;
        const entries = (list: Message[]) =>
          list.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
        if (done.length > 0)
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries(done) }));
        if (failed.length > 0) {
          await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: url,
              Entries: entries(failed).map((e) => ({ ...e, VisibilityTimeout: 0 })),
            }),
          );
        }
      }
      return counts;
    });
    const { QueueUrl: deadLetterUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: physicalNames.deadLetterQueue(profile, queue) }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: deadLetterUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return { ...counts, deadLettered: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
  } finally {
    sqs.destroy();
  }
}
