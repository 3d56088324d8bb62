import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, type QueueName } from '../../model/resources';
import { type QueueDefinition, queues, sendRatePerInstance } from '../../model/workloads';
import { JOB_DEFAULTS } from '../defaults';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** Properties of {@link WorkQueues}. */
export interface WorkQueuesProps {
  /** The catalogue profile the workers load. */
  readonly profile: string;
  /** What worker functions may be bound to. */
  readonly resources: BindableResources;
  /** Encrypts the workers' log groups. */
  readonly logsKey: IKey;
  /** Days the workers' logs are kept. */
  readonly logRetentionDays: number;
  /** Encrypts the queues and their dead-letter queues. */
  readonly queueKey: IKey;
}

/** One work queue: the queue, its dead-letter queue and its worker. */
export interface WorkQueue {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: PrivacyFunction;
}

/**
 * The work queues of the resource model: each an encrypted SQS queue whose messages a worker
 * function takes in batches, reporting failed messages one by one (partial batch failures), on
 * at most `maxConcurrency` instances; a message that fails `maxReceiveCount` times moves to an
 * encrypted dead-letter queue, where an alarm sees it.
 */
export class WorkQueues extends Construct {
  /** Each queue, by its name in the resource model. */
  readonly byName: Readonly<Record<QueueName, WorkQueue>>;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    const built = {} as Record<QueueName, { queue: Queue; deadLetterQueue: Queue; scope: Construct }>;
    for (const name of Object.keys(queues) as QueueName[]) {
      const def: QueueDefinition = queues[name];
      const queueScope = new Construct(this, name);
      const deadLetterQueue = new Queue(queueScope, 'DeadLetters', {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.queueKey,
        enforceSSL: true,
        retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
      });
      const queue = new Queue(queueScope, 'Queue', {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.queueKey,
        enforceSSL: true,
        // AWS advises six times the function timeout, so retries of a throttled batch fit.
        visibilityTimeout: Duration.seconds(def.workerTimeoutSeconds * 6),
        retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: def.maxReceiveCount },
      });
      built[name] = { queue, deadLetterQueue, scope: queueScope };
    }
    // A worker may send to the queues its grants name (the inactivity worker's withdrawals queue
    // their silos), and a worker that requeues to its own; it is bound to nothing else.
    const allQueues = Object.fromEntries(Object.entries(built).map(([n, b]) => [n, b.queue]));
    const byName = {} as Record<QueueName, WorkQueue>;
    for (const [name, def] of Object.entries(queues) as [QueueName, QueueDefinition][]) {
      const { queue, deadLetterQueue, scope: queueScope } = built[name];
      const timeout = Duration.seconds(def.workerTimeoutSeconds);
      const worker = new PrivacyFunction(queueScope, 'Worker', {
        handler: def.handler,
        description: def.description,
        profile: props.profile,
        grants: def.grants,
        resources: { ...props.resources, queues: { ...props.resources.queues, ...allQueues } },
        logsKey: props.logsKey,
        logRetentionDays: props.logRetentionDays,
        timeout,
      });
      if (def.requeues) worker.bindQueue(name);
      if (def.sendsPerSecond !== undefined) {
        worker.function.addEnvironment(ENV.sendRate, String(sendRatePerInstance(def)));
      }
      worker.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: def.batchSize,
          maxConcurrency: def.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      byName[name] = { queue, deadLetterQueue, worker };
    }
    this.byName = byName;
  }
}
