/**
 * The annual notice of usage history (PIPA Art. 20-2) in the synthesized lgcns stack: a daily
 * schedule in Asia/Seoul time with its dead-letter queue, and a job granted only the year's run in
 * the policy-versions table and the notices queue; the worker that sends has the grants it had.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULE_TIMEZONE } from '../../model/resources';
import { jobs, queues } from '../../model/workloads';
import { type Cfn, type Synthesized, synthesize } from './synth';

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const logicalIdOf = (s: Synthesized, c: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(c.node.defaultChild as never);

/** Every statement of the managed policies attached to role `role`. */
function statementsOf(s: Synthesized, role: string): Cfn[] {
  return Object.values(s.json.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::ManagedPolicy' &&
        ((r.Properties.Roles ?? []) as Cfn[]).some((ref) => ref.Ref === role),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Cfn[]);
}

describe('annual usage notice in the lgcns stack (PIPA Art. 20-2)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize('lgcns');
  });

  it('PIPA Art. 20-2: runs the usage-notice job daily at 10:00 in Asia/Seoul time, with its dead-letter queue, pointed at the notices queue', () => {
    const job = s.stack.jobs.byName.usageNotice!;
    const schedule = s.json.Resources[logicalIdOf(s, job.schedule)]!.Properties;
    expect(schedule.ScheduleExpression).toBe(jobs.usageNotice.schedule);
    expect(schedule.ScheduleExpression).toBe('cron(0 10 * * ? *)');
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

  it('PIPA Art. 20-2: the job may touch the policy-versions table and send to the notices queue, nothing else: no members, no member keys, no email', () => {
    const job = s.stack.jobs.byName.usageNotice!;
    const statements = statementsOf(s, logicalIdOf(s, job.function.role));
    const arnOf = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalIdOf(s, c), 'Arn'] });
    const on = (prefix: string) =>
      statements.filter((st) => (asArray(st.Action) as string[]).some((a) => a.startsWith(prefix)));
    expect(on('ses:')).toEqual([]);
    expect(on('dynamodb:').map((st) => st.Resource)).toEqual([arnOf(s.stack.data.tables.policyVersions)]);
    expect(on('dynamodb:').flatMap((st) => asArray(st.Action))).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    expect(
      on('sqs:')
        .map((st) => JSON.stringify(st.Resource))
        .sort(),
    ).toEqual(
      [arnOf(s.stack.workQueues.byName.policyNotices.queue), arnOf(job.deadLetterQueue)]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    // KMS: the table's key through DynamoDB only, and the operations key the queues are sealed with.
    for (const st of on('kms:')) {
      const viaDynamo = st.Condition?.StringEquals?.['kms:ViaService']?.startsWith('dynamodb.');
      expect(
        viaDynamo
          ? JSON.stringify(st.Resource) === JSON.stringify(arnOf(s.stack.keys.byDomain.logs))
          : JSON.stringify(st.Resource) === JSON.stringify(arnOf(s.stack.keys.operations)),
        JSON.stringify(st),
      ).toBe(true);
    }
  });
});
