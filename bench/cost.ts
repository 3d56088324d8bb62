/**
 * The cost model: what each measured operation consumes in billed units (DynamoDB request units,
 * KMS requests, SES messages, SQS and API requests, Lambda requests and GB-seconds), what an idle
 * stack pays for what its synthesized template holds, and what 10,000 members cost a month at the
 * stated {@link ACTIVITY} — priced by `bench/prices/ap-northeast-2.ts`, the one place prices live.
 *
 * Every count comes from the bench's measurements (the counting proxy on the wire, the handlers'
 * measured durations) or from the template (memory, architecture, keys, alarms, schedules); the
 * only figures written here are the activity profile and AWS's own billing rules.
 */
import { queues } from '../model/workloads';
import { PRICES, type PriceName, priced } from './prices/ap-northeast-2';

/** A synthesized template's resources. */
export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** How a function is configured in the template: what Lambda bills its time by. */
export interface FunctionConfig {
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
}

/** What an operation's measurement holds that the model reads (a subset of `OperationResult`). */
export interface MeasuredOperation {
  readonly operation: string;
  readonly calls: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
  readonly rcu: number;
  readonly wcuAtLeast: number;
  /** Write units measured from the items before and after each write, where the proxy measured them. */
  readonly wcu?: number;
  readonly apiRequests: number;
  readonly functions: readonly { readonly handler: string; readonly durationMs: number }[];
}

/** The billed units of one operation. */
export interface OperationUnits {
  readonly operation: string;
  readonly readRequestUnits: number;
  /**
   * Measured from the items before and after each write, index writes included; where writes were
   * not measured, a lower bound from the request alone (updates and deletes at one unit).
   */
  readonly writeRequestUnits: number;
  /** KMS requests on symmetric and HMAC keys. */
  readonly kmsSymmetricRequests: number;
  /** KMS requests on ECC keys (the receipt signature). */
  readonly kmsEccRequests: number;
  readonly sesEmails: number;
  /** SQS requests the functions made, plus three per message a queue worker handles. */
  readonly sqsRequests: number;
  /** PUT, COPY, POST and LIST requests. */
  readonly s3PutRequests: number;
  /** GET and HEAD of objects. */
  readonly s3GetRequests: number;
  /** API Gateway REST requests, each also inspected by WAF. */
  readonly apiRequests: number;
  readonly lambdaRequests: number;
  /** Configured memory × measured duration, each invocation rounded up to the millisecond. */
  readonly lambdaArmGbSeconds: number;
  readonly lambdaX86GbSeconds: number;
}

/** KMS operations billed at the asymmetric (ECC) rate: only the receipts key signs. */
const ECC_OPERATIONS = new Set(['Sign', 'Verify', 'GetPublicKey']);
/** GET and HEAD of an object; a GET of a bucket is a LIST, billed with PUTs. */
const S3_GETS = /^(GET|HEAD) \/[^/]+\/./;

/**
 * SQS requests per message a queue worker handles, beside those a function makes: the producer's
 * SendMessage, and the event source mapping's ReceiveMessage and DeleteMessage (a batch of one).
 */
export const SQS_REQUESTS_PER_QUEUED_MESSAGE = 3;

const QUEUE_WORKERS: ReadonlySet<string> = new Set(Object.values(queues).map((q) => q.handler));

/** Each Lambda function's configuration, by handler name, read from a synthesized template. */
export function functionConfigs(resources: Resources): Record<string, FunctionConfig> {
  const configs: Record<string, FunctionConfig> = {};
  for (const fn of Object.values(resources)) {
    if (fn.Type !== 'AWS::Lambda::Function') continue;
    const role = (fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
      'Fn::GetAtt'
    ]?.[0];
    // PrivacyFunction describes each role as "Runs <handler>"; CDK's own functions have no such role.
    const handler = /^Runs (\S+)$/.exec(String(resources[role ?? '']?.Properties?.Description ?? ''))?.[1];
    if (!handler) continue;
    const architectures = fn.Properties?.Architectures as string[] | undefined;
    configs[handler] = {
      // Lambda's own default when a template omits it.
      memoryMb: Number(fn.Properties?.MemorySize ?? 128),
      architecture: architectures?.[0] === 'arm64' ? 'arm64' : 'x86_64',
    };
  }
  return configs;
}

