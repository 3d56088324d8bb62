import { CfnOutput, Stack } from 'aws-cdk-lib';
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
  /** Encrypts the feedback topic: bounce and complaint notices name recipients. */
  readonly topicKey: IKey;
}

/**
 * How the product writes to members (inactivity notices, policy changes, request replies): an
 * SES domain identity, and a configuration set that requires TLS, tracks reputation, suppresses
 * addresses that bounced or complained, and reports bounces and complaints to an encrypted topic.
 */
export class Notices extends Construct {
  /** The verified sending domain. */
  readonly identity: EmailIdentity;
  /** The configuration set every notice is sent through. */
  readonly configurationSet: ConfigurationSet;
  /** Receives bounce, complaint and reject events. */
  readonly feedbackTopic: Topic;
  /** What a function needs to send through this identity and configuration set. */
  readonly sender: EmailSender;

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

    this.identity = new EmailIdentity(this, 'Domain', {
      identity: Identity.domain(props.senderDomain),
      configurationSet: this.configurationSet,
    });

    const configurationSetName = this.configurationSet.configurationSetName;
    this.sender = {
      identityArn: this.identity.emailIdentityArn,
      configurationSetArn: Stack.of(this).formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSetName,
      }),
      configurationSetName,
      senderAddress: props.senderAddress,
    };

    // SES sends nothing until these CNAMEs are published in the sender domain's DNS.
    const dkim = [
      [this.identity.dkimDnsTokenName1, this.identity.dkimDnsTokenValue1],
      [this.identity.dkimDnsTokenName2, this.identity.dkimDnsTokenValue2],
      [this.identity.dkimDnsTokenName3, this.identity.dkimDnsTokenValue3],
    ] as const;
    dkim.forEach(([name, value], i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} to publish for ${props.senderDomain}`,
        value: `${name} CNAME ${value}`,
      });
    });
  }
}
