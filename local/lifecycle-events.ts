/**
 * Lifecycle events in the local stack. Lambda's DynamoDB event source reads the outbox table's
 * stream and invokes the publisher; here {@link OutboxPump} does the same against the emulator's
 * stream (DescribeStream, GetShardIterator, GetRecords over HTTP, as moto 5.2.1 serves them):
 * new items only, in order, the publisher's partial batch failures retried from the record it
 * names with the batch halved (bisect), and a record that fails every retry sent to the outbox's
 * dead-letter queue (ids only), as the stack's failure destination would. A rule on the bus feeds
 * the app's inbox queue with every lifecycle event, where `npm run events` (or a test) reads them.
 */

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { tableEnv } from '../model/resources';
import { outboxPublisher } from '../model/workloads';
import { clientConfig, LOCAL_CREDENTIALS, REGION } from './bootstrap';
import { HANDLERS_DIR } from './front';
import { asFunction } from './invocation';
import { lambdaContext } from './lambda-event';
import { lifecycleInbox, outboxDeadLetters } from './silos';

/** One DynamoDB Streams call over HTTP; the emulator reads the region from the credential scope. */
async function streamsCall<T>(endpoint: string, operation: string, body: object): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
      authorization: `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/20260101/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`DynamoDB Streams ${operation} answered ${res.status}`);
  return JSON.parse(text) as T;
}

/** What the pump did so far. */
export interface PumpCounts {
  /** Stream records read (new items only, as the event source's filter lets through). */
  readonly records: number;
  /** Publisher invocations, retries included. */
  readonly invocations: number;
  /** Invocations that reported a failure (or threw), each retried from the record it named. */
  readonly failedInvocations: number;
  /** Records sent to the dead-letter queue after every retry failed. */
  readonly deadLettered: number;
}

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/** Invokes the publisher with one batch of stream records, as the event source does. */
export type PublisherInvoker = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** The publisher's handler module run in this process, as the function of `env`. */
export function inProcessPublisher(env: Readonly<Record<string, string>>, profile: string): PublisherInvoker {
  let loaded: Promise<Handler> | undefined;
  return async (event) => {
    loaded ??= import(pathToFileURL(join(HANDLERS_DIR, `${outboxPublisher.handler}.ts`)).href).then(
      (m: { handler: Handler }) => m.handler,
    );
    const handler = await loaded;
    return asFunction({ handler: outboxPublisher.handler, env }, () =>
      handler(
        event,
        lambdaContext(`${profile}-${outboxPublisher.handler}`, outboxPublisher.timeoutSeconds * 1000),
      ),
    );
  };
}

/** Reads the outbox stream from where it last stopped and publishes what is new; one per stack. */
export class OutboxPump {
  private readonly positions = new Map<string, string>();
  private counts = { records: 0, invocations: 0, failedInvocations: 0, deadLettered: 0 };
  private running: Promise<PumpCounts> | undefined;
  private readonly invoke: PublisherInvoker;

  /**
   * @param endpoint the emulator, reached directly
   * @param env the publisher's environment (its endpoint may be a fault proxy)
   * @param invoke how the publisher runs: in this process by default, or a shipped bundle
   */
  constructor(
    private readonly endpoint: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly profile: string,
    invoke?: PublisherInvoker,
  ) {
    this.invoke = invoke ?? inProcessPublisher(env, profile);
  }

  /** Counts since the pump was made. */
  get totals(): PumpCounts {
    return { ...this.counts };
  }

  /** Publishes every record not yet published; concurrent calls share one run. */
  pump(): Promise<PumpCounts> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<PumpCounts> {
    const ddb = new DynamoDBClient(clientConfig(this.endpoint));
    try {
      const table = this.env[tableEnv('outbox')];
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: table }));
      const streamArn = Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`the table ${table} has no stream`);
      const { StreamDescription } = await streamsCall<{
        StreamDescription: { Shards: { ShardId: string }[] };
      }>(this.endpoint, 'DescribeStream', { StreamArn: streamArn });
      for (const { ShardId } of StreamDescription.Shards) await this.drainShard(streamArn, ShardId);
      return this.totals;
    } finally {
      ddb.destroy();
    }
  }

  private async records(streamArn: string, shardId: string): Promise<DynamoDBRecord[]> {
    const after = this.positions.get(shardId);
    const { ShardIterator } = await streamsCall<{ ShardIterator: string }>(
      this.endpoint,
      'GetShardIterator',
      {
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      },
    );
    const all: DynamoDBRecord[] = [];
    let iterator: string | undefined = ShardIterator;
    while (iterator) {
      const page: { Records: DynamoDBRecord[]; NextShardIterator?: string } = await streamsCall(
        this.endpoint,
        'GetRecords',
        { ShardIterator: iterator },
      );
      if (page.Records.length === 0) break;
      all.push(...page.Records);
      iterator = page.NextShardIterator;
    }
    return all;
  }

  private async drainShard(streamArn: string, shardId: string): Promise<void> {
    const read = await this.records(streamArn, shardId);
    if (read.length > 0) this.positions.set(shardId, read.at(-1)!.dynamodb!.SequenceNumber!);
    // The event source's filter: new items only (TTL's removals never reach the publisher).
    let pending = read.filter((r) => r.eventName === 'INSERT');
    this.counts.records += pending.length;
    let batchSize: number = outboxPublisher.batchSize;
    let attempts = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      this.counts.invocations++;
      let failedAt: string | undefined;
      try {
        const response = await this.invoke({
          Records: batch.map((r) => ({ ...r, eventSourceARN: streamArn })),
        });
        failedAt = response.batchItemFailures[0]?.itemIdentifier;
      } catch {
        failedAt = batch[0]!.dynamodb!.SequenceNumber;
      }
      if (failedAt === undefined) {
        pending = pending.slice(batch.length);
        attempts = 0;
        batchSize = outboxPublisher.batchSize;
        continue;
      }
      this.counts.failedInvocations++;
      const index = Math.max(
        0,
        pending.findIndex((r) => r.dynamodb!.SequenceNumber === failedAt),
      );
      pending = pending.slice(index);
      attempts++;
      batchSize = Math.max(1, Math.ceil(batchSize / 2));
      if (attempts > outboxPublisher.retryAttempts) {
        await this.deadLetter(streamArn, shardId, pending[0]!);
        pending = pending.slice(1);
        attempts = 0;
      }
    }
  }

  /** What Lambda's failure destination receives: where the record is, never what it holds. */
  private async deadLetter(streamArn: string, shardId: string, record: DynamoDBRecord): Promise<void> {
    const sqs = new SQSClient(clientConfig(this.endpoint));
    try {
      const { QueueUrl } = await sqs.send(
        new GetQueueUrlCommand({ QueueName: outboxDeadLetters(this.profile) }),
      );
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: QueueUrl!,
          MessageBody: JSON.stringify({
            streamArn,
            shardId,
            startSequenceNumber: record.dynamodb?.SequenceNumber,
            batchSize: 1,
          }),
        }),
      );
      this.counts.deadLettered++;
    } finally {
      sqs.destroy();
    }
  }
}

/** A lifecycle event as it reached the app's inbox: the bus envelope's ids and the detail. */
export interface ReceivedEvent {
  /** The bus's own id of the event (a new one on every put). */
  readonly busId: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Takes every event waiting in the app's inbox (each is read once: they are deleted). */
export async function takeLifecycleEvents(endpoint: string, profile: string): Promise<ReceivedEvent[]> {
  const sqs = new SQSClient(clientConfig(endpoint));
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: lifecycleInbox(profile) }));
    const events: ReceivedEvent[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: QueueUrl!, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return events;
      for (const m of Messages) {
        const body = JSON.parse(m.Body!) as {
          id: string;
          source: string;
          'detail-type': string;
          detail: Record<string, unknown>;
        };
        events.push({
          busId: body.id,
          source: body.source,
          detailType: body['detail-type'],
          detail: body.detail,
        });
      }
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: QueueUrl!,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  } finally {
    sqs.destroy();
  }
}
