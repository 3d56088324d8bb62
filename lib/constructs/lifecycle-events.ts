import { Duration, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEND_MESSAGE_ACTIONS, STREAM_READ_ACTIONS, TABLE_KEY_ACTIONS } from '../../model/grants';
import { tables } from '../../model/resources';
import { outboxPublisher } from '../../model/workloads';
import { JOB_DEFAULTS } from '../defaults';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** Properties of {@link LifecycleEvents}. */
export interface LifecycleEventsProps {
  /** The catalogue profile the publisher loads. */
  readonly profile: string;
  /** What the publisher may be bound to (the bus, for its grant). */
  readonly resources: BindableResources;
  /** The outbox table, whose stream feeds the publisher. */
  readonly outbox: ITableV2;
  /** Encrypts the publisher's log group. */
  readonly logsKey: IKey;
  /** Days the publisher's logs are kept. */
  readonly logRetentionDays: number;
  /** Encrypts the dead-letter queue. */
  readonly queueKey: IKey;
}

/**
 * The publisher of lifecycle events: a function fed by the outbox table's stream, new items only,
 * one batch per shard at a time (so events go out in the order their changes committed), partial
 * batch failures, a failing batch bisected, and what still fails after its retries, or waits
 * longer than the record age allows, described in an encrypted dead-letter queue (the stream
 * position, never the event), where an alarm sees it.
 */
export class LifecycleEvents extends Construct {
  /** The publisher. */
  readonly function: PrivacyFunction;
  /** Where the positions of records the publisher could not publish end up. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: LifecycleEventsProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
    });
    this.function = new PrivacyFunction(this, 'Publisher', {
      handler: outboxPublisher.handler,
      description: outboxPublisher.description,
      profile: props.profile,
      grants: outboxPublisher.grants,
      resources: props.resources,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(outboxPublisher.timeoutSeconds),
    });
    // The mapping polls the stream with the function's role: the stream's read actions, and the
    // outbox key's decryption through DynamoDB only (an event source would grant the key outright).
    const streamArn = props.outbox.tableStreamArn;
    if (!streamArn) throw new Error('The outbox table has no stream');
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [...STREAM_READ_ACTIONS],
      resourceArns: [streamArn],
    });
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [...TABLE_KEY_ACTIONS.read],
      resourceArns: [props.resources.keys[tables.outbox.key].keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
    // The failure destination: Lambda sends a failed batch's description with the publisher's
    // role, so it may send to this queue and have SQS encrypt under the queue's key, no more (CDK's
    // own destination grant would add wildcard KMS actions).
    const deadLetterQueue = this.deadLetterQueue;
    Grant.addToPrincipal({
      grantee: this.function,
      actions: [...SEND_MESSAGE_ACTIONS],
      resourceArns: [deadLetterQueue.queueArn],
    });
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [props.queueKey.keyArn],
    });
    this.function.function.addEventSourceMapping('OutboxStream', {
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: outboxPublisher.batchSize,
      // TTL's removals (REMOVE) never invoke the publisher: only new outbox items are events.
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: outboxPublisher.retryAttempts,
      maxRecordAge: Duration.hours(outboxPublisher.maxRecordAgeHours),
      parallelizationFactor: 1,
      onFailure: { bind: () => ({ destination: deadLetterQueue.queueArn }) },
    });
  }
}
