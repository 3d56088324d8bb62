import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SCHEDULE_TIMEZONE } from '../../model/resources';
import { type JobDefinition, type JobEvent, type JobName, jobs, jobsOf } from '../../model/workloads';
import type { Catalogue } from '../../policy/schema';
import { JOB_DEFAULTS } from '../defaults';
import { ManagedPolicyRole } from './managed-policy-role';
import { type BindableResources, PrivacyFunction } from './privacy-function';

/** Properties of {@link Jobs}. */
export interface JobsProps {
  /** The catalogue being deployed: its profile is what the jobs load, and it switches jobs off. */
  readonly catalogue: Catalogue;
  /** What job functions may be bound to. */
  readonly resources: BindableResources;
  /** Encrypts the jobs' log groups. */
  readonly logsKey: IKey;
  /** Days the jobs' logs are kept. */
  readonly logRetentionDays: number;
  /** Encrypts the dead-letter queues. */
  readonly queueKey: IKey;
  /** @default JOB_DEFAULTS.timeout (5 minutes) */
  readonly timeout?: Duration;
  /** @default JOB_DEFAULTS.memorySize (512 MB) */
  readonly memorySize?: number;
  /** @default JOB_DEFAULTS.retryAttempts (3) */
  readonly retryAttempts?: number;
  /** @default JOB_DEFAULTS.maxEventAge (2 hours) */
  readonly maxEventAge?: Duration;
}

/** One scheduled job: its function, schedule and dead-letter queue. */
export interface ScheduledJob {
  /** The job's function. */
  readonly function: PrivacyFunction;
  /** The EventBridge Scheduler schedule that starts it. */
  readonly schedule: Schedule;
  /** Where runs that could not start or kept failing end up. */
  readonly deadLetterQueue: Queue;
  /** The role the schedule assumes to invoke the function and reach the queue. */
  readonly schedulerRole: ManagedPolicyRole;
}

/**
 * The scheduled jobs of the resource model: each runs on an EventBridge Scheduler schedule in
 * Seoul time, with retries, and lands in its own encrypted dead-letter queue when it cannot run
 * or keeps failing, so a deletion that did not happen is visible rather than silent.
 */
export class Jobs extends Construct {
  /** Each job the catalogue has, by its name in the resource model (see {@link jobsOf}). */
  readonly byName: Readonly<Partial<Record<JobName, ScheduledJob>>>;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    const byName: Partial<Record<JobName, ScheduledJob>> = {};
    const timeZone = TimeZone.of(SCHEDULE_TIMEZONE);

    // A job the catalogue switches off (the inactivity rule) has no function and no schedule.
    for (const name of jobsOf(props.catalogue)) {
      const job: JobDefinition = jobs[name];
      const jobScope = new Construct(this, name);
      const deadLetterQueue = new Queue(jobScope, 'DeadLetters', {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: props.queueKey,
        enforceSSL: true,
        retentionPeriod: JOB_DEFAULTS.deadLetterRetention,
      });

      const fn = new PrivacyFunction(jobScope, 'Handler', {
        handler: job.handler,
        description: job.description,
        profile: props.catalogue.profile,
        grants: job.grants,
        resources: props.resources,
        logsKey: props.logsKey,
        logRetentionDays: props.logRetentionDays,
        timeout:
          job.timeoutMinutes !== undefined
            ? Duration.minutes(job.timeoutMinutes)
            : (props.timeout ?? JOB_DEFAULTS.timeout),
        memorySize: props.memorySize ?? JOB_DEFAULTS.memorySize,
        // Failures after Lambda's own asynchronous retries land beside the scheduler's.
        deadLetterQueue,
      });

      const schedulerRole = new ManagedPolicyRole(jobScope, 'SchedulerRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
        description: `Lets EventBridge Scheduler start the ${name} job`,
      });
      props.queueKey.grant(schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');

      const input: JobEvent = { job: name, scheduledTime: ContextAttribute.scheduledTime };
      const schedule = new Schedule(jobScope, 'Schedule', {
        description: job.description,
        schedule: ScheduleExpression.expression(job.schedule, timeZone),
        target: new LambdaInvoke(fn.function, {
          role: schedulerRole,
          input: ScheduleTargetInput.fromObject(input),
          retryAttempts: props.retryAttempts ?? JOB_DEFAULTS.retryAttempts,
          maxEventAge: props.maxEventAge ?? JOB_DEFAULTS.maxEventAge,
          deadLetterQueue,
        }),
      });
      byName[name] = { function: fn, schedule, deadLetterQueue, schedulerRole };
    }
    this.byName = byName;
  }
}
