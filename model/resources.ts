/**
 * The AWS resources the product needs, described once as plain data. The CDK constructs in
 * lib/ and the local stack in local/ both build from these descriptions, so the two can never
 * disagree about a table's keys, an index, a TTL attribute or a key's purpose.
 */

/** The KMS key domains: one customer-managed key per kind of data. */
export const keyDomains = {
  members: {
    env: 'MEMBERS_KEY_ID',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: "Wraps each member's data key; encrypts the members, keys and idempotency tables.",
  },
  vault: {
    env: 'VAULT_KEY_ID',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'Encrypts records a law requires keeping after withdrawal.',
  },
  logs: {
    env: 'LOGS_KEY_ID',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'Encrypts access logs, handler access records and log groups.',
  },
  blindIndex: {
    env: 'BLIND_INDEX_KEY_ID',
    spec: 'HMAC_256',
    usage: 'GENERATE_VERIFY_MAC',
    description: 'Keys the blind index used to look members up without plaintext.',
  },
  receipts: {
    env: 'RECEIPT_KEY_ID',
    spec: 'ECC_NIST_P256',
    usage: 'SIGN_VERIFY',
    description: 'Signs deletion receipts so members can prove them later.',
  },
} as const;

/** The name of a key domain. */
export type KeyDomain = keyof typeof keyDomains;

/** A DynamoDB attribute used in a key schema. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** A global secondary index. */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Only keys: the jobs read candidates, then fetch what they need. */
  readonly projection: 'KEYS_ONLY' | 'ALL';
}

/** A DynamoDB table as the product needs it. */
export interface TableDefinition {
  readonly env: string;
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: readonly IndexDefinition[];
  /** The key domain whose KMS key encrypts the table at rest. */
  readonly key: KeyDomain;
  /** Attribute holding the epoch-seconds expiry; DynamoDB TTL deletes past it. */
  readonly ttlAttribute?: string;
  /** Which catalogue record class sets the expiry of the table's items (see recordClasses). */
  readonly retention?: 'member' | 'accessLog' | 'handlerAccess' | 'vault';
  /** Days of point-in-time recovery; bounds how long a shredded key stays restorable. */
  readonly recoveryDays: number;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

/** The recovery window of the keys table: the longest a destroyed data key can be restored. */
export const KEY_BACKUP_DAYS = 7;

/** Every table of the product. */
export const tables = {
  members: {
    env: 'MEMBERS_TABLE',
    description: 'Members, their consents, babies, corrections and service records (single table).',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // Blind-index lookups are items of their own (pk LOOKUP#…), so a conditional put in the
    // join transaction also guarantees uniqueness, which an index could not.
    indexes: [
      // Sparse: only members due for an inactivity step carry `inactiveOn` (a YYYY-MM-DD day).
      { name: 'inactivity', partitionKey: S('inactiveOn'), sortKey: S('pk'), projection: 'KEYS_ONLY' },
    ],
    key: 'members',
    ttlAttribute: 'expiresAt',
    retention: 'member',
    recoveryDays: 35,
  },
  keys: {
    env: 'KEYS_TABLE',
    description: "Each member's data key, wrapped by the members key; deleting it shreds the member.",
    partitionKey: S('memberId'),
    indexes: [],
    key: 'members',
    recoveryDays: KEY_BACKUP_DAYS,
  },
  vault: {
    env: 'VAULT_TABLE',
    description: 'Records a law requires keeping after the purpose ends, each with its expiry.',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    // Sparse by day: the sweeper deletes what TTL has not yet, so deadlines hold to the day.
    indexes: [{ name: 'expiry', partitionKey: S('expiresOn'), sortKey: S('pk'), projection: 'KEYS_ONLY' }],
    key: 'vault',
    ttlAttribute: 'expiresAt',
    retention: 'vault',
    recoveryDays: 35,
  },
  accessLog: {
    env: 'ACCESS_LOG_TABLE',
    description: 'IP address, time, route and member of each API call.',
    partitionKey: S('memberId'),
    sortKey: S('at'),
    indexes: [],
    key: 'logs',
    ttlAttribute: 'expiresAt',
    retention: 'accessLog',
    recoveryDays: 35,
  },
  idempotency: {
    env: 'IDEMPOTENCY_TABLE',
    description:
      "Results of mutating requests by Idempotency-Key, and jobs' once-a-day claims; never decrypted personal data.",
    partitionKey: S('id'),
    indexes: [],
    key: 'members',
    ttlAttribute: 'expiration',
    recoveryDays: 1,
  },
  requests: {
    env: 'REQUESTS_TABLE',
    description:
      'The ledger of rights requests (self-service and offline): type, channel, deadline, status, handler, outcome.',
    partitionKey: S('requestId'),
    // Sparse: only open requests carry `openStatus`, so the overdue job reads open ones by deadline.
    indexes: [
      { name: 'open', partitionKey: S('openStatus'), sortKey: S('deadline'), projection: 'ALL' },
      { name: 'member', partitionKey: S('memberId'), sortKey: S('receivedAt'), projection: 'ALL' },
    ],
    key: 'logs',
    ttlAttribute: 'expiresAt',
    retention: 'handlerAccess',
    recoveryDays: 35,
  },
  handlerAccess: {
    env: 'HANDLER_ACCESS_TABLE',
    description:
      'Append-only, hash-chained records of every privacy-officer action: officer, time, source IP, member, action, reason.',
    // One chain, one partition: `seq` orders every record, and a conditional put on the next
    // sequence number lets exactly one of two concurrent officers take it.
    partitionKey: S('chain'),
    sortKey: { name: 'seq', type: 'N' },
    indexes: [],
    key: 'logs',
    ttlAttribute: 'expiresAt',
    retention: 'handlerAccess',
    recoveryDays: 35,
  },
  policyVersions: {
    env: 'POLICY_VERSIONS_TABLE',
    // pk VERSION, sk by publish sequence; pk FANOUT#<seq>, one item per scan segment.
    description: 'Published policy versions (immutable) and the progress of their notices.',
    // Kept without expiry: consents and receipts name the version they were given under (L1, L3).
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    key: 'logs',
    recoveryDays: 35,
  },
} as const satisfies Record<string, TableDefinition>;

/** The name of a table. */
export type TableName = keyof typeof tables;

/** Environment variables that are not a table or a key. */
export const ENV = {
  profile: 'POLICY_PROFILE',
  senderAddress: 'SENDER_ADDRESS',
  configurationSet: 'SES_CONFIGURATION_SET',
  /** The Cognito user pool holding members' sign-in accounts. */
  userPoolId: 'USER_POOL_ID',
  /** Notices one function instance may send per second: its share of the SES sending quota. */
  sendRate: 'SES_SEND_RATE',
  /** The public address of GET /v1/policy, named in policy-change notices (L18). */
  policyUrl: 'POLICY_URL',
  /** Points every SDK client at an emulator; unset in AWS. Read by the SDK itself. */
  endpoint: 'AWS_ENDPOINT_URL',
} as const;

/** The scheduled jobs, in Asia/Seoul time. */
export const SCHEDULE_TIMEZONE = 'Asia/Seoul';

/** The work queues, by name; `workloads.ts` describes each queue and its worker. */
export const QUEUE_NAMES = ['inactivity', 'policyNotices'] as const;

/** The name of a work queue. */
export type QueueName = (typeof QUEUE_NAMES)[number];
