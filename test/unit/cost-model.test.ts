/**
 * The cost model's deterministic parts: billed units from measured counts, the template's
 * functions and idle resources, schedules per month, and the arithmetic of a month. The priced
 * totals are reported by `npm run bench`, not asserted.
 */
import { describe, expect, it } from 'vitest';
import { CALL_BUDGETS } from '../../bench/budgets';
import {
  ACTIVITY,
  cognitoPrice,
  firingsPerMonth,
  functionConfigs,
  IDLE_POLLS_PER_MAPPING_MONTH,
  idleCost,
  type MeasuredOperation,
  monthlyUnits,
  operationUnits,
  type Resources,
  SQS_REQUESTS_PER_QUEUED_MESSAGE,
} from '../../bench/cost';
import { itemWriteUnits, type TableShape, writesOf } from '../../bench/counting-proxy';
import { PRICES, priced } from '../../bench/prices/ap-northeast-2';

const configs = {
  'get-me': { memoryMb: 512, architecture: 'arm64' as const },
  'worker-inactivity': { memoryMb: 1024, architecture: 'x86_64' as const },
};

function measured(overrides: Partial<MeasuredOperation>): MeasuredOperation {
  return {
    operation: 'op',
    calls: {},
    byService: {},
    rcu: 0,
    wcuAtLeast: 0,
    apiRequests: 0,
    functions: [],
    ...overrides,
  };
}

describe('operationUnits', () => {
  it('bills a route its request units, KMS and SES calls, one API request and memory × time rounded up to the millisecond', () => {
    const units = operationUnits(
      measured({
        operation: 'view',
        calls: { 'kms:Decrypt': 2, 'kms:Sign': 1, 'ses:SendEmail': 1, 'dynamodb:Query': 3 },
        byService: { kms: 3, ses: 1, dynamodb: 3 },
        rcu: 2.5,
        wcuAtLeast: 3,
        apiRequests: 1,
        functions: [{ handler: 'get-me', durationMs: 99.2 }],
      }),
      configs,
    );
    expect(units).toEqual({
      operation: 'view',
      readRequestUnits: 2.5,
      writeRequestUnits: 3,
      kmsSymmetricRequests: 2,
      kmsEccRequests: 1,
      sesEmails: 1,
      sqsRequests: 0,
      s3PutRequests: 0,
      s3GetRequests: 0,
      apiRequests: 1,
      lambdaRequests: 1,
      // 512 MB = 0.5 GB for 100 ms (99.2 billed as 100).
      lambdaArmGbSeconds: 0.05,
      lambdaX86GbSeconds: 0,
    });
  });

  it("counts a queue worker's message delivery in SQS requests and its time by its own architecture", () => {
    const units = operationUnits(
      measured({
        byService: { sqs: 1 },
        functions: [{ handler: 'worker-inactivity', durationMs: 250 }],
      }),
      configs,
    );
    expect(units.sqsRequests).toBe(1 + SQS_REQUESTS_PER_QUEUED_MESSAGE);
    expect(units.apiRequests).toBe(0);
    expect(units.lambdaX86GbSeconds).toBe(0.25);
    expect(units.lambdaArmGbSeconds).toBe(0);
  });

  it('bills object GETs and HEADs as GETs, and PUTs and bucket LISTs as PUTs', () => {
    const units = operationUnits(
      measured({
        calls: { 's3:GET /b/k': 2, 's3:HEAD /b/p/k': 1, 's3:PUT /b/k': 1, 's3:GET /b': 1, 's3:GET /b/': 1 },
        byService: { s3: 6 },
      }),
      configs,
    );
    expect([units.s3GetRequests, units.s3PutRequests]).toEqual([3, 3]);
  });

  it('refuses a handler the template has no function for', () => {
    expect(() =>
      operationUnits(measured({ functions: [{ handler: 'nope', durationMs: 1 }] }), configs),
    ).toThrow(/no function in the template runs handler nope/);
  });
});