/** The billed units of `op`, its functions' memory read from `configs`. */
export function operationUnits(
  op: MeasuredOperation,
  configs: Record<string, FunctionConfig>,
): OperationUnits {
  let kmsEcc = 0;
  let s3Gets = 0;
  for (const [call, n] of Object.entries(op.calls)) {
    const [service, operation] = call.split(':') as [string, string];
    if (service === 'kms' && ECC_OPERATIONS.has(operation)) kmsEcc += n;
    if (service === 's3' && S3_GETS.test(operation)) s3Gets += n;
  }
  let arm = 0;
  let x86 = 0;
  let queued = 0;
  for (const run of op.functions) {
    const config = configs[run.handler];
    if (!config) throw new Error(`no function in the template runs handler ${run.handler}`);
    const gbSeconds = (config.memoryMb / 1024) * (Math.ceil(run.durationMs) / 1000);
    if (config.architecture === 'arm64') arm += gbSeconds;
    else x86 += gbSeconds;
    if (QUEUE_WORKERS.has(run.handler)) queued += 1;
  }
  return {
    operation: op.operation,
    readRequestUnits: op.rcu,
    writeRequestUnits: op.wcu ?? op.wcuAtLeast,
    kmsSymmetricRequests: (op.byService.kms ?? 0) - kmsEcc,
    kmsEccRequests: kmsEcc,
    sesEmails: op.calls['ses:SendEmail'] ?? 0,
    sqsRequests: (op.byService.sqs ?? 0) + queued * SQS_REQUESTS_PER_QUEUED_MESSAGE,
    s3PutRequests: (op.byService.s3 ?? 0) - s3Gets,
    s3GetRequests: s3Gets,
    apiRequests: op.apiRequests,
    lambdaRequests: op.functions.length,
    lambdaArmGbSeconds: arm,
    lambdaX86GbSeconds: x86,
  };
}

/** One operation's share in the activity profile: how often an average member does it a month. */
export interface Activity {
  /** The measured operation's name, as `bench/operations.ts` names it. */
  readonly operation: string;
  readonly perMemberMonth: number;
  /** Why this rate, for the reader. */
  readonly basis: string;
}

/**
 * What an average member does in a month: the stated assumption every per-member figure rests
 * on. Each line names an operation the bench measures; the model refuses one it did not.
 */
export const ACTIVITY: readonly Activity[] = [
  { operation: 'sign-in (post-authentication trigger)', perMemberMonth: 1, basis: '1 sign-in' },
  { operation: 'view (first)', perMemberMonth: 4, basis: '4 views, each in a fresh instance' },
  { operation: 'consent withdrawn (optional purpose)', perMemberMonth: 1, basis: '1 consent change' },
  { operation: 'export', perMemberMonth: 0.005, basis: '0.5% export their data' },
  { operation: 'withdraw (signed receipt)', perMemberMonth: 0.01, basis: '1% withdraw' },
  { operation: 'join', perMemberMonth: 0.01, basis: '1% join (replacing those who leave)' },
  {
    operation: 'inactivity notice (one member)',
    perMemberMonth: 0.005,
    basis: '0.5% sent an inactivity notice',
  },
  {
    operation: 'inactivity purge (one member)',
    perMemberMonth: 0.002,
    basis: '0.2% destroyed for inactivity',
  },
  {
    operation: 'annual usage notice (one member)',
    perMemberMonth: 1 / 12,
    basis: 'the annual usage notice, once a year (PIPA Art. 20-2)',
  },
];

/** The members the per-member figures are stated for. */
export const MEMBERS = 10_000;

/** Members active in a month (Cognito bills each who signs in or refreshes a token). */
export const ACTIVE_SHARE = 1;

