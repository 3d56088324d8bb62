/**
 * The README's monthly cost estimate, computed from each profile's synthesized template: what an
 * idle stack pays for the resources it holds (keys, web ACL, alarms, secrets…) and what 10,000
 * members add at a stated pattern of use. `npm run readme` writes it between the
 * `<!-- generated:cost -->` markers; an infrastructure test fails while the README's copy differs.
 *
 * The unit prices are assumptions written down here, not read from AWS: check them in the AWS
 * Pricing Calculator for ap-northeast-2 before budgeting. What the test guarantees is that the
 * counts multiplied are the template's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { createPrivacyApp } from '../lib/app-factory';
import { type ProfileName, profiles } from '../policy/catalogue';

/** Assumed USD list prices in ap-northeast-2 (Seoul). */
export const PRICES = {
  kmsKeyMonth: 1.0,
  kmsPerRequest: 0.03 / 10_000,
  wafWebAclMonth: 5.0,
  wafRuleMonth: 1.0,
  wafPerRequest: 0.6 / 1_000_000,
  alarmMonth: 0.1,
  secretMonth: 0.4,
  apiGatewayPerRequest: 3.5 / 1_000_000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerWrite: 1.4135 / 1_000_000,
  dynamoPerRead: 0.2827 / 1_000_000,
  dynamoStorageGbMonth: 0.285,
  dynamoPitrGbMonth: 0.228,
  cognitoPerMauBeyondFree: 0.0055,
  sesPerEmail: 0.1 / 1_000,
  logsIngestPerGb: 0.76,
} as const;

/**
 * What an average member does in a month, and what each of those costs in calls. The per-operation
 * call counts are the measured ones of the README's *Performance* table (rounded up).
 */
export const USAGE = {
  members: 10_000,
  signIns: 4,
  apiRequests: 6,
  emails: 1,
  /** Per request: DynamoDB writes and reads (capacity units), KMS calls, Lambda time. */
  writesPerRequest: 4,
  readsPerRequest: 10,
  kmsPerRequest: 2,
  lambdaSeconds: 0.3,
  logBytesPerInvocation: 1_500,
  storedBytesPerMember: 20_000,
} as const;