describe('monthlyUnits', () => {
  const units = [
    operationUnits(
      measured({
        operation: 'a',
        rcu: 2,
        apiRequests: 1,
        functions: [{ handler: 'get-me', durationMs: 10 }],
      }),
      configs,
    ),
    operationUnits(
      measured({ operation: 'b', wcuAtLeast: 4, calls: { 'ses:SendEmail': 1 }, byService: { ses: 1 } }),
      configs,
    ),
  ];

  it('multiplies each operation by its rate and the members, and sums', () => {
    const month = monthlyUnits(
      units,
      [
        { operation: 'a', perMemberMonth: 4, basis: '' },
        { operation: 'b', perMemberMonth: 0.01, basis: '' },
      ],
      10_000,
    );
    expect(month.readRequestUnits).toBe(80_000);
    expect(month.apiRequests).toBe(40_000);
    expect(month.writeRequestUnits).toBe(400);
    expect(month.sesEmails).toBe(100);
    expect(month.lambdaRequests).toBe(40_000);
    expect(month.lambdaArmGbSeconds).toBeCloseTo(40_000 * 0.005, 9);
  });

  it('refuses an activity the bench did not measure', () => {
    expect(() => monthlyUnits(units, [{ operation: 'c', perMemberMonth: 1, basis: '' }], 1)).toThrow(
      /did not measure/,
    );
  });

  it('names only operations the bench measures (each has a call budget)', () => {
    for (const a of ACTIVITY) expect(Object.keys(CALL_BUDGETS)).toContain(a.operation);
  });
});

describe('firingsPerMonth', () => {
  it('counts daily, hourly, monthly, weekly and rate schedules', () => {
    const days = 365.25 / 12;
    expect(firingsPerMonth('cron(0 4 * * ? *)')).toBeCloseTo(days, 9);
    expect(firingsPerMonth('cron(0 * * * ? *)')).toBeCloseTo(24 * days, 9);
    expect(firingsPerMonth('cron(0 2 1 * ? *)')).toBe(1);
    expect(firingsPerMonth('cron(0 9 ? * MON *)')).toBeCloseTo(days / 7, 9);
    expect(firingsPerMonth('cron(0/15 8-17 ? * 2-6 *)')).toBeCloseTo(4 * 10 * ((5 * days) / 7), 9);
    expect(firingsPerMonth('cron(0 0 1 1,7 ? *)')).toBeCloseTo(2 / 12, 9);
    expect(firingsPerMonth('rate(5 minutes)')).toBeCloseTo((days * 1440) / 5, 9);
  });

  it('refuses an expression it cannot read', () => {
    expect(() => firingsPerMonth('at(2027-01-01T00:00:00)')).toThrow(/not understood/);
  });
});

const template: Resources = {
  RoleA: { Type: 'AWS::IAM::Role', Properties: { Description: 'Runs get-me' } },
  FnA: {
    Type: 'AWS::Lambda::Function',
    Properties: { Role: { 'Fn::GetAtt': ['RoleA', 'Arn'] }, MemorySize: 768, Architectures: ['arm64'] },
  },
  RoleB: { Type: 'AWS::IAM::Role', Properties: { Description: 'Lambda custom resource' } },
  FnB: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['RoleB', 'Arn'] } } },
  Key1: { Type: 'AWS::KMS::Key' },
  Key2: { Type: 'AWS::KMS::Key' },
  Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}] } },
  Alarm1: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors' } },
  Alarm2: {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { Namespace: 'PrivacyStack', MetricName: 'Overdue' },
  },
  Alarm3: {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { Namespace: 'PrivacyStack', MetricName: 'Overdue' },
  },
  Daily: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'cron(0 3 * * ? *)' } },
  Off: {
    Type: 'AWS::Scheduler::Schedule',
    Properties: { ScheduleExpression: 'cron(0 * * * ? *)', State: 'DISABLED' },
  },
  Queue: { Type: 'AWS::SQS::Queue' },
  FromQueue: {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: { EventSourceArn: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] } },
  },
  FromStream: {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: { EventSourceArn: { 'Fn::GetAtt': ['Outbox', 'StreamArn'] } },
  },
  Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolTier: 'PLUS' } },
  Idp: { Type: 'Custom', Properties: { Secret: '{{resolve:secretsmanager:privacy/x:SecretString}}' } },
};

describe('functionConfigs', () => {
  it("reads memory and architecture by handler from the role PrivacyFunction describes, and skips CDK's own functions", () => {
    expect(functionConfigs(template)).toEqual({ 'get-me': { memoryMb: 768, architecture: 'arm64' } });
  });
});

