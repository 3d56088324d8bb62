import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type KeyDomain, keyDomains } from '../../model/resources';
import { RETAINED } from '../defaults';

/** Properties of {@link Keys}. */
export interface KeysProps {
  /** The catalogue profile; it names the aliases so two operators can share an account. */
  readonly profile: string;
  /**
   * What happens to the keys when the stack is deleted. Destroying a key destroys every
   * record it encrypts, including those a law requires keeping.
   * @default RETAINED: kept on update and deletion, removed if the first create fails
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Waiting period before a key scheduled for deletion is destroyed.
   * @default Duration.days(30), the longest KMS allows
   */
  readonly pendingWindow?: Duration;
}

/** The key domain whose key encrypts CloudWatch log groups. */
export const LOG_GROUP_KEY_DOMAIN: KeyDomain = 'logs';

/** One customer-managed KMS key per key domain, plus the key of operational messages. */
export class Keys extends Construct {
  /** The key of each domain of `keyDomains`. */
  readonly byDomain: Readonly<Record<KeyDomain, Key>>;
  /**
   * Encrypts alarm and email-feedback topics and dead-letter queues. Bounce notices carry
   * recipients' addresses, so they get a customer-managed key too, apart from member data.
   */
  readonly operations: Key;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RETAINED;
    const pendingWindow = props.pendingWindow ?? Duration.days(30);

    const byDomain = {} as Record<KeyDomain, Key>;
    for (const [domain, def] of Object.entries(keyDomains) as [KeyDomain, (typeof keyDomains)[KeyDomain]][]) {
      byDomain[domain] = new Key(this, domain, {
        alias: `alias/privacy-${props.profile}-${domain}`,
        description: def.description,
        keySpec: KeySpec[def.spec],
        keyUsage: KeyUsage[def.usage],
        // KMS rotates only symmetric encryption keys; HMAC and signing keys keep their material.
        enableKeyRotation: def.spec === 'SYMMETRIC_DEFAULT',
        removalPolicy,
        pendingWindow,
      });
    }
    this.byDomain = byDomain;

    // CloudWatch Logs encrypts with the key itself, so the key policy must name it; the
    // encryption context pins use to this account's log groups. Actions as AWS documents them.
    byDomain[LOG_GROUP_KEY_DOMAIN].addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsLogGroups',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.operations = new Key(this, 'operations', {
      alias: `alias/privacy-${props.profile}-operations`,
      description: 'Encrypts alarm and email-feedback topics and dead-letter queues.',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow,
    });
    // CloudWatch alarms and SES publish to encrypted topics with their own service identity, and
    // SNS moves feedback it could not deliver to an encrypted dead-letter queue with its own.
    this.operations.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsAndEmailFeedbackPublishToTopics',
        principals: [
          new ServicePrincipal('cloudwatch.amazonaws.com'),
          new ServicePrincipal('ses.amazonaws.com'),
          new ServicePrincipal('sns.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
}