/** One line of a monthly cost: a service, what was counted, and what it costs. */
export interface CostLine {
  readonly service: string;
  readonly basis: string;
  readonly usd: number;
}

/** The sum of `lines`, in USD. */
export function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** The units of every operation a month brings for `members` at `activity`, summed. */
export function monthlyUnits(
  units: readonly OperationUnits[],
  activity: readonly Activity[],
  members: number,
): Omit<OperationUnits, 'operation'> {
  const byName = new Map(units.map((u) => [u.operation, u]));
  const sum: Record<string, number> = {};
  for (const a of activity) {
    const u = byName.get(a.operation);
    if (!u) throw new Error(`the activity profile names "${a.operation}", which the bench did not measure`);
    for (const [key, value] of Object.entries(u)) {
      if (key !== 'operation') sum[key] = (sum[key] ?? 0) + (value as number) * a.perMemberMonth * members;
    }
  }
  return sum as unknown as Omit<OperationUnits, 'operation'>;
}

/** The Cognito price of a template's user pool, by its feature plan (tier). */
export function cognitoPrice(resources: Resources): PriceName {
  const pool = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPool');
  const tier = String(pool?.Properties?.UserPoolTier ?? 'ESSENTIALS');
  return tier === 'PLUS' ? 'cognitoPlusMau' : tier === 'LITE' ? 'cognitoLiteMau' : 'cognitoEssentialsMau';
}

/** What `members` members cost a month at `activity`, per service. */
export function membersCost(
  units: readonly OperationUnits[],
  resources: Resources,
  activity: readonly Activity[] = ACTIVITY,
  members: number = MEMBERS,
): CostLine[] {
  const m = monthlyUnits(units, activity, members);
  const mau = members * ACTIVE_SHARE;
  const cognito = cognitoPrice(resources);
  return [
    {
      service: 'DynamoDB (on demand)',
      basis: `${n(m.readRequestUnits)} RRU + ${n(m.writeRequestUnits)} WRU`,
      usd:
        priced('dynamodbReadRequestUnits', m.readRequestUnits) +
        priced('dynamodbWriteRequestUnits', m.writeRequestUnits),
    },
    {
      service: 'KMS requests',
      basis: `${n(m.kmsSymmetricRequests)} symmetric/HMAC + ${n(m.kmsEccRequests)} ECC`,
      usd:
        priced('kmsSymmetricRequests', m.kmsSymmetricRequests) + priced('kmsEccRequests', m.kmsEccRequests),
    },
    { service: 'SES', basis: `${n(m.sesEmails)} emails`, usd: priced('sesEmails', m.sesEmails) },
    { service: 'SQS', basis: `${n(m.sqsRequests)} requests`, usd: priced('sqsRequests', m.sqsRequests) },
    {
      service: 'Lambda',
      basis: `${n(m.lambdaRequests)} requests, ${n(m.lambdaArmGbSeconds + m.lambdaX86GbSeconds, 1)} GB-s`,
      usd:
        priced('lambdaRequests', m.lambdaRequests) +
        priced('lambdaArmGbSeconds', m.lambdaArmGbSeconds) +
        priced('lambdaX86GbSeconds', m.lambdaX86GbSeconds),
    },
    {
      service: 'API Gateway (REST)',
      basis: `${n(m.apiRequests)} requests`,
      usd: priced('apiGatewayRestRequests', m.apiRequests),
    },
    {
      service: 'WAF requests',
      basis: `${n(m.apiRequests)} requests`,
      usd: priced('wafRequests', m.apiRequests),
    },
    {
      service: 'X-Ray',
      basis: `${n(m.lambdaRequests)} traces (every invocation sampled at this rate)`,
      usd: priced('xrayTracesRecorded', m.lambdaRequests),
    },
    {
      service: 'S3',
      basis: `${n(m.s3PutRequests)} PUT/LIST + ${n(m.s3GetRequests)} GET/HEAD`,
      usd: priced('s3PutRequests', m.s3PutRequests) + priced('s3GetRequests', m.s3GetRequests),
    },
    {
      service: 'Cognito',
      basis: `${n(mau)} MAU × $${PRICES[cognito].usd} (${PRICES[cognito].unit})`,
      usd: priced(cognito, mau),
    },
  ];
}

