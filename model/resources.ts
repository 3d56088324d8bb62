/**
 * The AWS resources the product needs, described once as plain data. The CDK constructs in
 * lib/ and the local stack in local/ both build from these descriptions, so the two can never
 * disagree about a table's keys, an index, a TTL attribute or a key's purpose.
 */

/** The KMS key domains: one customer-managed key per kind of data. */
export const keyDomains = {
  members: {
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: "Wraps each member's data key; encrypts the members, keys and idempotency tables.",
  },
  vault: {
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'Encrypts records a law requires keeping after withdrawal.',
  },
  logs: {
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    description: 'Encrypts access logs, handler access records and log groups.',
  },
  blindIndex: {
    spec: 'HMAC_256',
    usage: 'GENERATE_VERIFY_MAC',
    description: 'Keys the blind index used to look members up without plaintext.',
  },
  receipts: {
    spec: 'ECC_NIST_P256',
    usage: 'SIGN_VERIFY',
    description: 'Signs deletion receipts so members can prove them later.',
  },
  callbacks: {
    spec: 'HMAC_256',
    usage: 'GENERATE_VERIFY_MAC',
    description: "Keys the tokens with which the operator's custom systems answer silo requests.",
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
  /** A DynamoDB stream of new items' images, which a function consumes (the outbox). */
  readonly stream?: 'NEW_IMAGE';
}

/** The attribute holding an item's epoch-seconds expiry, in every table that has one but idempotency. */
export const EXPIRY_ATTRIBUTE = 'expiresAt';

/** The sparse index of members due an inactivity step: `inactiveOn` is a Seoul day (YYYY-MM-DD). */
export const INACTIVITY_INDEX = {
  name: 'inactivity',
  partitionKey: { name: 'inactiveOn', type: 'S' },
  sortKey: { name: 'pk', type: 'S' },
  projection: 'KEYS_ONLY',
} as const satisfies IndexDefinition;

/** The sparse index of breach records by the time they were recorded: `listed` is always `BREACH`. */
export const BREACH_LIST_INDEX = {
  name: 'listed',
  partitionKey: { name: 'listed', type: 'S' },
  sortKey: { name: 'recordedAt', type: 'S' },
  projection: 'ALL',
} as const satisfies IndexDefinition;

/** The sparse index of vault records by the Seoul day they expire (`expiresOn`). */
export const VAULT_EXPIRY_INDEX = {
  name: 'expiry',
  partitionKey: { name: 'expiresOn', type: 'S' },
  sortKey: { name: 'pk', type: 'S' },
  projection: 'KEYS_ONLY',
} as const satisfies IndexDefinition;

/** `accessLog` as ACCESS_LOG: how a table or key name appears in its variable's name. */
const upperSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/**
 * The environment variable holding a table's physical name: its name in upper snake case, then
 * `_TABLE` (members → MEMBERS_TABLE, accessLog → ACCESS_LOG_TABLE).
 */
export function tableEnv(table: TableName): string {
  return `${upperSnake(table)}_TABLE`;
}

/** The environment variable holding a key domain's key ARN (blindIndex → BLIND_INDEX_KEY_ID). */
export function keyEnv(domain: KeyDomain): string {
  return `${upperSnake(domain)}_KEY_ID`;
}

/** The recovery window of the keys table: the longest a destroyed data key can be restored. */
export const KEY_BACKUP_DAYS = 7;

/** Every table of the product. */
export const tables = {
  members: {
    description: 'Members, their consents, babies, corrections and service records (single table).',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Blind-index lookups are items of their own (pk LOOKUP#…), so a conditional put in the
    // join transaction also guarantees uniqueness, which an index could not.
    indexes: [
      // Sparse: only members due for an inactivity step carry `inactiveOn` (a YYYY-MM-DD day).
      INACTIVITY_INDEX,
    ],
    key: 'members',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    retention: 'member',
    recoveryDays: 35,
  },
  keys: {
    description: "Each member's data key, wrapped by the members key; deleting it shreds the member.",
    partitionKey: { name: 'memberId', type: 'S' },
    indexes: [],
    key: 'members',
    recoveryDays: KEY_BACKUP_DAYS,
  },
  vault: {
    description: 'Records a law requires keeping after the purpose ends, each with its expiry.',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Sparse by day: the sweeper deletes what TTL has not yet, so deadlines hold to the day.
    indexes: [VAULT_EXPIRY_INDEX],
    key: 'vault',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    retention: 'vault',
    recoveryDays: 35,
  },
  accessLog: {
    description: 'IP address, time, route and member of each API call.',
    partitionKey: { name: 'memberId', type: 'S' },
    sortKey: { name: 'at', type: 'S' },
    indexes: [],
    key: 'logs',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    retention: 'accessLog',
    recoveryDays: 35,
  },
  idempotency: {
    description:
      "Results of mutating requests by Idempotency-Key, and jobs' once-a-day claims; never decrypted personal data.",
    partitionKey: { name: 'id', type: 'S' },
    indexes: [],
    key: 'members',
    ttlAttribute: 'expiration',
    recoveryDays: 1,
  },
  requests: {
    description:
      'The ledger of rights requests (self-service and offline): type, channel, deadline, status, handler, outcome.',
    partitionKey: { name: 'requestId', type: 'S' },
    // Sparse: only open requests carry `openStatus`, so the overdue job reads open ones by deadline.
    indexes: [
      {
        name: 'open',
        partitionKey: { name: 'openStatus', type: 'S' },
        sortKey: { name: 'deadline', type: 'S' },
        projection: 'ALL',
      },
      {
        name: 'member',
        partitionKey: { name: 'memberId', type: 'S' },
        sortKey: { name: 'receivedAt', type: 'S' },
        projection: 'ALL',
      },
    ],
    key: 'logs',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    retention: 'handlerAccess',
    recoveryDays: 35,
  },
  handlerAccess: {
    description:
      'Append-only, hash-chained records of every privacy-officer action: officer, time, source IP, member, action, reason.',
    // One chain, one partition: `seq` orders every record, and a conditional put on the next
    // sequence number lets exactly one of two concurrent officers take it.
    partitionKey: { name: 'chain', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [],
    key: 'logs',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    retention: 'handlerAccess',
    recoveryDays: 35,
  },
  accessReviews: {
    description:
      "The monthly reviews of handler access records: each month's task (chain check, flags, sign-off) and each officer's evidence.",
    // pk REVIEW, sk the month (YYYY-MM): the tasks, listed in one query; pk EVIDENCE#<month>,
    // sk the officer: what the month's review found about each officer.
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [],
    key: 'logs',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    // Kept as long as the records it reviews (Korean safety standard Art. 8: at least 2 years).
    retention: 'handlerAccess',
    recoveryDays: 35,
  },
  policyVersions: {
    // pk VERSION, sk by publish sequence; pk FANOUT#<seq>, one item per scan segment; pk
    // USAGE#<year>: the annual usage notice's run of that year (sk RUN) and its segments.
    description:
      "Published policy versions (immutable) and the progress of their notices, and each year's run of the annual usage notice.",
    // Kept without expiry: consents and receipts name the version they were given under (L1, L3).
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: [],
    key: 'logs',
    recoveryDays: 35,
  },
  breaches: {
    // pk BREACH#<id>: sk BREACH (the record), STEP#<at>#<n> (its ledger), SEGMENT#<n> (the
    // progress of finding the affected members), N#<memberId> (each member's notice).
    description:
      "Personal-data breaches (PIPA Art. 34; GDPR Arts. 33-34): the record, the ledger of its steps, and each affected member's notice.",
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    // Sparse: only breach records carry `listed`, so the listing and the clocks job read them
    // without the notices.
    indexes: [BREACH_LIST_INDEX],
    key: 'logs',
    // Kept without expiry: the evidence a regulator may ask for (PIPA Art. 34; GDPR Art. 33(5)).
    recoveryDays: 35,
  },
  outbox: {
    description:
      'Lifecycle events written in the same transaction as the change they record (ids and purposes only), for the publisher.',
    // One item per event; its stream hands each new one to the publisher, which puts it on the bus.
    partitionKey: { name: 'eventId', type: 'S' },
    indexes: [],
    key: 'logs',
    ttlAttribute: EXPIRY_ATTRIBUTE,
    recoveryDays: 1,
    stream: 'NEW_IMAGE',
  },
} as const satisfies Record<string, TableDefinition>;

/**
 * Days an outbox record is kept after its change. The stream holds it 24 hours, and the publisher
 * must have put it on the bus by then; TTL removes it soon after, as it names a member.
 */
export const OUTBOX_DAYS = 2;

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
  /** The stack's EventBridge bus (silo requests to custom systems; lifecycle events). */
  eventBus: 'EVENT_BUS_NAME',
  /** The bucket export objects are imported from (the import job). */
  importsBucket: 'IMPORTS_BUCKET',
  /** Members the import job starts per second. */
  importRate: 'IMPORT_RATE_PER_SECOND',
  /** Points every SDK client at an emulator; unset in AWS. Read by the SDK itself. */
  endpoint: 'AWS_ENDPOINT_URL',
} as const;

/** The scheduled jobs, in Asia/Seoul time. */
export const SCHEDULE_TIMEZONE = 'Asia/Seoul';

/** The work queues, by name; `workloads.ts` describes each queue and its worker. */
export const QUEUE_NAMES = ['inactivity', 'policyNotices', 'silos'] as const;

/** The name of a work queue. */
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * The stack's EventBridge bus: the silo engine puts one event per request to a custom system on
 * it (ids only), and lifecycle events go there too. Its physical name is `<profile>-events`.
 */
export const EVENT_BUS = {
  suffix: 'events',
  /** The `source` of every event the product puts on the bus. */
  source: 'privacy-rights',
} as const;

/** The physical name of a profile's event bus, in the stack and in the local stack alike. */
export function eventBusName(profile: string): string {
  return `${profile}-${EVENT_BUS.suffix}`;
}
