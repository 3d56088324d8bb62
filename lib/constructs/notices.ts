import { Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EmailSender } from './privacy-function';

/** Properties of {@link Notices}. */
export interface NoticesProps {
  /** The domain mail is sent from; SES verifies it through the DKIM records output by the stack. */
  readonly senderDomain: string;
  /** The From address, inside {@link senderDomain}. */
  readonly senderAddress: string;
  /**
   * Whether the stack creates the domain identity or sends through one the account has already.
   * @default 'create'
   */
  readonly senderIdentity?: 'create' | 'existing';
  /** Encrypts the feedback topic: bounce and complaint notices name recipients. */
  readonly topicKey: IKey;
}

/**
 * How the product writes to members (inactivity notices, policy changes, request replies): an
 * SES domain identity, and a configuration set that requires TLS, tracks reputation, suppresses
 * addresses that bounced or complained, and reports bounces and complaints to an encrypted topic.
 */
export class Notices extends Construct {
  /** The verified sending domain, unless the account had it already. */
  readonly identity?: EmailIdentity;
  /** The configuration set every notice is sent through. */
  readonly configurationSet: ConfigurationSet;
  /** Receives bounce, complaint and reject events. */
  readonly feedbackTopic: Topic;
  /** What a function needs to send through this identity and configuration set. */
  readonly sender: EmailSender;
  /** The DKIM CNAME records to publish in the sender domain's DNS; SES sends nothing until then. */
  readonly dkimRecords: readonly { readonly name: string; readonly value: string }[];

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);

    this.feedbackTopic = new Topic(this, 'Feedback', {
      displayName: 'Privacy notices: bounces and complaints',
      masterKey: props.topicKey,
      enforceSSL: true,
    });

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // No open or click tracking: a notice about someone's data must not report on them.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT],
    });

    // SES keeps one identity per domain in an account: a second profile's stack sending from the
    // same domain uses the first one's, and every send names this stack's configuration set.
    const identity =
      props.senderIdentity === 'existing'
        ? undefined
        : new EmailIdentity(this, 'Domain', {
            identity: Identity.domain(props.senderDomain),
            configurationSet: this.configurationSet,
          });
    if (identity) this.identity = identity;
    const identityArn =
      identity?.emailIdentityArn ??
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.senderDomain });

    const configurationSetName = this.configurationSet.configurationSetName;
    this.sender = {
      identityArn,
      configurationSetArn: Stack.of(this).formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSetName,
      }),
      configurationSetName,
      senderAddress: props.senderAddress,
    };

    this.dkimRecords = identity
      ? [
          { name: identity.dkimDnsTokenName1, value: identity.dkimDnsTokenValue1 },
          { name: identity.dkimDnsTokenName2, value: identity.dkimDnsTokenValue2 },
          { name: identity.dkimDnsTokenName3, value: identity.dkimDnsTokenValue3 },
        ]
      : [];
  }
}