describe('idleCost', () => {
  it('counts keys, the web ACL and its rules, alarms and the custom metrics they watch, enabled schedules, queue pollers and secrets', () => {
    const lines = Object.fromEntries(idleCost(template).map((l) => [l.service, l]));
    expect(lines['KMS keys']!.basis).toBe('2 keys');
    expect(lines.WAF!.basis).toBe('1 web ACL + 3 rules');
    expect(lines['CloudWatch alarms and metrics']!.basis).toBe('3 alarms, 1 custom metrics');
    expect(lines['EventBridge Scheduler + Lambda']!.basis).toMatch(/^1 schedules, 30 job runs/);
    expect(lines['SQS (idle polling)']!.basis).toMatch(/^1 queue mappings/);
    expect(lines['SQS (idle polling)']!.usd).toBe(priced('sqsRequests', IDLE_POLLS_PER_MAPPING_MONTH));
    expect(lines['Secrets Manager']!.basis).toBe('1 secrets');
    expect(lines['KMS keys']!.usd).toBe(2 * PRICES.kmsKeyMonth.usd);
  });

  it("prices Cognito by the pool's feature plan", () => {
    expect(cognitoPrice(template)).toBe('cognitoPlusMau');
    expect(cognitoPrice({})).toBe('cognitoEssentialsMau');
  });
});

describe('priced', () => {
  it('charges one published price per its unit', () => {
    expect(priced('dynamodbWriteRequestUnits', 1_000_000)).toBe(PRICES.dynamodbWriteRequestUnits.usd);
    expect(priced('kmsSymmetricRequests', 20_000)).toBeCloseTo(2 * PRICES.kmsSymmetricRequests.usd, 12);
  });

  it('states a source and an as-of month for every price', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.asOf).toMatch(/^\d{4}-\d{2}$/);
    }
  });
});

describe('itemWriteUnits', () => {
  const members: TableShape = {
    keys: ['pk', 'sk'],
    indexes: [{ name: 'inactivity', keys: ['inactiveOn', 'pk'], projection: 'KEYS_ONLY' }],
  };
  const s = (n: number) => ({ S: 'x'.repeat(n) });
  const profile = { pk: { S: 'm1' }, sk: { S: 'profile' }, data: s(1500) };

  it('bills a put by the larger of the old and new item, in 1 KB steps', () => {
    expect(itemWriteUnits(members, undefined, profile, false)).toBe(2);
    expect(itemWriteUnits(members, { ...profile, data: s(3000) }, profile, false)).toBe(3);
  });

  it('doubles the table write in a transaction', () => {
    expect(itemWriteUnits(members, undefined, profile, true)).toBe(4);
  });

  it('adds one index write when the item enters or leaves a sparse index, and two when its index key moves', () => {
    const entered = { ...profile, inactiveOn: { S: '2027-01-01' } };
    expect(itemWriteUnits(members, profile, entered, false)).toBe(2 + 1);
    expect(itemWriteUnits(members, entered, undefined, false)).toBe(2 + 1);
    expect(itemWriteUnits(members, entered, { ...entered, inactiveOn: { S: '2027-02-01' } }, false)).toBe(
      2 + 2,
    );
  });

  it('costs a keys-only index nothing when only unprojected attributes change', () => {
    const entered = { ...profile, inactiveOn: { S: '2027-01-01' } };
    expect(itemWriteUnits(members, entered, { ...entered, data: s(10) }, false)).toBe(2);
  });

  it('rewrites an all-attributes index whenever the item changes', () => {
    const requests: TableShape = {
      keys: ['requestId'],
      indexes: [{ name: 'member', keys: ['memberId', 'receivedAt'], projection: 'ALL' }],
    };
    const request = {
      requestId: { S: 'r1' },
      memberId: { S: 'm1' },
      receivedAt: { S: 't' },
      state: { S: 'open' },
    };
    expect(itemWriteUnits(requests, request, { ...request, state: { S: 'done' } }, false)).toBe(2);
  });
});

describe('writesOf', () => {
  it('lists the item writes of a transaction, leaving out condition checks', () => {
    expect(
      writesOf('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 't', Item: { id: { S: '1' } } } },
          { Update: { TableName: 't', Key: { id: { S: '2' } } } },
          { ConditionCheck: { TableName: 't', Key: { id: { S: '3' } } } },
          { Delete: { TableName: 'u', Key: { id: { S: '4' } } } },
        ],
      }),
    ).toEqual([
      { table: 't', item: { id: { S: '1' } }, transactional: true },
      { table: 't', key: { id: { S: '2' } }, transactional: true },
      { table: 'u', key: { id: { S: '4' } }, transactional: true },
    ]);
    expect(writesOf('GetItem', {})).toEqual([]);
  });
});