/** The Secrets Manager secrets a template resolves at deploy time, by name. */
export function secretsOf(resources: Resources): string[] {
  const names = JSON.stringify(resources).matchAll(/\{\{resolve:secretsmanager:([^:}]+)/g);
  return [...new Set([...names].map((m) => m[1]!))];
}

const DAYS_PER_MONTH = 365.25 / 12;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** How many values a cron field takes in `[low, high]` (`*`, lists, ranges and steps). */
function fieldCount(field: string, low: number, high: number): number {
  if (field === '*' || field === '?') return high - low + 1;
  let count = 0;
  for (const part of field.split(',')) {
    const [range, step] = part.split('/') as [string, string | undefined];
    const [from, to] =
      range === '*'
        ? [low, high]
        : range.includes('-')
          ? range.split('-').map(Number)
          : [Number(range), step ? high : Number(range)];
    if (!Number.isFinite(from) || !Number.isFinite(to))
      throw new Error(`cron field "${field}" is not understood`);
    count += Math.floor((to! - from!) / Number(step ?? 1)) + 1;
  }
  return count;
}

/** How often a schedule expression (`cron(…)` of EventBridge Scheduler, or `rate(…)`) fires a month. */
export function firingsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) {
    const minutes = { minute: 1, hour: 60, day: 1440 }[rate[2] as 'minute' | 'hour' | 'day'];
    return (DAYS_PER_MONTH * 1440) / (Number(rate[1]) * minutes);
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (!cron) throw new Error(`schedule "${expression}" is not understood`);
  const [minute, hour, dom, month, named] = cron.slice(1) as [string, string, string, string, string];
  const dow = named.replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, (day) => String(WEEKDAYS.indexOf(day) + 1));
  const perDay = fieldCount(minute, 0, 59) * fieldCount(hour, 0, 23);
  const monthShare = fieldCount(month, 1, 12) / 12;
  const days =
    dom !== '?' && dom !== '*'
      ? fieldCount(dom, 1, 31)
      : dow !== '?' && dow !== '*'
        ? (fieldCount(dow, 1, 7) * DAYS_PER_MONTH) / 7
        : DAYS_PER_MONTH;
  return perDay * days * monthShare;
}

/**
 * Requests an idle SQS event source mapping makes a month: Lambda keeps 5 pollers long-polling
 * (20 s) each queue it reads, whether or not a message comes (AWS's published behaviour).
 */
export const IDLE_POLLS_PER_MAPPING_MONTH = 5 * ((DAYS_PER_MONTH * 86_400) / 20);

function ofType(resources: Resources, type: string) {
  return Object.values(resources).filter((r) => r.Type === type);
}

