/**
 * Secure defaults of the constructs, in one place so a reader can review them together and a
 * construct's `@default` docs point at a value rather than restating it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';

/**
 * How every stateful resource (key, table, user pool, log group) leaves: kept when the stack is
 * updated or deleted, but removed when its first create fails, so a failed first deploy leaves
 * nothing behind to block the retry or bill the account.
 */
export const RETAINED = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/** Defaults of {@link PrivacyFunction} used by API routes. */
export const FUNCTION_DEFAULTS = {
  /** API Gateway gives up after 29 s; a route should answer well before. */
  timeout: Duration.seconds(10),
  /** Memory buys CPU on Lambda; 512 MB keeps KMS and crypto work off the cold-start path. */
  memorySize: 512,
} as const;

/** Defaults of Cognito triggers. */
export const TRIGGER_DEFAULTS = {
  /** Cognito gives a trigger five seconds, then fails the sign-in. */
  timeout: Duration.seconds(5),
} as const;

/** Defaults of scheduled jobs. */
export const JOB_DEFAULTS = {
  /** A sweep pages through an index; give it room, but not unbounded. */
  timeout: Duration.minutes(5),
  memorySize: 512,
  /** Scheduler retries of a failed delivery before the event goes to the dead-letter queue. */
  retryAttempts: 3,
  /** A daily job that starts more than two hours late should be looked at, not run silently. */
  maxEventAge: Duration.hours(2),
  /** Dead letters are kept for the longest SQS allows, so a holiday does not lose them. */
  deadLetterRetention: Duration.days(14),
} as const;

/** Defaults of the REST API stage. */
export const API_DEFAULTS = {
  stageName: 'prod',
  /** Steady-state requests per second across the stage. */
  throttlingRateLimit: 50,
  /** Requests allowed in a burst above the rate. */
  throttlingBurstLimit: 100,
  /** Requests one IP address may make in five minutes before the firewall blocks it. */
  requestsPerIpPer5Minutes: 1000,
} as const;

/** Defaults of the alarms. */
export const ALARM_DEFAULTS = {
  /** Alarm evaluation period. */
  period: Duration.minutes(5),
} as const;
