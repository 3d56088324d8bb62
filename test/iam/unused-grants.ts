/**
 * Grants no recorded call uses, each with the reason it stays. The IAM check fails on an unused
 * grant this list does not explain, and on an entry that explains nothing.
 */
import type { UnusedGrantReason } from '../support/iam/check';

/** Why each kind of unused grant is kept. */
export const UNUSED_GRANTS: readonly UnusedGrantReason[] = [
  {
    actions: ['s3:PutObject', 's3:GetObject', 's3:ListBucketVersions', 's3:DeleteObjectVersion'],
    resourceType: 'AWS::S3::Bucket',
    logicalId: '^Photos',
    reason:
      "PutObject is the signer's grant behind the upload the member's device sends, never a call of the function's own. Reading and erasing photos happen where a test holds photos (photos-littleone: withdrawal, termination, inactivity, baby deletion, consent withdrawal, erasure on sight); the functions other tests run find none to read or delete.",
  },
  {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceType: 'AWS::KMS::Key',
    viaService: 's3',
    reason:
      "S3 uses the members key with the caller's permissions while it encrypts (upload) or decrypts (download) a photo; the condition admits it only through S3. The emulator does not, so no call records it.",
  },
  {
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resourceType: 'AWS::Logs::LogGroup',
    reason:
      "Lambda writes the function's logs to its log group with the function's role; the code never calls CloudWatch Logs.",
  },
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    resourceType: '*',
    reason:
      "Active tracing: the Lambda runtime sends the trace segments with the function's role (X-Ray accepts no narrower resource).",
  },
  {
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    resourceType: 'AWS::KMS::Key',
    viaService: 'dynamodb',
    reason:
      "DynamoDB uses the table's key with the caller's permissions while it serves the function's item calls; the condition admits it only through DynamoDB. The emulator does not, so no call records it.",
  },
  {
    actions: ['sqs:SendMessage'],
    resourceType: 'AWS::SQS::Queue',
    logicalId: 'DeadLetters',
    reason:
      "Lambda sends the event of an asynchronous invocation that failed every retry to the function's dead-letter queue, with the function's role.",
  },
  {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceType: 'AWS::KMS::Key',
    logicalId: '^Keysoperations',
    reason:
      "SQS encrypts a message under the queue's key (the operations key) on the sender's behalf and decrypts it for the event source on the worker's behalf; the emulator does not encrypt, so no call records it.",
  },
  {
    actions: ['sqs:GetQueueUrl'],
    resourceType: 'AWS::SQS::Queue',
    reason:
      "Part of the consumer grant CDK gives an SQS event source; Lambda's poller knows the queue's ARN and never asks for its URL.",
  },
  {
    actions: [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:ConditionCheckItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    resourceType: 'AWS::DynamoDB::GlobalTable',
    index: false,
    statementUsed: true,
    reason:
      'A table access level (model/grants.ts) grants its item actions together and the function uses that level on that table with another of them (a reader that only queries still holds GetItem); words per action would narrow it.',
  },
  {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'],
    resourceType: 'AWS::DynamoDB::GlobalTable',
    index: true,
    statementUsed: true,
    reason:
      'A function that reads a table is granted its indexes with it (README, Least privilege per function); this one reads the table, not through this index.',
  },
  {
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'],
    resourceType: 'AWS::DynamoDB::GlobalTable',
    statementUsed: false,
    handlers: ['job-inactivity', 'job-requests-digest'],
    reason:
      'The job reads the table only through one index (members by inactivity day, open requests); a table access level grants the table with its indexes.',
  },
  {
    actions: ['cognito-idp:AdminDeleteUser'],
    resourceType: 'AWS::Cognito::UserPool',
    handlers: ['post-member-terminate', 'post-request-action', 'worker-inactivity'],
    reason:
      "An account is deleted only when ListUsers finds the member's; the members these paths destroy in the tests never signed up in the user pool (delete-me's tests delete one).",
  },
  {
    actions: ['kms:GenerateMac'],
    resourceType: 'AWS::KMS::Key',
    handlers: ['confirm-correction', 'worker-inactivity'],
    reason:
      'The blind index is computed only when the caller does not hold it already (a confirmed email whose index the correction request stored, a notice to a member whose lookup item carries it); the tests never reach that case.',
  },
  {
    actions: [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ],
    resourceType: 'AWS::DynamoDB::GlobalTable',
    handlers: ['stream-outbox'],
    reason:
      "Lambda's event source reads the outbox table's stream with the publisher's role and invokes it with the records; the publisher's code never calls DynamoDB Streams (the tests read the stream over HTTP in its place, outside any function).",
  },
];
