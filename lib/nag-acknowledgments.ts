/**
 * Every cdk-nag finding the stack accepts, each with the reason it is right for this product.
 * Findings are fixed where they can be (customer-managed policies instead of inline ones, WAF
 * with logging, encrypted logs, DLQs for asynchronous work); this file is the complete list of
 * the rest, so a reviewer reads one page to know what the stack knowingly does differently.
 * Each acknowledgment sits on the narrowest construct it concerns, never on the whole stack.
 */
import { Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { PHOTO_PREFIX } from '../model/photos';
import { routesOf } from '../model/routes/table';
import { PrivacyFunction } from './constructs/privacy-function';
import type { PrivacyStack } from './privacy-stack';

function acknowledge(scope: IConstruct, acknowledgments: Record<string, string>): void {
  for (const [id, reason] of Object.entries(acknowledgments))
    Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Why each public route needs no token. A route made public without a line here fails synth:
 * opening a route to anonymous callers is a decision someone has to write down.
 */
export const PUBLIC_ROUTE_REASONS: Readonly<Record<string, string>> = {
  'get-policy':
    'The privacy policy must be readable by anyone, before they sign up (PIPA Art. 30 publication duty); it holds no personal data.',
  'get-openapi':
    'The API description is public documentation of the published policy; it holds no personal data.',
  'verify-receipt':
    'A deletion receipt must stay verifiable after withdrawal, when its holder no longer has an account; the route checks a signature and reads no stored data.',
  'post-silo-answer':
    "The operator's custom systems have no sign-in of ours: each answer is authenticated by the token its request's event carried, a KMS HMAC of the request and the silo, checked before anything is read.",
};

/** Findings every project function shares. */
function acknowledgeFunction(fn: PrivacyFunction): void {
  const runtime =
    'Node.js 22 is the runtime the product is built and tested on (toolchain pinned for Node 22); moving to a newer runtime is a deliberate upgrade, not a side effect of a synth.';
  acknowledge(fn.function, {
    'AwsSolutions-L1': runtime,
    'Serverless-LambdaLatestVersion': runtime,
    'NIST.800.53.R5-LambdaConcurrency':
      'Concurrency is bounded upstream (API stage throttling; one scheduled run a day per job). Reserving concurrency would make deployment fail in accounts at the default concurrency quota.',
    'NIST.800.53.R5-LambdaInsideVPC':
      'The function reaches only AWS APIs (DynamoDB, KMS, SES, X-Ray, CloudWatch Logs) over TLS with IAM authorization; it has no private network resources to reach, and a VPC would add NAT or endpoints without isolating anything.',
  });
  acknowledge(fn.role.policy, {
    'AwsSolutions-IAM5[Resource::*]':
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use "*": X-Ray supports no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
    ...Object.fromEntries(
      fn.siloObjectPatterns.map((pattern) => [
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${pattern}]`,
        "An operator's S3 silo keeps each member's objects under a prefix naming the member id (the catalogue's prefix template); the function erases or reads one member at a time, whose id is only known at run time, so the grant names the prefix with the id as a wildcard and nothing else of the bucket.",
      ]),
    ),
  });
}

/** Findings of functions invoked synchronously, by API Gateway or Cognito. */
function acknowledgeSynchronousFunction(fn: PrivacyFunction, caller: string): void {
  const synchronous = `${caller} invokes this function synchronously and receives its failure (a problem response, a refused sign-in); a dead-letter queue only receives asynchronous invocations and would stay empty.`;
  acknowledge(fn.function, {
    'Serverless-LambdaDLQ': synchronous,
    'NIST.800.53.R5-LambdaDLQ': synchronous,
  });
}

/** Acknowledges the stack's accepted findings. */
export function acknowledgeFindings(stack: PrivacyStack): void {
  const { api, jobs, identity } = stack;

  for (const route of routesOf(stack.catalogue)) {
    const fn = api.functions[route.id];
    if (fn) {
      acknowledgeFunction(fn);
      acknowledgeSynchronousFunction(fn, 'API Gateway');
    }
    const method = api.methods[route.id];
    if (method && route.access === 'public') {
      const reason = PUBLIC_ROUTE_REASONS[route.id];
      if (!reason) {
        throw new Error(
          `Route ${route.id} is public: add the reason it needs no token to PUBLIC_ROUTE_REASONS`,
        );
      }
      acknowledge(method, { 'AwsSolutions-APIG4': reason, 'AwsSolutions-COG4': reason });
    }
  }

  // The pages are what a person loads before signing in; they hold no data, only code and text.
  const pageReason =
    'A page file (HTML, script, style sheet or its public config) must load before anyone signs in: it holds no personal data and the page signs in with the hosted UI before calling the API.';
  for (const method of Object.values(stack.pages.methods))
    acknowledge(method, { 'AwsSolutions-APIG4': pageReason, 'AwsSolutions-COG4': pageReason });

  for (const fn of Object.values(identity.triggers)) {
    acknowledgeFunction(fn);
    acknowledgeSynchronousFunction(fn, 'Cognito');
  }

  for (const job of Object.values(jobs.byName)) {
    acknowledgeFunction(job.function);
    const functionLogicalId = stack.getLogicalId(job.function.function.node.defaultChild as CfnFunction);
    acknowledge(job.schedulerRole.policy, {
      [`AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`]:
        'Written by the Scheduler Lambda target (grantInvoke): it also covers versions and aliases of this one function, and nothing else.',
    });
    acknowledge(job.deadLetterQueue, {
      'Serverless-SQSRedrivePolicy':
        'This queue is itself the dead-letter queue of the job (scheduler and Lambda asynchronous failures); a redrive policy on a dead-letter queue would move failures out of sight.',
    });
  }

  for (const { worker, deadLetterQueue } of Object.values(stack.workQueues.byName)) {
    acknowledgeFunction(worker);
    for (const mapping of worker.function.node
      .findAll()
      .filter((c) => c.node.id === 'Resource' && c.node.scope?.node.id.startsWith('SqsEventSource'))) {
      acknowledge(mapping, {
        'Serverless-LambdaEventSourceMappingDestination':
          'Lambda supports on-failure destinations only for stream and Kafka sources; for an SQS source the queue’s redrive policy moves failing messages to its dead-letter queue, which an alarm watches.',
      });
    }
    const polled =
      'An SQS event source invokes this function synchronously; a message it keeps failing moves to the queue’s own dead-letter queue (redrive policy), which an alarm watches.';
    acknowledge(worker.function, { 'Serverless-LambdaDLQ': polled, 'NIST.800.53.R5-LambdaDLQ': polled });
    acknowledge(deadLetterQueue, {
      'Serverless-SQSRedrivePolicy':
        'This queue is itself the dead-letter queue of a work queue; a redrive policy on it would move failures out of sight.',
    });
  }
  if (stack.monitoring.emailSubscription) {
    acknowledge(stack.monitoring.emailSubscription, {
      'Serverless-SNSRedrivePolicy':
        'An alarm email SNS cannot deliver would land in a queue nobody reads; the alarm itself stays in ALARM in CloudWatch, and its state, not the email, is the record.',
    });
  }
  acknowledgeFunction(stack.imports.function);
  acknowledgeSynchronousFunction(stack.imports.function, 'The operator (aws lambda invoke)');
  const bucketLogicalId = stack.getLogicalId(stack.imports.bucket.node.defaultChild as CfnBucket);
  acknowledge(stack.imports.function.role.policy, {
    [`AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`]:
      's3:GetObject on the objects of the imports bucket, which holds nothing but exports to import; the object to read is named at each invocation.',
  });
  const transient =
    'An export is a transient input holding personal data in the clear: it expires 7 days after upload and must leave no copy behind.';
  acknowledge(stack.imports.bucket, {
    'AwsSolutions-S1': `${transient} Access logs would keep each export's key and its readers beyond it; CloudTrail data events can record object access where an operator wants that.`,
    'NIST.800.53.R5-S3BucketLoggingEnabled': `${transient} Access logs would keep each export's key and its readers beyond it.`,
    'NIST.800.53.R5-S3BucketReplicationEnabled': `${transient} A replica would be a second copy, and in another region a transfer abroad (PIPA).`,
    'NIST.800.53.R5-S3BucketVersioningEnabled': `${transient} Versions would keep an export after it was deleted or expired.`,
    'NIST.800.53.R5-S3DefaultEncryptionKMS':
      'Encrypted at rest with SSE-S3 (AES-256): a customer key would need a decrypt grant for the import job, which otherwise may only generate data keys and MACs.',
  });
  acknowledgeFunction(stack.feedback.function);
  acknowledgeLifecycleEvents(stack);
  if (stack.photos) acknowledgePhotoGrants(stack, stack.photos.bucket);
  acknowledge(stack.feedback.deliveryDeadLetterQueue, {
    'AwsSolutions-SQS3':
      "This queue is the dead-letter queue of the SES feedback topic's subscription (an SNS redrive policy, which the rule does not look for).",
    'Serverless-SQSRedrivePolicy':
      "This queue is itself the dead-letter queue of the feedback topic's subscription; a redrive policy on it would move failures out of sight.",
  });
  acknowledge(stack.feedback.deadLetterQueue, {
    'Serverless-SQSRedrivePolicy':
      'This queue is itself the dead-letter queue of the SES feedback function; a redrive policy on it would move failures out of sight.',
  });

  const restApi = api.restApi;
  const cloudWatchRole = restApi.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(cloudWatchRole, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The account-level role API Gateway uses to write execution logs serves every API in the account and region; AWS maintains its policy. A narrower customer policy would break other APIs’ logging.',
    });
  }
  acknowledge(restApi.deploymentStage, {
    'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted':
      'Responses are personal and marked no-store; caching them in API Gateway would keep personal data outside the catalogue’s retention rules. No cache exists to encrypt.',
    'NIST.800.53.R5-APIGWSSLEnabled':
      'Client certificates authenticate API Gateway to HTTP backends; every integration here is a Lambda proxy invoked through IAM, so a certificate would authenticate nothing.',
  });

  if (!identity.mfaRequired) {
    acknowledge(identity.userPool, {
      'AwsSolutions-COG2':
        'Members of a password profile may enable TOTP MFA (MFA optional); requiring it would bar members without an authenticator app from their rights, and SMS MFA would mean storing phone numbers in Cognito. Plus-tier threat protection (ENFORCED) challenges risky sign-ins.',
    });
  }
}

/** The publisher of lifecycle events and its stream's failure destination. */
function acknowledgeLifecycleEvents(stack: PrivacyStack): void {
  const { function: publisher, deadLetterQueue } = stack.lifecycleEvents;
  acknowledgeFunction(publisher);
  const polled =
    "The outbox stream's event source invokes this function synchronously; a record it keeps failing is described in the mapping's on-failure destination (its dead-letter queue), which an alarm watches.";
  acknowledge(publisher.function, { 'Serverless-LambdaDLQ': polled, 'NIST.800.53.R5-LambdaDLQ': polled });
  const own =
    "This queue is itself the on-failure destination of the outbox stream's event source; a redrive policy on it would move failures out of sight.";
  acknowledge(deadLetterQueue, { 'AwsSolutions-SQS3': own, 'Serverless-SQSRedrivePolicy': own });
}

/**
 * Object grants on the photos bucket name its photo prefix with a wildcard: each member's photos
 * are objects of their own under it, and a function acts for whichever member calls it. Functions
 * without photo grants have no such finding.
 */
function acknowledgePhotoGrants(stack: PrivacyStack, bucket: IBucket): void {
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as CfnBucket);
  for (const fn of stack.node.findAll().filter((c): c is PrivacyFunction => c instanceof PrivacyFunction)) {
    acknowledge(fn.role.policy, {
      [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${PHOTO_PREFIX}*]`]:
        "Every member's photos are objects under this prefix, keyed by member id; the function acts for the member whose token it verified, and derives each key from that member id only.",
    });
  }
}
