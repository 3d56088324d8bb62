/**
 * The published on-demand list prices of AWS Asia Pacific (Seoul), ap-northeast-2, in USD, that
 * the cost model (`bench/cost.ts`) and the README's idle-stack estimate (`scripts/cost.ts`)
 * multiply. This is the only place they are written.
 *
 * NOT VERIFIED: they were written down without access to the pricing pages, from the prices as
 * published on the date each states (`asOf`). Check every one against its `source` (or the AWS
 * Pricing Calculator, region Asia Pacific (Seoul)) before relying on a figure, and update
 * `asOf` when you do. Free tiers are listed but the model does not deduct them, except where a
 * line says so.
 */

/** One published price: what it costs, per what, where it is published and as of when. */
export interface Price {
  /** USD for one `unit`. */
  readonly usd: number;
  /** What one `usd` buys, e.g. `1 million write request units`. */
  readonly unit: string;
  /** How many of the counted things one `unit` is (1,000,000 for "per million"). */
  readonly per: number;
  /** The pricing page the figure is published on. */
  readonly source: string;
  /** The month the figure is stated as published in; not a date it was checked. */
  readonly asOf: string;
  /** A free tier or condition worth knowing; not deducted by the model. */
  readonly note?: string;
}

/** The region these prices are for. */
export const PRICE_REGION = 'ap-northeast-2';

/** When this file's figures were written down (none was checked against AWS that day). */
export const PRICES_WRITTEN = '2026-11-30';

/**
 * The month every figure below is stated as published in: the prices as they stood then, written
 * from memory on {@link PRICES_WRITTEN} without the pages at hand. AWS has changed prices since
 * before (DynamoDB on demand halved in November 2024); check them.
 */
export const AS_OF = '2025-01';

const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const SES = 'https://aws.amazon.com/ses/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const API_GATEWAY = 'https://aws.amazon.com/api-gateway/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const SCHEDULER = 'https://aws.amazon.com/eventbridge/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const COGNITO = 'https://aws.amazon.com/cognito/pricing/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
const XRAY = 'https://aws.amazon.com/xray/pricing/';

