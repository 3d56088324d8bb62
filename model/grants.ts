/**
 * The IAM vocabulary of the product: what a function may do with each resource (access kinds
 * and key uses), how two grants merge, and the IAM actions behind each word. Routes, jobs,
 * triggers and workers state their grants in these words; the function construct (lib/) turns
 * them into policies, and tests read the mapping directly, so a route that asks to `verify` can
 * never quietly receive `kms:Sign`.
 */
import type { KeyDomain, QueueName, TableName } from './resources';

/**
 * What a handler may do with a table's items. `append` only adds items (PutItem), never changes
 * or deletes one: what recording a call in the access log needs. `append-update` also updates
 * items (UpdateItem) but never deletes one: what opening and closing a ledger record needs.
 */
export type TableAccess = 'read' | 'write' | 'readwrite' | 'append' | 'read-append' | 'append-update';

/** What a handler may do with a resource; the function construct grants exactly this. */
export interface Grants {
  readonly tables?: Partial<Record<TableName, TableAccess>>;
  readonly keys?: Partial<Record<KeyDomain, readonly KeyUse[]>>;
  readonly sendEmail?: boolean;
  /** Finds and deletes members' sign-in accounts in the user pool (withdrawal). */
  readonly deleteAccounts?: boolean;
  /** Reads a sign-in account's MFA settings in the user pool (officers must use TOTP). */
  readonly readAccountMfa?: boolean;
  /** Work queues the function sends messages to. */
  readonly queues?: Partial<Record<QueueName, 'send'>>;
  /**
   * The operator's data silos of the catalogue: `erase` deletes a member's data in each DynamoDB
   * and S3 silo, `read` reads it for an export. Each silo's grant names its own table (and member
   * index) or bucket prefix only, from the catalogue.
   */
  readonly silos?: SiloAccess;
  /** Puts events on the stack's bus (requests to custom silos; lifecycle events). */
  readonly putEvents?: boolean;
  /** What the function does with the photos bucket (profiles with photo items only). */
  readonly photos?: readonly PhotoUse[];
  /** Reads export objects from the imports bucket (the import job). */
  readonly readImports?: boolean;
}

/** What a function may do in the operator's data silos. */
export type SiloAccess = 'read' | 'erase';

/**
 * Uses of the photos bucket: `upload` signs uploads, `download` reads a photo's metadata and
 * signs its download, `erase` deletes every version of a member's, a baby's or an item's photos.
 */
export type PhotoUse = 'upload' | 'download' | 'erase';

/** Uses of a KMS key, mapped to IAM actions by the function construct. */
export type KeyUse = 'encrypt' | 'decrypt' | 'generate-data-key' | 'mac' | 'sign' | 'verify';

/** What recording a call needs: add a record, and a logs data key to seal its IP address with. */
export const ACCESS_LOG_GRANTS = {
  tables: { accessLog: 'append' },
  keys: { logs: ['generate-data-key'] },
} as const satisfies Grants;

/** What each table access level allows; `write` includes adding items. */
const TABLE_CAPABILITIES: Readonly<Record<TableAccess, readonly ('read' | 'write' | 'append' | 'update')[]>> =
  {
    read: ['read'],
    write: ['write'],
    readwrite: ['read', 'write'],
    append: ['append'],
    'read-append': ['read', 'append'],
    'append-update': ['append', 'update'],
  };

function mergeTableAccess(a: TableAccess | undefined, b: TableAccess | undefined): TableAccess {
  const caps = new Set([a, b].flatMap((x) => (x ? TABLE_CAPABILITIES[x] : [])));
  const read = caps.has('read');
  if (caps.has('write')) return read ? 'readwrite' : 'write';
  // No level reads, adds and updates without deleting: reading widens to readwrite.
  if (caps.has('update')) return read ? 'readwrite' : 'append-update';
  if (caps.has('append')) return read ? 'read-append' : 'append';
  return 'read';
}

/** Two grants as one: the union of what each allows, and nothing more. */
export function mergeGrants(a: Grants, b: Grants): Grants {
  const tableNames = new Set([
    ...Object.keys(a.tables ?? {}),
    ...Object.keys(b.tables ?? {}),
  ]) as Set<TableName>;
  const keyDomains = new Set([...Object.keys(a.keys ?? {}), ...Object.keys(b.keys ?? {})]) as Set<KeyDomain>;
  const tables = Object.fromEntries(
    [...tableNames].map((t) => [t, mergeTableAccess(a.tables?.[t], b.tables?.[t])]),
  ) as Grants['tables'];
  const keys = Object.fromEntries(
    [...keyDomains].map((k) => [k, [...new Set([...(a.keys?.[k] ?? []), ...(b.keys?.[k] ?? [])])]]),
  ) as Grants['keys'];
  return {
    ...(tableNames.size > 0 ? { tables } : {}),
    ...(keyDomains.size > 0 ? { keys } : {}),
    ...(a.sendEmail || b.sendEmail ? { sendEmail: true } : {}),
    ...(a.deleteAccounts || b.deleteAccounts ? { deleteAccounts: true } : {}),
    ...(a.readAccountMfa || b.readAccountMfa ? { readAccountMfa: true } : {}),
    ...(a.queues || b.queues ? { queues: { ...a.queues, ...b.queues } } : {}),
    ...(a.silos || b.silos ? { silos: a.silos === 'erase' || b.silos === 'erase' ? 'erase' : 'read' } : {}),
    ...(a.putEvents || b.putEvents ? { putEvents: true } : {}),
    ...(a.photos || b.photos ? { photos: [...new Set([...(a.photos ?? []), ...(b.photos ?? [])])] } : {}),
    ...(a.readImports || b.readImports ? { readImports: true } : {}),
  };
}

