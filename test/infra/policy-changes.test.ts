/**
 * Policy changes (L18) in the synthesized stack: the versions table, the notices queue and its
 * worker, the daily job in Asia/Seoul time, and least-privilege grants: only the publish route
 * writes versions, only it and the job start a fan-out, and the routes that follow the version
 * in force may only read it. The lgcns profile synthesizes without bundling (stack.test.ts
 * proves every handler bundles).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_READ_ACTIONS } from '../../model/grants';
import { ENV, SCHEDULE_TIMEZONE, tables } from '../../model/resources';
import { routeById } from '../../model/routes/table';
import { jobs, queues } from '../../model/workloads';
import { type Cfn, type Synthesized, synthesize } from './synth';

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const logicalIdOf = (s: Synthesized, c: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(c.node.defaultChild as never);
const isArnOf = (id: string) => (r: unknown) =>
  JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every statement naming `arnOwner`'s ARN, by the role it is attached to. */
function statementsOn(s: Synthesized, arnOwner: string): Map<string, string[]> {
  const byRole = new Map<string, string[]>();
  for (const r of Object.values(s.json.Resources)) {
    if (r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    for (const st of r.Properties.PolicyDocument.Statement as Cfn[]) {
      if (!asArray(st.Resource).some(isArnOf(arnOwner))) continue;
      for (const role of (r.Properties.Roles ?? []) as Cfn[]) {
        byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...(asArray(st.Action) as string[])]);
      }
    }
  }
  return byRole;
}

describe('policy changes in the lgcns stack (L18)', () => {
  let s: Synthesized;
  let roleOf: (fn: { role: { node: { defaultChild?: unknown } } }) => string;
  beforeAll(() => {
    s = synthesize('lgcns');
    roleOf = (fn) => logicalIdOf(s, fn.role);
  });

  it('L18: keeps published versions in their own table, encrypted under the logs key, with point-in-time recovery and no expiry', () => {
    const props = s.json.Resources[logicalIdOf(s, s.stack.data.tables.policyVersions)]!.Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(props.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(props.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalIdOf(s, s.stack.keys.byDomain.logs), 'Arn'],
    });
    expect(props.Replicas[0].PointInTimeRecoverySpecification).toMatchObject({
      PointInTimeRecoveryEnabled: true,
    });
    expect(props.TimeToLiveSpecification).toBeUndefined();
    expect(tables.policyVersions.key).toBe('logs');
  });

  it('L18, PIPA Art. 34: runs the notices job hourly in Asia/Seoul time (a breach clock needs its alarm within hours), with its dead-letter queue, pointed at the notices queue', () => {
    const job = s.stack.jobs.byName.policyNotices!;
    const schedule = s.json.Resources[logicalIdOf(s, job.schedule)]!.Properties;
    expect(schedule.ScheduleExpression).toBe(jobs.policyNotices.schedule);
    expect(schedule.ScheduleExpression).toBe('cron(0 * * * ? *)');
    expect(schedule.ScheduleExpressionTimezone).toBe(SCHEDULE_TIMEZONE);
    expect(SCHEDULE_TIMEZONE).toBe('Asia/Seoul');
    expect(schedule.Target.DeadLetterConfig.Arn).toEqual({
      'Fn::GetAtt': [logicalIdOf(s, job.deadLetterQueue), 'Arn'],
    });
    const vars = s.json.Resources[logicalIdOf(s, job.function.function)]!.Properties.Environment.Variables;
    expect(vars[queues.policyNotices.env]).toEqual({
      Ref: logicalIdOf(s, s.stack.workQueues.byName.policyNotices.queue),
    });
  });

  it('L18: feeds the notices worker from its encrypted queue with partial batch failures, bounded concurrency and a dead-letter queue', () => {
    const built = s.stack.workQueues.byName.policyNotices;
    const def = queues.policyNotices;
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(s, built.queue), 'Arn'] },
      FunctionName: { Ref: logicalIdOf(s, built.worker.function) },
      BatchSize: def.batchSize,
      ScalingConfig: { MaximumConcurrency: def.maxConcurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queue = s.json.Resources[logicalIdOf(s, built.queue)]!.Properties;
    expect(queue.KmsMasterKeyId).toBeDefined();
    expect(queue.RedrivePolicy.maxReceiveCount).toBe(def.maxReceiveCount);
    const vars = s.json.Resources[logicalIdOf(s, built.worker.function)]!.Properties.Environment.Variables;
    expect(JSON.stringify(vars[ENV.policyUrl])).toContain(logicalIdOf(s, s.stack.api.restApi));
    expect(JSON.stringify(vars[ENV.policyUrl])).toContain('/v1/policy');
  });

  it('L18: only the publish route writes versions; the worker updates fan-out progress; every other reader only reads', () => {
    const table = logicalIdOf(s, s.stack.data.tables.policyVersions);
    const onTable = statementsOn(s, table);
    const publish = roleOf(s.stack.api.functions['post-policy-version']!);
    const worker = roleOf(s.stack.workQueues.byName.policyNotices.worker);
    const writers = [...onTable]
      .filter(([, actions]) => actions.includes('dynamodb:PutItem'))
      .map(([r]) => r);
    // The annual usage notice's job writes each year's run next to the versions (PIPA Art. 20-2).
    const usage = roleOf(s.stack.jobs.byName.usageNotice!.function);
    expect(writers.sort()).toEqual([publish, worker, usage].sort());
    const readers = [
      'get-policy',
      'get-policy-versions',
      'post-members',
      'put-consent',
      'get-export',
      'post-request-action',
    ].map((id) => roleOf(s.stack.api.functions[id]!));
    readers.push(roleOf(s.stack.jobs.byName.policyNotices!.function));
    for (const role of readers)
      expect(onTable.get(role)?.sort(), role).toEqual([...TABLE_READ_ACTIONS].sort());
    expect(routeById('get-policy').followsPolicyVersion).toBe(true);
  });

  it('L18, PIPA Art. 34, Art. 20-2: only the publish route, the breach record, the notices and usage-notice jobs, the worker itself and the join (a member joining during an announcement) may queue notices work, and only on that queue', () => {
    const queue = logicalIdOf(s, s.stack.workQueues.byName.policyNotices.queue);
    const senders = [...statementsOn(s, queue)]
      .filter(([, actions]) => actions.includes('sqs:SendMessage'))
      .map(([role]) => role);
    expect(senders.sort()).toEqual(
      [
        roleOf(s.stack.api.functions['post-policy-version']!),
        roleOf(s.stack.api.functions['post-members']!),
        roleOf(s.stack.api.functions['post-breach']!),
        roleOf(s.stack.jobs.byName.policyNotices!.function),
        roleOf(s.stack.jobs.byName.usageNotice!.function),
        roleOf(s.stack.workQueues.byName.policyNotices.worker),
      ].sort(),
    );
    const inactivity = logicalIdOf(s, s.stack.workQueues.byName.inactivity.queue);
    const publishOnInactivity = statementsOn(s, inactivity).get(
      roleOf(s.stack.api.functions['post-policy-version']!),
    );
    expect(publishOnInactivity).toBeUndefined();
  });
});
