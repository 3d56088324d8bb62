import { Duration, Tags } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../model/resources';
import { importJob } from '../../model/workloads';
import { JOB_DEFAULTS, RETAINED } from '../defaults';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/**
 * Marks a function no trigger invokes: the operator does, on demand. Tests that run every
 * function of the template through its trigger read it (test/support/template-triggers.ts).
 */
export const ON_DEMAND_TAG = { key: 'privacy:invocation', value: 'on-demand' } as const;

/** How long an export object stays in the imports bucket: long enough to import and rerun. */
export const IMPORT_OBJECT_DAYS = 7;

/** Properties of {@link Imports}. */
export interface ImportsProps {
  /** The catalogue profile the job loads. */
  readonly profile: string;
  /** What the job may be bound to (the imports bucket is added here). */
  readonly resources: BindableResources;
  /** Encrypts the job's log group. */
  readonly logsKey: IKey;
  /** Days the job's logs are kept. */
  readonly logRetentionDays: number;
}

/**
 * Bringing existing members in: a private bucket for the operator's export objects, which hold
 * personal data in the clear until imported, so they are encrypted, reachable over TLS only and
 * expire after {@link IMPORT_OBJECT_DAYS} days; and the import job, invoked on demand with the
 * key of one object, which may read that bucket and nothing else in S3.
 */
export class Imports extends Construct {
  /** Where export objects are uploaded. */
  readonly bucket: Bucket;
  /** The import job's function. */
  readonly function: PrivacyFunction;

  constructor(scope: Construct, id: string, props: ImportsProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Kept like the tables, except after a failed first create; its objects expire anyway.
      removalPolicy: RETAINED,
      lifecycleRules: [
        {
          expiration: Duration.days(IMPORT_OBJECT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    this.function = new PrivacyFunction(this, 'Handler', {
      handler: importJob.handler,
      description: importJob.description,
      profile: props.profile,
      grants: importJob.grants,
      resources: { ...props.resources, importsBucket: this.bucket },
      logsKey: props.logsKey,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.minutes(importJob.timeoutMinutes),
      memorySize: JOB_DEFAULTS.memorySize,
    });
    this.function.function.addEnvironment(ENV.importRate, String(importJob.ratePerSecond));
    Tags.of(this.function.function).add(ON_DEMAND_TAG.key, ON_DEMAND_TAG.value);
  }
}