/** The prices, by what they price. */
export const PRICES = {
  dynamodbWriteRequestUnits: {
    usd: 0.7068,
    unit: '1 million write request units (on demand)',
    per: 1_000_000,
    source: DYNAMODB,
    asOf: AS_OF,
    note: 'after the on-demand price cut of 1 November 2024 (was $1.4135)',
  },
  dynamodbReadRequestUnits: {
    usd: 0.1414,
    unit: '1 million read request units (on demand)',
    per: 1_000_000,
    source: DYNAMODB,
    asOf: AS_OF,
    note: 'after the on-demand price cut of 1 November 2024 (was $0.2827)',
  },
  dynamodbStorageGbMonth: {
    usd: 0.285,
    unit: 'GB-month of table storage (Standard table class)',
    per: 1,
    source: DYNAMODB,
    asOf: AS_OF,
    note: 'first 25 GB-month free',
  },
  dynamodbPitrGbMonth: {
    usd: 0.228,
    unit: 'GB-month of continuous backup (point-in-time recovery)',
    per: 1,
    source: DYNAMODB,
    asOf: AS_OF,
  },
  kmsKeyMonth: {
    usd: 1.0,
    unit: 'customer managed key-month',
    per: 1,
    source: KMS,
    asOf: AS_OF,
    note: 'the first and second rotation add $1 each; later rotations are free',
  },
  kmsSymmetricRequests: {
    usd: 0.03,
    unit: '10,000 requests (symmetric and HMAC keys)',
    per: 10_000,
    source: KMS,
    asOf: AS_OF,
    note: '20,000 requests a month free',
  },
  kmsEccRequests: {
    usd: 0.15,
    unit: '10,000 requests with ECC keys (Sign, Verify)',
    per: 10_000,
    source: KMS,
    asOf: AS_OF,
  },
  sesEmails: {
    usd: 0.1,
    unit: '1,000 outbound emails',
    per: 1_000,
    source: SES,
    asOf: AS_OF,
    note: 'attachments add $0.12 per GB',
  },
  lambdaArmGbSeconds: {
    usd: 0.0000133334,
    unit: 'GB-second, arm64 (first 7.5 billion GB-s a month), billed per 1 ms',
    per: 1,
    source: LAMBDA,
    asOf: AS_OF,
    note: '400,000 GB-s a month free (all architectures)',
  },
  lambdaX86GbSeconds: {
    usd: 0.0000166667,
    unit: 'GB-second, x86_64 (first 6 billion GB-s a month), billed per 1 ms',
    per: 1,
    source: LAMBDA,
    asOf: AS_OF,
  },
  lambdaRequests: {
    usd: 0.2,
    unit: '1 million requests',
    per: 1_000_000,
    source: LAMBDA,
    asOf: AS_OF,
    note: '1 million requests a month free',
  },
  apiGatewayRestRequests: {
    usd: 3.5,
    unit: '1 million REST API requests (first 333 million a month)',
    per: 1_000_000,
    source: API_GATEWAY,
    asOf: AS_OF,
    note: 'the least certain figure here: some Asian regions list $4.25; check Seoul',
  },
  sqsRequests: {
    usd: 0.4,
    unit: '1 million standard-queue requests (64 KB chunks)',
    per: 1_000_000,
    source: SQS,
    asOf: AS_OF,
    note: '1 million requests a month free',
  },
  schedulerInvocations: {
    usd: 1.0,
    unit: '1 million EventBridge Scheduler invocations',
    per: 1_000_000,
    source: SCHEDULER,
    asOf: AS_OF,
    note: '14 million invocations a month free',
  },
  cloudwatchAlarmMonth: {
    usd: 0.1,
    unit: 'standard-resolution metric alarm-month',
    per: 1,
    source: CLOUDWATCH,
    asOf: AS_OF,
    note: '10 alarms a month free',
  },
  cloudwatchCustomMetricMonth: {
    usd: 0.3,
    unit: 'custom metric-month (first 10,000 metrics)',
    per: 1,
    source: CLOUDWATCH,
    asOf: AS_OF,
    note: '10 custom metrics a month free',
  },
  cloudwatchLogsIngestedGb: {
    usd: 0.76,
    unit: 'GB of standard log data ingested',
    per: 1,
    source: CLOUDWATCH,
    asOf: AS_OF,
    note: '5 GB a month free',
  },
  wafWebAclMonth: {
    usd: 5.0,
    unit: 'web ACL-month',
    per: 1,
    source: WAF,
    asOf: AS_OF,
  },
  wafRuleMonth: {
    usd: 1.0,
    unit: 'rule-month (a managed rule group counts as one rule)',
    per: 1,
    source: WAF,
    asOf: AS_OF,
  },
  wafRequests: {
    usd: 0.6,
    unit: '1 million web requests inspected',
    per: 1_000_000,
    source: WAF,
    asOf: AS_OF,
  },
  cognitoPlusMau: {
    usd: 0.02,
    unit: 'monthly active user, Plus feature plan',
    per: 1,
    source: COGNITO,
    asOf: AS_OF,
    note: 'no free tier on Plus (Lite and Essentials have 10,000 MAUs free)',
  },
  cognitoEssentialsMau: {
    usd: 0.015,
    unit: 'monthly active user, Essentials feature plan (beyond 10,000 free)',
    per: 1,
    source: COGNITO,
    asOf: AS_OF,
  },
  cognitoLiteMau: {
    usd: 0.0055,
    unit: 'monthly active user, Lite feature plan (first 100,000 beyond 10,000 free)',
    per: 1,
    source: COGNITO,
    asOf: AS_OF,
  },
  s3StandardGbMonth: {
    usd: 0.025,
    unit: 'GB-month, S3 Standard (first 50 TB)',
    per: 1,
    source: S3,
    asOf: AS_OF,
  },
  s3PutRequests: {
    usd: 0.0045,
    unit: '1,000 PUT, COPY, POST or LIST requests',
    per: 1_000,
    source: S3,
    asOf: AS_OF,
  },
  s3GetRequests: {
    usd: 0.00035,
    unit: '1,000 GET and other requests',
    per: 1_000,
    source: S3,
    asOf: AS_OF,
  },
  secretMonth: {
    usd: 0.4,
    unit: 'secret-month',
    per: 1,
    source: SECRETS,
    asOf: AS_OF,
  },
  xrayTracesRecorded: {
    usd: 5.0,
    unit: '1 million traces recorded',
    per: 1_000_000,
    source: XRAY,
    asOf: AS_OF,
    note: '100,000 traces a month free',
  },
} as const satisfies Record<string, Price>;

/** The name of a price. */
export type PriceName = keyof typeof PRICES;

/** What `count` things priced by `name` cost, in USD. */
export function priced(name: PriceName, count: number): number {
  const price: Price = PRICES[name];
  return (count / price.per) * price.usd;
}

/** What a result priced by this file records of it. */
export const PRICE_STAMP = { region: PRICE_REGION, asOf: AS_OF, written: PRICES_WRITTEN } as const;