/** What following the policy version in force needs: reading the published versions. */
export const POLICY_VERSION_GRANTS = { tables: { policyVersions: 'read' } } as const satisfies Grants;

/**
 * The KMS actions of each key use; nothing else is ever granted on a domain key. A blind index is
 * recomputed and compared, never verified by KMS (no VerifyMac), and a receipt is verified by KMS,
 * so its public key is never fetched (no GetPublicKey).
 */
export const KEY_USE_ACTIONS: Readonly<Record<KeyUse, readonly string[]>> = {
  encrypt: ['kms:Encrypt'],
  decrypt: ['kms:Decrypt'],
  'generate-data-key': ['kms:GenerateDataKey'],
  mac: ['kms:GenerateMac'],
  sign: ['kms:Sign'],
  verify: ['kms:Verify'],
};

/**
 * DynamoDB item reads; the only actions also granted on a table's indexes. No function reads in
 * batches, so BatchGetItem is not among them (the IAM check lists any grant no call uses).
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
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
/** Cognito actions for reading an account's MFA settings: one account, by its username. */
export const READ_ACCOUNT_MFA_ACTIONS = ['cognito-idp:AdminGetUser'] as const;
/** SQS actions for queueing work: sending only, on the named queue only. */
export const SEND_MESSAGE_ACTIONS = ['sqs:SendMessage'] as const;

/**
 * DynamoDB Streams actions of a stream event source: Lambda's poller reads the outbox stream with
 * the publisher's role; the code never calls them.
 */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const;

/** EventBridge actions for putting events: on the stack's bus only. */
export const PUT_EVENTS_ACTIONS = ['events:PutEvents'] as const;

/**
 * What starting the erasure of a member's silos needs: opening the silo request's ledger record
 * (a conditional put, never a read) and queueing one message per silo.
 */
export const SILO_FANOUT_GRANTS = {
  tables: { requests: 'append' },
  queues: { silos: 'send' },
} as const satisfies Grants;

/** DynamoDB actions on a silo table: reading a member's items, and deleting them in batches. */
export const SILO_TABLE_ACTIONS: Readonly<Record<SiloAccess, readonly string[]>> = {
  read: ['dynamodb:Query'],
  // A batch of deletes is also authorized item by item (DeleteItem) on the table.
  erase: ['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
};

/**
 * S3 actions on a silo bucket, listing (on the bucket, under the silo's prefix) and on objects
 * (under the prefix). Erasure lists and deletes every version and delete marker.
 */
export const SILO_BUCKET_ACTIONS: Readonly<
  Record<SiloAccess, { readonly bucket: readonly string[]; readonly objects: readonly string[] }>
> = {
  read: { bucket: ['s3:ListBucket'], objects: ['s3:GetObject'] },
  erase: { bucket: ['s3:ListBucketVersions'], objects: ['s3:DeleteObjectVersion'] },
};
/**
 * The S3 actions of each photo use. A presigned request acts with its signer's permissions, so
 * signing an upload needs PutObject and signing a download GetObject. Object actions are granted
 * on the photo prefix only, listing versions only with an `s3:prefix` under it.
 */
export const PHOTO_USE_ACTIONS: Readonly<Record<PhotoUse, readonly string[]>> = {
  upload: ['s3:PutObject'],
  download: ['s3:GetObject'],
  // Erasure names each version it deletes, so it never needs DeleteObject (a delete marker).
  erase: ['s3:ListBucketVersions', 's3:DeleteObjectVersion'],
};

/** KMS actions S3 performs with the caller's credentials on the members key (SSE-KMS), by photo use. */
export const PHOTO_KEY_ACTIONS: Readonly<Record<PhotoUse, readonly string[]>> = {
  upload: ['kms:GenerateDataKey'],
  download: ['kms:Decrypt'],
  erase: [],
};

/** What erasing photos with a member, a baby or a consent needs. */
export const PHOTO_ERASURE_GRANTS = { photos: ['erase'] } as const satisfies Grants;

/** S3 actions for reading an export to import: getting an object, in the imports bucket only. */
export const READ_IMPORT_ACTIONS = ['s3:GetObject'] as const;
