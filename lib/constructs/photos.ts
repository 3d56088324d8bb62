/**
 * The photos bucket (L2, L6, L7/G7, L8/G8/G12, L13/G15, G16): members' and babies' profile photos,
 * in Seoul, never public, reachable over TLS only, each object encrypted under the members key
 * (SSE-KMS). Versioned, so an overwrite never loses the record of what was held, and erasure
 * deletes every version and delete marker; the lifecycle bounds whatever erasure did not reach.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_DAYS, PHOTO_PREFIX } from '../../model/photos';
import { RETAINED } from '../defaults';

/** Properties of {@link Photos}. */
export interface PhotosProps {
  /** The members key: it encrypts every photo, as it wraps every member's data key. */
  readonly key: IKey;
}

/** The bucket holding profile photos. */
export class Photos extends Construct {
  /** The bucket; functions reach it through their `photos` grants only. */
  readonly bucket: IBucket;

  constructor(scope: Construct, id: string, props: PhotosProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A bucket policy denies every request not made over TLS (aws:SecureTransport).
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      // One data key per bucket and period instead of per object: fewer KMS calls, same key.
      bucketKeyEnabled: true,
      lifecycleRules: [
        {
          id: 'no-photo-outlives-its-owner',
          prefix: PHOTO_PREFIX,
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: RETAINED,
    });
    this.bucket = bucket;
    Validations.of(bucket).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason:
          "Server access logs would copy members' object keys (their member ids) into a second bucket with a retention of its own; every access to a photo goes through the API, whose access log records it (G3).",
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason:
          "Server access logs would copy members' object keys into a second bucket; every access goes through the API's access log (G3).",
      },
      {
        id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
        reason:
          'A replica would be a copy erasure must also reach, in another region (L6: Seoul only); a photo is the member’s own upload, which they still hold.',
      },
    );
  }
}
