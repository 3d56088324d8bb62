/**
 * The IAM actions behind the route table's `grants`. Written down once, so a route that asks to
 * `verify` can never quietly receive `kms:Sign`, and tests can read the mapping directly.
 */
import type { KeyUse, TableAccess } from './routes/index';

export type { TableAccess } from './routes/index';

/** The KMS actions of each key use; nothing else is ever granted on a domain key. */
export const KEY_USE_ACTIONS: Readonly<Record<KeyUse, readonly string[]>> = {
  encrypt: ['kms:Encrypt'],
  decrypt: ['kms:Decrypt'],
  'generate-data-key': ['kms:GenerateDataKey'],
  mac: ['kms:GenerateMac', 'kms:VerifyMac'],
  sign: ['kms:Sign'],
  verify: ['kms:Verify', 'kms:GetPublicKey'],
};

/** DynamoDB item reads; the only actions also granted on a table's indexes. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
] as const;

/** DynamoDB item writes. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/**
 * Adding an item, and nothing else: an append-only log cannot be rewritten or erased by its
 * writers. IAM cannot say "never overwrite", so the code puts with `attribute_not_exists` (and
 * the handler access records' hash chain exposes any replaced record).
 */
export const TABLE_APPEND_ACTIONS = ['dynamodb:PutItem'] as const;

/** Adding items and updating them, never deleting: a ledger's writers open and close records. */
export const TABLE_APPEND_UPDATE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/**
 * KMS actions DynamoDB performs with the caller's credentials on the table's key. They are
 * granted only through DynamoDB (kms:ViaService), so table access never becomes direct use of
 * the key that also wraps members' data keys.
 */
export const TABLE_KEY_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  readwrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  append: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  'read-append': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
  'append-update': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
};

/** The DynamoDB actions of a table access level. */
export function tableActions(access: TableAccess): string[] {
  const read =
    access === 'read' || access === 'readwrite' || access === 'read-append' ? TABLE_READ_ACTIONS : [];
  const write =
    access === 'write' || access === 'readwrite'
      ? TABLE_WRITE_ACTIONS
      : access === 'append' || access === 'read-append'
        ? TABLE_APPEND_ACTIONS
        : access === 'append-update'
          ? TABLE_APPEND_UPDATE_ACTIONS
          : [];
  return [...read, ...write];
}

/** The KMS actions of a list of key uses, without duplicates, in a stable order. */
export function keyActions(uses: readonly KeyUse[]): string[] {
  return [...new Set(uses.flatMap((use) => KEY_USE_ACTIONS[use]))].sort();
}

/** SES actions for sending a notice: one action, on the identity and the configuration set only. */
export const SEND_EMAIL_ACTIONS = ['ses:SendEmail'] as const;

/** Cognito actions for deleting a member's sign-in account: find it by `sub`, then delete it. */
export const DELETE_ACCOUNT_ACTIONS = ['cognito-idp:ListUsers', 'cognito-idp:AdminDeleteUser'] as const;
/** SQS actions for queueing work: sending only, on the named queue only. */
export const SEND_MESSAGE_ACTIONS = ['sqs:SendMessage'] as const;
