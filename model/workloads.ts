/**
 * The functions that are not routes, described once as plain data: scheduled jobs, queue workers,
 * Cognito triggers and the SES feedback handler, each with its handler file and its grants. The
 * CDK constructs and the local stack both build from these descriptions.
 */
import type { Catalogue } from '../policy/schema';
import { type Grants, SILO_FANOUT_GRANTS } from './grants';
import type { QueueName } from './resources';

/** A job run by an EventBridge Scheduler schedule. */
export interface JobDefinition {
  /** Handler file under lambdas/handlers/. */
  readonly handler: string;
  /** A Scheduler cron expression, evaluated in Asia/Seoul (`SCHEDULE_TIMEZONE`). */
  readonly schedule: string;
  readonly description: string;
  readonly grants: Grants;
  /** @default JOB_DEFAULTS.timeout */
  readonly timeoutMinutes?: number;
  /** A queue the job fans its work out to; `npm run job` drains it through the worker locally. */
  readonly drains?: QueueName;
  /** Whether the profile has this job at all; without it, every profile has it. */
  readonly enabled?: (catalogue: Catalogue) => boolean;
}

/** A queue feeding a worker function, with partial batch failures and a dead-letter queue. */
export interface QueueDefinition {
  /** Holds the queue URL in the functions that send to it. */
  readonly env: string;
  /** The worker's handler file under lambdas/handlers/. */
  readonly handler: string;
  readonly description: string;
  /** What the worker may touch. */
  readonly grants: Grants;
  /** Messages per worker invocation. */
  readonly batchSize: number;
  /** Worker instances at most: bounds the load on DynamoDB, KMS and SES. */
  readonly maxConcurrency: number;
  /** Deliveries before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly workerTimeoutSeconds: number;
  /** Emails all worker instances together may send per second; each takes an equal share. */
  readonly sendsPerSecond?: number;
  /** The worker queues further messages to its own queue (fan-out); it may send there, nowhere else. */
  readonly requeues?: boolean;
}

/**
 * Work queues. The inactivity job only finds candidates; the worker notifies or destroys them,
 * 10 at a time, on at most 10 instances at once: a million candidates take about 20,000 s of
 * notices at 50 sends per second (raise the SES quota and `sendsPerSecond` together).
 */
export const queues = {
  inactivity: {
    env: 'INACTIVITY_QUEUE_URL',
    handler: 'worker-inactivity',
    description:
      'Notifies inactive members, then destroys them through withdrawal (G9); one member per message.',
    grants: {
      // The notice names the contacts of the policy version in force (L18).
      tables: {
        members: 'readwrite',
        keys: 'readwrite',
        vault: 'readwrite',
        policyVersions: 'read',
        ...SILO_FANOUT_GRANTS.tables,
        // Destruction records its lifecycle event with the `withdrawing` mark.
        outbox: 'append',
      },
      keys: { members: ['decrypt'], vault: ['generate-data-key'], receipts: ['sign'], blindIndex: ['mac'] },
      sendEmail: true,
      // Destruction is withdrawal: the sign-in account goes too, every version of the photos, and
      // the silos are queued.
      deleteAccounts: true,
      photos: ['erase'],
      queues: SILO_FANOUT_GRANTS.queues,
    },
    batchSize: 10,
    maxConcurrency: 10,
    maxReceiveCount: 5,
    workerTimeoutSeconds: 120,
    sendsPerSecond: 50,
  },
  policyNotices: {
    env: 'POLICY_NOTICES_QUEUE_URL',
    handler: 'worker-policy-notices',
    description:
      'The notices every member concerned must get: of a policy change (L18), of a personal-data breach (PIPA Art. 34) and the annual notice of usage history (PIPA Art. 20-2); one page of members, or one member, per message.',
    grants: {
      // A breach's record and each member's notice of it live in the breaches table.
      tables: { members: 'readwrite', keys: 'read', policyVersions: 'readwrite', breaches: 'readwrite' },
      keys: { members: ['decrypt'], blindIndex: ['mac'] },
      sendEmail: true,
    },
    // A segment page queues its members and the segment's next page.
    requeues: true,
    batchSize: 10,
    maxConcurrency: 10,
    maxReceiveCount: 5,
    workerTimeoutSeconds: 120,
    // Shares the account's SES quota with the inactivity worker: keep the sum under it.
    sendsPerSecond: 50,
  },
  silos: {
    env: 'SILOS_QUEUE_URL',
    handler: 'worker-silos',
    description:
      "Erases a member's data in one of the operator's silos, or asks a custom system to, and records the outcome; one silo per message.",
    grants: {
      // The silo request's ledger record takes each outcome; the last one signs the full receipt
      // in the vault, next to the withdrawal's own.
      tables: { requests: 'readwrite', vault: 'read-append' },
      // The token a custom system answers with is an HMAC of its request and silo.
      keys: { receipts: ['sign'], callbacks: ['mac'] },
      silos: 'erase',
      putEvents: true,
    },
    batchSize: 5,
    maxConcurrency: 10,
    // Backoff: a failed message comes back after the visibility timeout, five times, then waits
    // in the dead-letter queue, where the alarm sees it; the silo shows as lagging meanwhile.
    maxReceiveCount: 5,
    // The per-silo timeout: one silo's erasure must end within it, or its message is retried.
    workerTimeoutSeconds: 60,
  },
} as const satisfies Record<QueueName, QueueDefinition>;