/** One line of the estimate. */
export interface CostLine {
  readonly item: string;
  readonly basis: string;
  readonly usd: number;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function count(resources: Resources, type: string): number {
  return Object.values(resources).filter((r) => r.Type === type).length;
}

/** The Secrets Manager secrets a template resolves at deploy time, by name. */
export function secretsOf(resources: Resources): string[] {
  const names = JSON.stringify(resources).matchAll(/\{\{resolve:secretsmanager:([^:}]+)/g);
  return [...new Set([...names].map((m) => m[1]!))];
}

/** What the idle stack of a template pays each month, line by line. */
export function idleCost(resources: Resources): CostLine[] {
  const secrets = secretsOf(resources).length;
  const keys = count(resources, 'AWS::KMS::Key');
  const acls = Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const rules = acls.reduce(
    (n, acl) => n + ((acl.Properties?.Rules as unknown[] | undefined)?.length ?? 0),
    0,
  );
  const alarms = count(resources, 'AWS::CloudWatch::Alarm');
  return [
    { item: 'KMS keys', basis: `${keys} × $${PRICES.kmsKeyMonth}`, usd: keys * PRICES.kmsKeyMonth },
    {
      item: 'WAF web ACL',
      basis: `${acls.length} × $${PRICES.wafWebAclMonth} + ${rules} rules × $${PRICES.wafRuleMonth}`,
      usd: acls.length * PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth,
    },
    {
      item: 'CloudWatch alarms',
      basis: `${alarms} × $${PRICES.alarmMonth}`,
      usd: alarms * PRICES.alarmMonth,
    },
    {
      item: 'Secrets Manager',
      basis: `${secrets} × $${PRICES.secretMonth}`,
      usd: secrets * PRICES.secretMonth,
    },
  ];
}

/** What USAGE.members members add each month, line by line. */
export function membersCost(): CostLine[] {
  const u = USAGE;
  const invocations = u.members * (u.apiRequests + u.signIns + u.emails);
  const gb = (u.members * u.storedBytesPerMember) / 1e9;
  return [
    {
      item: 'API Gateway + WAF',
      basis: `${n(u.members * u.apiRequests)} requests`,
      usd: u.members * u.apiRequests * (PRICES.apiGatewayPerRequest + PRICES.wafPerRequest),
    },
    {
      item: 'Lambda (arm64, 512 MB)',
      basis: `${n(invocations)} invocations × ${u.lambdaSeconds} s`,
      usd: invocations * (PRICES.lambdaPerRequest + u.lambdaSeconds * 0.5 * PRICES.lambdaArmPerGbSecond),
    },
    {
      item: 'DynamoDB on demand',
      basis: `${u.writesPerRequest} writes + ${u.readsPerRequest} reads a request; ${gb.toFixed(1)} GB with PITR`,
      usd:
        u.members *
          (u.apiRequests + u.signIns) *
          (u.writesPerRequest * PRICES.dynamoPerWrite + u.readsPerRequest * PRICES.dynamoPerRead) +
        gb * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth),
    },
    {
      item: 'KMS requests',
      basis: `${u.kmsPerRequest} a request`,
      usd: u.members * u.apiRequests * u.kmsPerRequest * PRICES.kmsPerRequest,
    },
    {
      item: 'SES',
      basis: `${n(u.members * u.emails)} emails`,
      usd: u.members * u.emails * PRICES.sesPerEmail,
    },
    {
      item: 'CloudWatch Logs',
      basis: `${n(u.logBytesPerInvocation)} bytes an invocation`,
      usd: ((invocations * u.logBytesPerInvocation) / 1e9) * PRICES.logsIngestPerGb,
    },
    {
      item: 'Cognito',
      basis: `$${PRICES.cognitoPerMauBeyondFree} a monthly active user beyond the free 10,000`,
      usd: u.members * PRICES.cognitoPerMauBeyondFree,
    },
  ];
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function dollars(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}

/** The resources of a profile's synthesized template (bundling skipped: code costs nothing idle). */
export function resourcesOf(profile: ProfileName): Resources {
  const { stack } = createPrivacyApp({ context: { profile, 'aws:cdk:bundling-stacks': [] }, env: {} });
  return (Template.fromStack(stack).toJSON() as { Resources: Resources }).Resources;
}

/** The markdown of the README's cost section. */
export function costSection(): string {
  const names = Object.keys(profiles) as ProfileName[];
  const idle = names.map((p) => [p, idleCost(resourcesOf(p))] as const);
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const idleRows = idle[0]![1].map((line, i) =>
    row([line.item, ...idle.map(([, lines]) => `${lines[i]!.basis} = ${dollars(lines[i]!.usd)}`)]),
  );
  const members = membersCost();
  const u = USAGE;
  return [
    'Estimated monthly cost in USD at assumed Seoul list prices (`scripts/cost.ts`; check them in the',
    "AWS Pricing Calculator before budgeting). The counts are read from each profile's synthesized",
    "template, and a test keeps this table current. Free tiers are not deducted, except Cognito's.",
    '',
    row(['idle stack', ...names]),
    row(['---', ...names.map(() => '---')]),
    ...idleRows,
    row(['**total**', ...idle.map(([, lines]) => `**${dollars(total(lines))}**`)]),
    '',
    `What each ${n(u.members)} members add, each signing in ${u.signIns} times, making ${u.apiRequests} API requests and`,
    `receiving ${u.emails} email a month (both profiles; tables, logs and functions cost nothing idle). The first`,
    `${n(u.members)} members' sign-ins are within Cognito's free tier, so the first ${n(u.members)} cost`,
    `${dollars(total(members) - members.at(-1)!.usd)} and each further ${n(u.members)} ${dollars(total(members))}:`,
    '',
    row(['item', 'basis', 'USD']),
    row(['---', '---', '---']),
    ...members.map((line) => row([line.item, line.basis, dollars(line.usd)])),
    row(['**total**', '', `**${dollars(total(members))}**`]),
  ].join('\n');
}

const START = '<!-- generated:cost -->';
const END = '<!-- /generated:cost -->';

/** `readme` with its cost section replaced by `section`. */
export function withCostSection(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${section}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withCostSection(readFileSync(path, 'utf8'), costSection()));
}