/** What an idle stack of the template `resources` pays a month, per service. */
export function idleCost(resources: Resources): CostLine[] {
  const keys = ofType(resources, 'AWS::KMS::Key').length;
  const acls = ofType(resources, 'AWS::WAFv2::WebACL');
  const rules = acls.reduce(
    (sum, acl) => sum + ((acl.Properties?.Rules as unknown[] | undefined)?.length ?? 0),
    0,
  );
  const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
  // Alarms on our own namespace watch custom metrics, each billed monthly once published.
  const customMetrics = new Set(
    alarms
      .filter(
        (a) =>
          typeof a.Properties?.Namespace === 'string' && !String(a.Properties.Namespace).startsWith('AWS/'),
      )
      .map((a) =>
        JSON.stringify([a.Properties?.Namespace, a.Properties?.MetricName, a.Properties?.Dimensions]),
      ),
  ).size;
  const schedules = ofType(resources, 'AWS::Scheduler::Schedule').filter(
    (s) => s.Properties?.State !== 'DISABLED',
  );
  const firings = schedules.reduce(
    (sum, s) => sum + firingsPerMonth(String(s.Properties?.ScheduleExpression)),
    0,
  );
  const sqsMappings = ofType(resources, 'AWS::Lambda::EventSourceMapping').filter((m) =>
    JSON.stringify(m.Properties?.EventSourceArn ?? '').includes('Queue'),
  ).length;
  const polls = sqsMappings * IDLE_POLLS_PER_MAPPING_MONTH;
  const secrets = secretsOf(resources).length;
  return [
    { service: 'KMS keys', basis: `${keys} keys`, usd: priced('kmsKeyMonth', keys) },
    {
      service: 'WAF',
      basis: `${acls.length} web ACL + ${rules} rules`,
      usd: priced('wafWebAclMonth', acls.length) + priced('wafRuleMonth', rules),
    },
    {
      service: 'CloudWatch alarms and metrics',
      basis: `${alarms.length} alarms, ${customMetrics} custom metrics`,
      usd:
        priced('cloudwatchAlarmMonth', alarms.length) + priced('cloudwatchCustomMetricMonth', customMetrics),
    },
    {
      service: 'EventBridge Scheduler + Lambda',
      basis: `${schedules.length} schedules, ${n(firings)} job runs (run time not measured)`,
      usd: priced('schedulerInvocations', firings) + priced('lambdaRequests', firings),
    },
    {
      service: 'SQS (idle polling)',
      basis: `${sqsMappings} queue mappings × ${n(IDLE_POLLS_PER_MAPPING_MONTH)} long polls`,
      usd: priced('sqsRequests', polls),
    },
    { service: 'Secrets Manager', basis: `${secrets} secrets`, usd: priced('secretMonth', secrets) },
  ];
}

/** The cost section of `bench/results.json`. */
export interface CostResult {
  readonly prices: { readonly region: string; readonly asOf: string; readonly written: string };
  readonly activity: readonly Activity[];
  readonly members: number;
  readonly activeShare: number;
  readonly functions: Record<string, FunctionConfig>;
  readonly units: readonly OperationUnits[];
  readonly idle: readonly CostLine[];
  readonly perMembers: readonly CostLine[];
  readonly idleUsd: number;
  readonly perMembersUsd: number;
  /** What the model leaves out, for the reader. */
  readonly excluded: readonly string[];
}

/** What the model does not price, and why. */
export const EXCLUDED = [
  'DynamoDB storage and backups (item sizes at rest not measured; ~20 KB a member would be about $0.10 a month per 10,000)',
  'CloudWatch Logs ingestion (bytes per operation not measured)',
  'Lambda init duration (first invocation of each instance) and the scheduled jobs’ run time',
  "KMS requests AWS services make for their own encryption (SQS, DynamoDB, Logs with the stack's keys)",
  "the inactivity job's own index queries (one keys-only item per member due) and the policy-notice pages",
  'lifecycle events (outbox stream to EventBridge), the silo worker handling what a withdrawal queues, and officer operations',
  'free tiers (none deducted)',
];

/** What one set of units costs, in USD (everything an operation is billed for). */
export function unitsCost(u: Omit<OperationUnits, 'operation'>): number {
  return (
    priced('dynamodbReadRequestUnits', u.readRequestUnits) +
    priced('dynamodbWriteRequestUnits', u.writeRequestUnits) +
    priced('kmsSymmetricRequests', u.kmsSymmetricRequests) +
    priced('kmsEccRequests', u.kmsEccRequests) +
    priced('sesEmails', u.sesEmails) +
    priced('sqsRequests', u.sqsRequests) +
    priced('s3PutRequests', u.s3PutRequests) +
    priced('s3GetRequests', u.s3GetRequests) +
    priced('apiGatewayRestRequests', u.apiRequests) +
    priced('wafRequests', u.apiRequests) +
    priced('lambdaRequests', u.lambdaRequests) +
    priced('lambdaArmGbSeconds', u.lambdaArmGbSeconds) +
    priced('lambdaX86GbSeconds', u.lambdaX86GbSeconds) +
    priced('xrayTracesRecorded', u.lambdaRequests)
  );
}