/** Each worker instance's share of a queue's sending rate, per second. */
export function sendRatePerInstance(queue: QueueDefinition): number {
  return Math.max(1, Math.floor((queue.sendsPerSecond ?? 1) / queue.maxConcurrency));
}

/** Every scheduled job. `npm run job -- <name>` runs one locally. */
export const jobs = {
  retention: {
    handler: 'job-retention',
    schedule: 'cron(0 4 * * ? *)',
    description: 'Deletes vault records whose legal period has ended, to the day (TTL may lag two days).',
    grants: { tables: { vault: 'readwrite' } },
  },
  requestsDigest: {
    handler: 'job-requests-digest',
    schedule: 'cron(0 9 * * ? *)',
    description:
      "Counts rights requests past their deadline and access reviews past their due day, emits the OverdueRequests and OverdueAccessReviews metrics and emails the officer's digest.",
    // The idempotency table holds the day's claim, so a second delivery sends no second digest;
    // the officer's address comes from the policy version in force (L18).
    // It also counts the monthly access reviews past their due day, and lists open breaches.
    grants: {
      tables: {
        requests: 'read',
        idempotency: 'write',
        policyVersions: 'read',
        accessReviews: 'read',
        breaches: 'read',
      },
      sendEmail: true,
    },
  },
  inactivity: {
    handler: 'job-inactivity',
    schedule: 'cron(0 3 * * ? *)',
    description: 'Finds members due an inactivity notice or destruction (G9) and queues them for the worker.',
    // The period of the policy version in force decides who is due (L18).
    grants: { tables: { members: 'read', policyVersions: 'read' }, queues: { inactivity: 'send' } },
    timeoutMinutes: 15,
    drains: 'inactivity',
    // The operator's own rule, which a profile may switch off: then there is no job and no schedule.
    enabled: (c) => c.inactivity.enabled,
  },
  policyNotices: {
    handler: 'job-policy-notices',
    // Hourly: a breach clock's near-deadline alarm must fire within its last hours (PIPA Art. 34).
    schedule: 'cron(0 * * * ? *)',
    description:
      'Resumes the notices of the latest policy version (L18) and of open breaches where they stopped, and emits the breach deadline metrics (PIPA Art. 34).',
    grants: {
      tables: { policyVersions: 'read', breaches: 'readwrite' },
      queues: { policyNotices: 'send' },
    },
    drains: 'policyNotices',
  },
  accessReview: {
    handler: 'job-access-review',
    // 02:00 on the first of each month, Asia/Seoul: the month before has ended.
    schedule: 'cron(0 2 1 * ? *)',
    description:
      "Assembles last month's review of handler access records (Korean safety standard Art. 8): each officer's counts, downloads, off-hours actions and unusual volume, the hash chain checked; opens the privacy officer's task.",
    // Reads the chain and opens download reasons under the logs key; writes the month's evidence
    // and task, and marks the officer told; the idempotency table holds the email's claim; the
    // officer's address comes from the policy version in force (L18).
    grants: {
      tables: {
        handlerAccess: 'read',
        accessReviews: 'readwrite',
        idempotency: 'write',
        policyVersions: 'read',
      },
      keys: { logs: ['decrypt'] },
      sendEmail: true,
    },
  },
  usageNotice: {
    handler: 'job-usage-notice',
    // Daily at 10:00 in Seoul: acts from the catalogue's due day on, resumes a run a crash or a
    // dead-lettered page stopped, and reads one partition of a few items once the year is done.
    schedule: 'cron(0 10 * * ? *)',
    description:
      "Starts or resumes, from the catalogue's due day, the annual notice of usage history to every member (PIPA Art. 20-2) through the notices queue, and records each year's counts.",
    // The year's run and its segments live in the policy-versions table; the worker of the
    // notices queue sends (and names the officer of the version in force, L18).
    grants: { tables: { policyVersions: 'readwrite' }, queues: { policyNotices: 'send' } },
    drains: 'policyNotices',
    // A profile not subject to the notice has no job and no schedule.
    enabled: (c) => c.usageNotice.applicability !== 'not-subject',
  },
} as const satisfies Record<string, JobDefinition>;

