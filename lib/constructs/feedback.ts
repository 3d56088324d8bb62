import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { feedback } from '../../model/workloads';
import { JOB_DEFAULTS } from '../defaults';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** Properties of {@link Feedback}. */
export interface FeedbackProps {
  /** The catalogue profile the handler loads. */
  readonly profile: string;
  /** What the function may be bound to. */
  readonly resources: BindableResources;
  /** Encrypts the function's log group. */
  readonly logsKey: IKey;
  /** Days the function's logs are kept. */
  readonly logRetentionDays: number;
  /** The configuration set's bounce and complaint topic. */
  readonly topic: ITopic;
  /** Encrypts the dead-letter queue. */
  readonly queueKey: IKey;
}

/**
 * SES feedback: a function subscribed to the configuration set's bounce and complaint topic
 * records each permanently bouncing or complaining address as suppressed (a blind-index MAC).
 */
export class Feedback extends Construct {
  /** The subscribed function. */
  readonly function: PrivacyFunction;
  /** Receives feedback the function kept failing on (SNS invokes it asynchronously). */
  readonly deadLetterQueue: Queue;
  /**
   * Receives feedback SNS could not hand to the function at all after its delivery retries
   * (the function throttled, deleted or refusing SNS): without it, a bounce or complaint would
   * be dropped and the address never suppressed.
   */
  readonly deliveryDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: FeedbackProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
    });
    this.function = new PrivacyFunction(this, 'Handler', {
      handler: feedback.ses.handler,
      description: 'Suppresses addresses SES reports as bouncing permanently or complaining.',
      profile: props.profile,
      grants: feedback.ses.grants,
      resources: props.resources,
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.deliveryDeadLetterQueue = new Queue(this, 'DeliveryDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
    });
    props.topic.addSubscription(
      new LambdaSubscription(this.function.function, { deadLetterQueue: this.deliveryDeadLetterQueue }),
    );
  }
}