/** The cost model of one bench run: measured operations, the template, and the profile. */
export function costModel(
  operations: readonly MeasuredOperation[],
  resources: Resources,
  prices: CostResult['prices'],
): CostResult {
  const functions = functionConfigs(resources);
  const units = operations.map((op) => operationUnits(op, functions));
  const idle = idleCost(resources);
  const perMembers = membersCost(units, resources);
  return {
    prices,
    activity: ACTIVITY,
    members: MEMBERS,
    activeShare: ACTIVE_SHARE,
    functions,
    units,
    idle,
    perMembers,
    idleUsd: total(idle),
    perMembersUsd: total(perMembers),
    excluded: EXCLUDED,
  };
}

const usd = (value: number) => `$${value.toFixed(2)}`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The operations' units as rows: what the bench prints and the README shows. */
export function unitRows(result: CostResult): string[][] {
  return result.units.map((u) => [
    u.operation,
    String(u.readRequestUnits),
    String(u.writeRequestUnits),
    `${u.kmsSymmetricRequests}${u.kmsEccRequests ? ` + ${u.kmsEccRequests} ECC` : ''}`,
    String(u.sesEmails),
    String(u.sqsRequests),
    String(u.apiRequests),
    `${u.lambdaRequests} · ${((u.lambdaArmGbSeconds + u.lambdaX86GbSeconds) * 1000).toFixed(1)}`,
    usd(unitsCost(u) * MEMBERS),
  ]);
}

/** The head of {@link unitRows}. */
export const UNIT_HEAD = [
  'operation',
  'RRU',
  'WRU',
  'KMS',
  'SES',
  'SQS',
  'API',
  'Lambda: invocations · GB-ms',
  `USD per ${n(MEMBERS)} operations`,
];

/** The markdown the README's Performance section shows of a run's cost model. */
export function costMarkdown(
  result: CostResult,
  run: { date: string; machine: string; mode: string },
): string {
  const profile = result.activity.map((a) => a.basis).join(', ');
  const largest = result.perMembers.reduce((a, b) => (b.usd > a.usd ? b : a));
  return [
    `**Cost** (\`bench/cost.ts\`), from the ${run.mode} run of ${run.date} on ${run.machine}, priced with the`,
    `Seoul list prices in \`bench/prices/ap-northeast-2.ts\` (stated as of ${result.prices.asOf}, written without`,
    'access to the pricing pages: **check them before relying on these figures**). Each operation is billed',
    "by its counts on the wire and its handler's measured time × the memory the synthesized template",
    'configures; time against moto is slower than against DynamoDB, so GB-seconds are high. Request',
    'units are computed from the items on the wire (moto reports a constant); a write is billed by its',
    "item's size before and after it, and by each index it enters, leaves or changes.",
    '',
    row(UNIT_HEAD),
    row(UNIT_HEAD.map(() => '---')),
    ...unitRows(result).map(row),
    '',
    `A month, idle and per ${n(result.members)} members (${profile}; ${Math.round(result.activeShare * 100)}% of members`,
    'active, so billed by Cognito). Free tiers are not deducted.',
    '',
    row(['idle stack', 'counted in the template', 'USD']),
    row(['---', '---', '---']),
    ...result.idle.map((l) => row([l.service, l.basis, usd(l.usd)])),
    row(['**total**', '', `**${usd(result.idleUsd)}**`]),
    '',
    row([`per ${n(result.members)} members`, 'measured units × activity', 'USD']),
    row(['---', '---', '---']),
    ...result.perMembers.map((l) => row([l.service, l.basis, usd(l.usd)])),
    row(['**total**', '', `**${usd(result.perMembersUsd)}**`]),
    '',
    `The largest line is ${largest.service}: ${Math.round((100 * largest.usd) / result.perMembersUsd)}% of what members cost.`,
    `Not priced: ${result.excluded.join('; ')}.`,
  ].join('\n');
}
