import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { hasPhotos } from '../model/photos';
import { ENV, eventBusName } from '../model/resources';
import type { Catalogue } from '../policy/schema';
import { Api } from './constructs/api';
import { Data } from './constructs/data';
import { Feedback } from './constructs/feedback';
import { Identity } from './constructs/identity';
import { Imports } from './constructs/imports';
import { Jobs } from './constructs/jobs';
import { Keys, LOG_GROUP_KEY_DOMAIN } from './constructs/keys';
import { LifecycleEvents } from './constructs/lifecycle-events';
import { Monitoring } from './constructs/monitoring';
import { Notices } from './constructs/notices';
import { Pages } from './constructs/pages';
import { Photos } from './constructs/photos';
import type { BindableResources } from './constructs/privacy-function';
import { WorkQueues } from './constructs/work-queues';
import { API_DEFAULTS } from './defaults';
import { accessLogRetentionDays } from './retention';
import type { DeploymentSettings } from './settings';

/** Properties of {@link PrivacyStack}. */
export interface PrivacyStackProps extends StackProps {
  /** The validated catalogue of the profile being deployed. */
  readonly catalogue: Catalogue;
  /** Context settings: sender, federation client ids, callback URLs. */
  readonly settings: DeploymentSettings;
}

/**
 * The privacy-rights backend of one operator profile, composed from one construct per concern.
 * Everything it builds follows from the catalogue and the resource model; it adds no policy.
 */
export class PrivacyStack extends Stack {
  /** The catalogue the stack was built from. */
  readonly catalogue: Catalogue;
  /** Customer-managed KMS keys, one per key domain. */
  readonly keys: Keys;
  /** The DynamoDB tables of the resource model. */
  readonly data: Data;
  /** Cognito: members, officers, federation, triggers. */
  readonly identity: Identity;
  /** SES identity and configuration set for notices to members. */
  readonly notices: Notices;
  /** The photos bucket, where the profile has photo items. */
  readonly photos?: Photos;
  /** The REST API and its route functions. */
  readonly api: Api;
  /** The pages people use (/privacy, /console), served by the API's stage. */
  readonly pages: Pages;
  /** Scheduled jobs with their dead-letter queues. */
  readonly jobs: Jobs;
  /** The imports bucket and the import job, run on demand. */
  readonly imports: Imports;
  /** Queues the jobs fan work out to, with their workers. */
  readonly workQueues: WorkQueues;
  /** The SES bounce and complaint subscriber. */
  readonly feedback: Feedback;
  /** Alarms and the topic operators subscribe to. */
  readonly monitoring: Monitoring;
  /** The stack's EventBridge bus. */
  readonly eventBus: EventBus;
  /** The outbox's publisher of lifecycle events and its dead-letter queue. */
  readonly lifecycleEvents: LifecycleEvents;

