/**
 * The photos bucket as synthesized (L6, L7/G7, L8/G8/G12, L13/G15, G16): public access blocked,
 * TLS enforced by its policy, versioned, encrypted under the members key, a lifecycle bounding
 * noncurrent versions; and the grants of the functions that reach it. Template only (no bundling).
 */
import { describe, expect, it } from 'vitest';
import { NONCURRENT_VERSION_DAYS, PHOTO_PREFIX, PHOTOS_BUCKET_ENV } from '../../model/photos';
import { functionsOf } from '../support/iam/template';
import { type Cfn, type CfnResource, templateOnly } from './synth';

const littleone = templateOnly('littleone').json;
const of = (type: string, json = littleone) =>
  Object.entries(json.Resources).filter(([, r]) => r.Type === type) as [string, CfnResource][];
/** The photos bucket (every stack also has the imports bucket). */
const photoBuckets = (json = littleone) =>
  of('AWS::S3::Bucket', json).filter(([id]) => id.startsWith('Photos'));
const [[bucketId, bucket]] = photoBuckets() as [[string, CfnResource]];
const membersKeyId = of('AWS::KMS::Key').find(([, r]) => /member/i.test(JSON.stringify(r.Properties)))?.[0];

/** Every statement of the policies of the role that runs `handler`. */
function statementsOf(handler: string): Cfn[] {
  const fn = functionsOf(littleone as Parameters<typeof functionsOf>[0]).find((f) => f.handler === handler);
  expect(fn, handler).toBeDefined();
  const role = littleone.Resources[fn!.roleLogicalId]!;
  const attached = new Set((role.Properties.ManagedPolicyArns ?? []).map((a: Cfn) => a.Ref));
  return Object.entries(littleone.Resources)
    .filter(
      ([id, r]) =>
        (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') &&
        (attached.has(id) || JSON.stringify(r.Properties.Roles ?? []).includes(fn!.roleLogicalId)),
    )
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
}

describe('photos bucket', () => {
  it('L2, G16: blocks every public access and refuses any request not made over TLS', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const [[, policy]] = of('AWS::S3::BucketPolicy').filter(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    ) as [[string, CfnResource]];
    const denies = policy.Properties.PolicyDocument.Statement.filter((s: Cfn) => s.Effect === 'Deny');
    expect(denies).toContainEqual(
      expect.objectContaining({
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Principal: { AWS: '*' },
      }),
    );
    expect(denies).toContainEqual(
      expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    );
    expect(bucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
  });

  it('L13, L8: versions every object and encrypts it under the members key (SSE-KMS)', () => {
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const [rule] = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration;
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(rule.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0]).toBe(membersKeyId);
    expect(rule.BucketKeyEnabled).toBe(true);
  });

  it('L7, L8: expires noncurrent versions and stale delete markers, so no old copy outlives a day', () => {
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        Prefix: PHOTO_PREFIX,
        NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        ExpiredObjectDeleteMarker: true,
      }),
    );
  });

  it('L6: lives in the stack, kept on stack deletion like the tables', () => {
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('L8: grants erasure (versions listed and deleted) on the photo prefix only, and uploads no more than PutObject', () => {
    const erase = statementsOf('delete-me').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(erase.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      's3:DeleteObjectVersion',
      's3:ListBucketVersions',
    ]);
    for (const s of erase) expect(JSON.stringify(s)).toContain(PHOTO_PREFIX);
    const upload = statementsOf('post-photo').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(upload.flatMap((s) => [s.Action].flat())).toEqual(['s3:PutObject']);
  });

  it('has no bucket, and no function names one, where the profile has no photos (lgcns)', () => {
    const lgcns = templateOnly('lgcns').json;
    expect(photoBuckets(lgcns)).toEqual([]);
    expect(JSON.stringify(lgcns)).not.toContain(PHOTOS_BUCKET_ENV);
  });
});