/** The name of a job. */
export type JobName = keyof typeof jobs;

/** The jobs a profile has: every job its catalogue does not switch off. */
export function jobsOf(catalogue: Catalogue): JobName[] {
  return (Object.keys(jobs) as JobName[]).filter((name) => {
    const job: JobDefinition = jobs[name];
    return job.enabled?.(catalogue) ?? true;
  });
}

/**
 * The publisher of lifecycle events, fed by the outbox table's stream: new items only (a filter
 * on INSERT, so TTL's removals never invoke it), in order (one batch per shard at a time), partial
 * batch failures, a failing batch split in halves, and a record that still fails after its
 * retries handed to a dead-letter queue, where an alarm sees it.
 */
export const outboxPublisher = {
  handler: 'stream-outbox',
  description:
    'Puts each lifecycle event of the outbox on the stack bus, once per record (ids and purposes only).',
  // The bus and nothing else: the stream's records reach it through the event source mapping.
  grants: { putEvents: true },
  batchSize: 10,
  retryAttempts: 10,
  /** Hours a record may wait before it goes to the dead-letter queue: the stream keeps it 24. */
  maxRecordAgeHours: 6,
  timeoutSeconds: 30,
} as const satisfies { handler: string; description: string; grants: Grants; [k: string]: unknown };

/**
 * The import of existing members from an export object in the imports bucket, started on
 * demand (one invocation per object, `{ "key": "imports/members.jsonl" }`), never on a schedule.
 * It reads the marker and writes each member as joining does: adding items only, never
 * changing or deleting one, and no data key it did not generate is ever unwrapped.
 */
export const importJob = {
  handler: 'job-import',
  description:
    'Imports existing members from an export object in the imports bucket (one JSON member per line).',
  grants: {
    tables: { members: 'read-append', keys: 'append' },
    keys: { members: ['generate-data-key'], blindIndex: ['mac'] },
    readImports: true,
  },
  timeoutMinutes: 15,
  /** Members started per second: under the KMS and DynamoDB quotas the live service shares. */
  ratePerSecond: 50,
} as const satisfies Omit<JobDefinition, 'schedule'> & { ratePerSecond: number };

/** The input of an import run: the object, and where a run stopped by its time budget resumes. */
export interface ImportJobEvent {
  /** The object's key in the imports bucket. */
  readonly key: string;
  /** The line to start at (from 1): the `resumeFromLine` of the run that stopped. */
  readonly startLine?: number;
  /** Overrides the clock (local runs, tests). */
  readonly now?: string;
}

/** The input a schedule sends to its job; `now` overrides the clock for local runs and tests. */
export interface JobEvent {
  readonly job: JobName;
  readonly scheduledTime?: string;
  readonly now?: string;
}

/** Functions invoked by Cognito rather than by a route or a schedule. */
export const triggers = {
  /** Cognito post-authentication: records the last sign-in (G9). */
  postAuthentication: {
    handler: 'post-authentication',
    grants: { tables: { members: 'readwrite' } },
  },
  /** Cognito pre-sign-up: confirms ID-and-password sign-ups the pool has no address to verify. */
  preSignUp: {
    handler: 'pre-sign-up',
    grants: {},
  },
  /**
   * Cognito pre-token-generation: issues no token to a member of the officers' group whose
   * account has no TOTP MFA enabled, whatever the pool's MFA setting (G17).
   */
  preTokenGeneration: {
    handler: 'pre-token-generation',
    grants: { readAccountMfa: true },
  },
} as const satisfies Record<string, { handler: string; grants: Grants }>;

/** Functions fed by the SES configuration set's bounce and complaint topic. */
export const feedback = {
  /** Records permanent bounces and complaints as suppressed addresses (a blind-index MAC only). */
  ses: {
    handler: 'ses-feedback',
    grants: { tables: { members: 'write' }, keys: { blindIndex: ['mac'] } },
  },
} as const satisfies Record<string, { handler: string; grants: Grants }>;

/** The name of a Cognito trigger. */
export type TriggerName = keyof typeof triggers;
