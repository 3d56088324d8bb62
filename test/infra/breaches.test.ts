/**
 * Personal-data breaches in the synthesized stacks (PIPA Art. 34; GDPR Arts. 33-34): the breaches
 * table, the officer routes behind the authorizer, the hourly notices job in Asia/Seoul, and the
 * alarms on both deadline metrics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BREACH_DEADLINES_MISSED_METRIC,
  BREACH_DEADLINES_NEAR_METRIC,
  METRIC_NAMESPACE,
} from '../../model/metrics';
import { SCHEDULE_TIMEZONE } from '../../model/resources';
import { breachRoutes } from '../../model/routes/breaches';
import { jobs } from '../../model/workloads';
import type { ProfileName } from '../../policy/catalogue';
import { type TemplateOnly, templateOnly } from './synth';

const count = (t: TemplateOnly['json'], type: string) =>
  Object.values(t.Resources).filter((r) => r.Type === type).length;

describe.each(['lgcns', 'littleone'] as ProfileName[])('breaches in the %s stack', (profile) => {
  let t: TemplateOnly;
  beforeAll(() => {
    t = templateOnly(profile);
  });

  it('PIPA Art. 34: stays within the 500 resources CloudFormation allows a stack', () => {
    expect(Object.keys(t.json.Resources).length).toBeLessThanOrEqual(500);
  });

  it('PIPA Art. 34: each breach route is a function of its own behind the Cognito authorizer', () => {
    for (const route of breachRoutes) {
      const method = t.stack.api.methods[route.id];
      expect(method, route.id).toBeDefined();
      const id = t.stack.getLogicalId(method!.node.defaultChild as never);
      expect(t.json.Resources[id]!.Properties.AuthorizationType, route.id).toBe('COGNITO_USER_POOLS');
      expect(t.json.Resources[id]!.Properties.HttpMethod, route.id).toBe(route.method);
    }
    expect(count(t.json, 'AWS::DynamoDB::GlobalTable')).toBeGreaterThan(0);
  });

  it('PIPA Art. 34, GDPR Art. 33(1): the notices job runs hourly in Asia/Seoul and an alarm watches each deadline metric', () => {
    const schedules = Object.values(t.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::Scheduler::Schedule' &&
        r.Properties.ScheduleExpression === jobs.policyNotices.schedule,
    );
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.Properties.ScheduleExpressionTimezone).toBe(SCHEDULE_TIMEZONE);
    expect(jobs.policyNotices.schedule).toBe('cron(0 * * * ? *)');
    for (const metric of [BREACH_DEADLINES_NEAR_METRIC, BREACH_DEADLINES_MISSED_METRIC]) {
      const alarms = Object.values(t.json.Resources).filter(
        (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === metric,
      );
      expect(alarms, metric).toHaveLength(1);
      expect(alarms[0]!.Properties).toMatchObject({
        Namespace: METRIC_NAMESPACE,
        Dimensions: [{ Name: 'Profile', Value: profile }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarms[0]!.Properties.AlarmActions).toHaveLength(1);
    }
  });
});
