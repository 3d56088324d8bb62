/**
 * The officer API in the synthesized stacks: the ledger and access-record tables, append-only
 * grants, the officer routes behind the authorizer, the daily digest job and its alarm, the monthly
 * access-review job, its table and its alarm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  METRIC_NAMESPACE,
  OVERDUE_ACCESS_REVIEWS_METRIC,
  OVERDUE_REQUESTS_METRIC,
} from '../../model/metrics';
import { SCHEDULE_TIMEZONE, tables } from '../../model/resources';
import type { Route } from '../../model/routes/route';
import { routes, routesOf } from '../../model/routes/table';
import { jobs } from '../../model/workloads';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { isoDuration } from '../../policy/duration';
import { type Cfn, type Synthesized, synthesize } from './synth';

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const logicalIdOf = (s: Synthesized, c: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(c.node.defaultChild as never);
const arnOf = (id: string) => (r: unknown) =>
  JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every IAM statement of the template that names `table`'s ARN, with the role it is attached to. */
function statementsOnTable(s: Synthesized, tableId: string): { roles: string[]; actions: string[] }[] {
  return Object.values(s.json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
    .flatMap((r) =>
      (r.Properties.PolicyDocument.Statement as Cfn[])
        .filter((st) => asArray(st.Resource).some(arnOf(tableId)))
        .map((st) => ({
          roles: (r.Properties.Roles ?? []).map((x: Cfn) => x.Ref),
          actions: asArray(st.Action) as string[],
        })),
    );
}

/** Every route behind the officer group, the breach routes among them. */
const officerRoutes = (routes as readonly Route[]).filter((r) => r.access === 'officer');
describe.each(['lgcns', 'littleone'] as ProfileName[])('the officer API in the %s stack', (profile) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(profile);
  });

  it('G17: the ledger and the access records are encrypted under the logs key, with the catalogue retention as TTL', () => {
    const logsKey = logicalIdOf(s, s.stack.keys.byDomain.logs);
    const cls = s.catalogue.recordClasses.handlerAccess;
    const period = s.catalogue.retention[cls]!.period;
    // The monthly reviews' evidence is kept as long as the records it reviews (safety standard Art. 8).
    for (const name of ['requests', 'handlerAccess', 'accessReviews'] as const) {
      const props = s.json.Resources[logicalIdOf(s, s.stack.data.tables[name])]!.Properties;
      expect(props.SSESpecification, name).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(props.Replicas[0].SSESpecification.KMSMasterKeyId, name).toEqual({
        'Fn::GetAtt': [logsKey, 'Arn'],
      });
      expect(props.TimeToLiveSpecification, name).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(props.Replicas[0].Tags, name).toEqual(
        expect.arrayContaining([
          { Key: 'retention-class', Value: cls },
          { Key: 'retention-period', Value: period === 'until-withdrawal' ? period : isoDuration(period) },
        ]),
      );
    }
    expect(tables.handlerAccess.sortKey).toEqual({ name: 'seq', type: 'N' });
  });

  it('G17: no function may update or delete an access record; every officer route may append one', () => {
    const tableId = logicalIdOf(s, s.stack.data.tables.handlerAccess);
    const statements = statementsOnTable(s, tableId);
    const actions = statements.flatMap((st) => st.actions);
    for (const forbidden of [
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:PartiQLUpdate',
    ]) {
      expect(actions).not.toContain(forbidden);
    }
    expect(actions.every((a) => !a.includes('*'))).toBe(true);
    for (const route of officerRoutes) {
      const role = logicalIdOf(s, s.stack.api.functions[route.id]!.role);
      const own = statements.filter((st) => st.roles.includes(role)).flatMap((st) => st.actions);
      expect(own, route.id).toContain('dynamodb:PutItem');
      expect(own, route.id).toContain('dynamodb:Query');
    }
    const writers = statements
      .filter((st) => st.actions.includes('dynamodb:PutItem'))
      .flatMap((st) => st.roles);
    const officerRoles = officerRoutes.map((r) => logicalIdOf(s, s.stack.api.functions[r.id]!.role));
    expect(writers.every((role) => officerRoles.includes(role))).toBe(true);
  });

  it('L14/G10: members never read the ledger; self-service routes only add and close records, never delete one', () => {
    const tableId = logicalIdOf(s, s.stack.data.tables.requests);
    const roleOf = (id: string) => logicalIdOf(s, s.stack.api.functions[id]!.role);
    const officerRoles = officerRoutes.map((r) => roleOf(r.id));
    const memberRoles = routesOf(loadCatalogue(profile))
      .filter((r) => r.access === 'member' && s.stack.api.functions[r.id])
      .map((r) => roleOf(r.id));
    const digestRole = logicalIdOf(s, s.stack.jobs.byName.requestsDigest!.function.role);
    const statements = statementsOnTable(s, tableId);
    for (const st of statements) {
      if (st.roles.some((role) => officerRoles.includes(role))) continue;
      if (st.roles.includes(digestRole)) expect(st.actions).not.toContain('dynamodb:PutItem');
      // A member's route adds its record and closes it (a withdrawal also opens its silos' record);
      // it never reads or deletes one.
      if (st.roles.some((role) => memberRoles.includes(role)))
        expect(['dynamodb:PutItem', 'dynamodb:UpdateItem']).toEqual(expect.arrayContaining([...st.actions]));
    }
    expect(statements.some((st) => st.roles.some((role) => memberRoles.includes(role)))).toBe(true);
  });

  it('G17: every officer route has a method behind the Cognito authorizer', () => {
    for (const route of officerRoutes) {
      const method = s.json.Resources[logicalIdOf(s, s.stack.api.methods[route.id]!)]!.Properties;
      expect(method.AuthorizationType, route.id).toBe('COGNITO_USER_POOLS');
      expect(method.HttpMethod, route.id).toBe(route.method);
    }
  });

  it('L14/G10: the digest job runs daily in Asia/Seoul and an alarm watches the overdue-requests metric', () => {
    const schedule =
      s.json.Resources[logicalIdOf(s, s.stack.jobs.byName.requestsDigest!.schedule)]!.Properties;
    expect(schedule.ScheduleExpression).toBe(jobs.requestsDigest.schedule);
    expect(schedule.ScheduleExpressionTimezone).toBe(SCHEDULE_TIMEZONE);
    const alarms = Object.values(s.json.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === OVERDUE_REQUESTS_METRIC,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: METRIC_NAMESPACE,
      Dimensions: [{ Name: 'Profile', Value: profile }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarms[0]!.Properties.AlarmActions).toHaveLength(1);
  });
  it('Art. 8: the access-review job runs monthly in Asia/Seoul and an alarm watches overdue reviews', () => {
    const schedule = s.json.Resources[logicalIdOf(s, s.stack.jobs.byName.accessReview!.schedule)]!.Properties;
    expect(schedule.ScheduleExpression).toBe('cron(0 2 1 * ? *)');
    expect(schedule.ScheduleExpressionTimezone).toBe(SCHEDULE_TIMEZONE);
    const alarms = Object.values(s.json.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === OVERDUE_ACCESS_REVIEWS_METRIC,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: METRIC_NAMESPACE,
      Dimensions: [{ Name: 'Profile', Value: profile }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarms[0]!.Properties.AlarmActions).toHaveLength(1);
  });
});