  constructor(scope: Construct, id: string, props: PrivacyStackProps) {
    super(scope, id, props);
    const { catalogue, settings } = props;
    this.catalogue = catalogue;
    const logRetentionDays = accessLogRetentionDays(catalogue);

    this.keys = new Keys(this, 'Keys', { profile: catalogue.profile });
    const logsKey = this.keys.byDomain[LOG_GROUP_KEY_DOMAIN];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      topicKey: this.keys.operations,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });
    this.data = new Data(this, 'Data', { catalogue, keys: this.keys.byDomain });
    this.notices = new Notices(this, 'Notices', {
      senderDomain: settings.senderDomain,
      senderAddress: settings.senderAddress,
      senderIdentity: settings.senderIdentity,
      topicKey: this.keys.operations,
    });
    // The bus the silo engine asks custom systems on (and lifecycle events go to).
    this.eventBus = new EventBus(this, 'Events', { eventBusName: eventBusName(catalogue.profile) });
    // Only a profile with photo items has a photos bucket (littleone's; lgcns has none).
    this.photos = hasPhotos(catalogue)
      ? new Photos(this, 'Photos', { key: this.keys.byDomain.members })
      : undefined;
    const resources: BindableResources = {
      tables: this.data.tables,
      keys: this.keys.byDomain,
      email: this.notices.sender,
      eventBus: this.eventBus,
      ...(this.photos ? { photos: this.photos.bucket } : {}),
    };
    this.identity = new Identity(this, 'Identity', {
      profile: catalogue.profile,
      signIn: catalogue.signIn,
      federation: settings.federation,
      callbackUrls: settings.callbackUrls,
      triggerResources: { resources, logsKey, logRetentionDays },
    });
    // Route and job functions may delete sign-in accounts; the triggers, built with the pool, may not.
    const withAccounts: BindableResources = { ...resources, userPool: this.identity.userPool };
    this.workQueues = new WorkQueues(this, 'WorkQueues', {
      profile: catalogue.profile,
      resources: withAccounts,
      logsKey,
      logRetentionDays,
      queueKey: this.keys.operations,
    });
    const queues = Object.fromEntries(
      Object.entries(this.workQueues.byName).map(([name, q]) => [name, q.queue]),
    );
    // Routes may queue work too: publishing a policy version starts its notices (L18).
    this.api = new Api(this, 'Api', {
      catalogue,
      userPool: this.identity.userPool,
      resources: { ...withAccounts, queues },
      logsKey,
      logRetentionDays,
    });
    this.pages = new Pages(this, 'Pages', {
      restApi: this.api.restApi,
      // The literal name: the stage's Ref would make the app client wait for the deployment.
      stageName: API_DEFAULTS.stageName,
      profile: catalogue.profile,
      client: this.identity.client,
      domain: this.identity.domain,
    });
    // Policy-change notices say where to read the new version.
    this.workQueues.byName.policyNotices.worker.function.addEnvironment(
      ENV.policyUrl,
      this.api.restApi.urlForPath('/v1/policy'),
    );
    this.jobs = new Jobs(this, 'Jobs', {
      catalogue,
      resources: { ...resources, queues },
      logsKey,
      logRetentionDays,
      queueKey: this.keys.operations,
    });
    this.imports = new Imports(this, 'Imports', {
      profile: catalogue.profile,
      resources,
      logsKey,
      logRetentionDays,
    });
    this.feedback = new Feedback(this, 'Feedback', {
      profile: catalogue.profile,
      resources,
      logsKey,
      logRetentionDays,
      topic: this.notices.feedbackTopic,
      queueKey: this.keys.operations,
    });

    // Lifecycle events: the outbox's stream feeds the publisher, which may put on the bus only.
    this.lifecycleEvents = new LifecycleEvents(this, 'LifecycleEvents', {
      profile: catalogue.profile,
      resources: { tables: resources.tables, keys: resources.keys, eventBus: this.eventBus },
      outbox: this.data.tables.outbox,
      logsKey,
      logRetentionDays,
      queueKey: this.keys.operations,
    });
    this.monitoring.alarmOnDeadLetters(
      'LifecycleEventsDeadLetters',
      this.lifecycleEvents.deadLetterQueue,
      'the publisher of lifecycle events',
    );
    this.monitoring.alarmOnErrors(
      'LifecycleEventsErrors',
      this.lifecycleEvents.function.function,
      'The publisher of lifecycle events',
    );

    for (const [name, job] of Object.entries(this.jobs.byName)) {
      this.monitoring.alarmOnDeadLetters(`${name}DeadLetters`, job.deadLetterQueue, `the ${name} job`);
      this.monitoring.alarmOnErrors(`${name}Errors`, job.function.function, `The ${name} job`);
    }
    for (const [name, q] of Object.entries(this.workQueues.byName)) {
      this.monitoring.alarmOnDeadLetters(`${name}WorkerDeadLetters`, q.deadLetterQueue, `the ${name} worker`);
      this.monitoring.alarmOnErrors(`${name}WorkerErrors`, q.worker.function, `The ${name} worker`);
    }
    this.monitoring.alarmOnDeadLetters('FeedbackDeadLetters', this.feedback.deadLetterQueue, 'SES feedback');
    this.monitoring.alarmOnDeadLetters(
      'FeedbackDeliveryDeadLetters',
      this.feedback.deliveryDeadLetterQueue,
      'the delivery of SES feedback to its function',
    );
    this.monitoring.alarmOnErrors(
      'FeedbackErrors',
      this.feedback.function.function,
      'The SES feedback handler',
    );
    this.monitoring.alarmOnErrors('ImportErrors', this.imports.function.function, 'The import job');
    this.monitoring.alarmOnServerErrors('ApiServerErrors', this.api.restApi);
    this.monitoring.alarmOnOverdueRequests('OverdueRequests', catalogue.profile);
    this.monitoring.alarmOnLaggingSilos('LaggingSilos', catalogue.profile);
    this.monitoring.alarmOnOverdueAccessReviews('OverdueAccessReviews', catalogue.profile);
    this.monitoring.alarmOnBreachDeadlinesNear('BreachDeadlinesNear', catalogue.profile);
    this.monitoring.alarmOnBreachDeadlinesMissed('BreachDeadlinesMissed', catalogue.profile);

    this.addOutputs(settings);
  }

  /** Everything an operator must configure elsewhere after a deploy, as stack outputs. */
  private addOutputs(settings: DeploymentSettings): void {
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.restApi.url,
      description: 'Base URL of the privacy API',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.identity.userPool.userPoolId,
      description: 'Cognito user pool: create officers here (privacy-officer group, TOTP MFA)',
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.identity.client.userPoolClientId,
      description: 'App client for sign-in (SRP, or the hosted sign-in with federation)',
    });
    const domain = this.identity.domain;
    const host = `${domain.domainName}.auth.${this.region}.amazoncognito.com`;
    new CfnOutput(this, 'CognitoDomain', { value: host, description: 'Hosted sign-in domain' });
    new CfnOutput(this, 'PrivacyCenterUrl', {
      value: this.pages.urls.privacy,
      description: 'The privacy center for members',
    });
    new CfnOutput(this, 'OfficerConsoleUrl', {
      value: this.pages.urls.console,
      description: 'The console for privacy officers',
    });
    if (this.catalogue.signIn.some((m) => m !== 'password')) {
      new CfnOutput(this, 'IdpRedirectUri', {
        value: `https://${host}/oauth2/idpresponse`,
        description: 'Register this redirect URI with Google and Apple',
      });
    }
    this.notices.dkimRecords.forEach(({ name, value }, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}Name`, {
        value: name,
        description: `DKIM CNAME ${i + 1} to publish for ${settings.senderDomain}: its name`,
      });
      new CfnOutput(this, `DkimRecord${i + 1}Value`, {
        value,
        description: `DKIM CNAME ${i + 1} to publish for ${settings.senderDomain}: its value`,
      });
    });
    new CfnOutput(this, 'ImportsBucket', {
      value: this.imports.bucket.bucketName,
      description: 'Upload member exports here (objects expire after 7 days), then invoke ImportFunction',
    });
    new CfnOutput(this, 'ImportFunction', {
      value: this.imports.function.function.functionName,
      description: 'The import job: invoke with {"key": "<object key>"}; it answers the report',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.alarmTopic.topicArn,
      description: 'Subscribe operators here (or deploy with -c alarmEmail=...)',
    });
  }
}
