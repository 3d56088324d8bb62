/**
 * Lifecycle events as synthesized (issue 15, item 5), both profiles: the outbox table's stream,
 * the publisher it feeds (new items only, partial batch failures, bisect, retries, an on-failure
 * destination), the publisher's role (PutEvents on the bus and what the event source needs,
 * nothing of any table's items), the writers' outbox grant (a put, nothing else), and the alarms
 * on the dead-letter queue and the publisher's errors. Template only (no bundling).
 */
import { describe, expect, it } from 'vitest';
import { TABLE_APPEND_ACTIONS } from '../../model/grants';
import { ENV, EXPIRY_ATTRIBUTE, tableEnv } from '../../model/resources';
import { outboxPublisher } from '../../model/workloads';
import { type ProfileName, profiles } from '../../policy/catalogue';
import { functionsOf } from '../support/iam/template';
import { type Cfn, type CfnResource, templateOnly } from './synth';

const asArray = (x: unknown) => (Array.isArray(x) ? x : [x]);

describe.each(Object.keys(profiles) as ProfileName[])('lifecycle events in the %s stack', (profile) => {
  const json = templateOnly(profile).json;
  const of = (type: string) =>
    Object.entries(json.Resources).filter(([, r]) => r.Type === type) as [string, CfnResource][];
  const [[outboxId, outbox]] = of('AWS::DynamoDB::GlobalTable').filter(([id]) =>
    id.startsWith('Dataoutbox'),
  ) as [[string, CfnResource]];
  const functions = functionsOf(json as Parameters<typeof functionsOf>[0]);
  const publisher = functions.find((f) => f.handler === outboxPublisher.handler)!;
  const [[dlqId]] = of('AWS::SQS::Queue').filter(([id]) => id.startsWith('LifecycleEventsDeadLetters')) as [
    [string, CfnResource],
  ];

  /** Every statement of the policies of `roleId`. */
  function statementsOf(roleId: string): Cfn[] {
    const role = json.Resources[roleId]!;
    const attached = new Set((role.Properties.ManagedPolicyArns ?? []).map((a: Cfn) => a.Ref));
    return Object.entries(json.Resources)
      .filter(
        ([id, r]) =>
          (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') &&
          (attached.has(id) || JSON.stringify(r.Properties.Roles ?? []).includes(roleId)),
      )
      .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
  }

  it('streams new images of the outbox table, whose items expire by TTL', () => {
    expect(outbox.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(outbox.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: EXPIRY_ATTRIBUTE,
      Enabled: true,
    });
  });

  it('feeds the publisher from the stream: new items only, in order, partial failures, bisect, retries, a failure destination', () => {
    const mappings = of('AWS::Lambda::EventSourceMapping').filter(
      ([, r]) => JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: publisher.logicalId }),
    );
    expect(mappings).toHaveLength(1);
    const p = mappings[0]![1].Properties;
    expect(p.EventSourceArn).toEqual({ 'Fn::GetAtt': [outboxId, 'StreamArn'] });
    expect(p.StartingPosition).toBe('TRIM_HORIZON');
    expect(p.BatchSize).toBe(outboxPublisher.batchSize);
    expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(p.BisectBatchOnFunctionError).toBe(true);
    expect(p.MaximumRetryAttempts).toBe(outboxPublisher.retryAttempts);
    expect(p.MaximumRecordAgeInSeconds).toBe(outboxPublisher.maxRecordAgeHours * 3600);
    expect(p.ParallelizationFactor).toBe(1);
    expect(p.FilterCriteria).toEqual({ Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] });
    expect(p.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } });
  });

  it("grants the publisher PutEvents on the stack's bus, the stream's reads, and nothing of any table's items", () => {
    const statements = statementsOf(publisher.roleLogicalId);
    const actions = statements.flatMap((st) => asArray(st.Action) as string[]);
    const [busId] = of('AWS::Events::EventBus')[0]!;
    const putEvents = statements.filter((st) => asArray(st.Action).includes('events:PutEvents'));
    expect(putEvents.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [busId, 'Arn'] }]);
    const streamReads = statements.filter((st) =>
      asArray(st.Action).some((a: string) => a.startsWith('dynamodb:')),
    );
    expect(streamReads.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [outboxId, 'StreamArn'] }]);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    // The outbox key only through DynamoDB: the event source decrypts the stream, nothing else.
    const logsKey =
      outbox.Properties.SSESpecification.KMSMasterKeyId ??
      outbox.Properties.Replicas[0].SSESpecification.KMSMasterKeyId;
    const onKey = statements.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(logsKey));
    expect(onKey.length).toBeGreaterThan(0);
    for (const st of onKey) expect(st.Condition?.StringEquals?.['kms:ViaService']).toMatch(/^dynamodb\./);
    const variables = json.Resources[publisher.logicalId]!.Properties.Environment.Variables;
    expect(variables[ENV.eventBus]).toEqual({ Ref: busId });
    expect(Object.keys(variables).filter((v) => v.endsWith('_TABLE'))).toEqual([]);
  });

  it('lets every function that writes an outbox item only put it, and names the table in its variable', () => {
    const writers = functions.filter(
      (f) => json.Resources[f.logicalId]!.Properties.Environment.Variables[tableEnv('outbox')] !== undefined,
    );
    expect(writers.map((f) => f.handler).sort()).toEqual(
      [
        'confirm-correction',
        'delete-me',
        'delete-restriction',
        'patch-me',
        'post-member-reinstate',
        'post-member-suspend',
        'post-member-terminate',
        'post-members',
        'post-request-action',
        'put-consent',
        'put-restriction',
        'worker-inactivity',
      ].sort(),
    );
    for (const writer of writers) {
      const onOutbox = statementsOf(writer.roleLogicalId).filter(
        (st) => JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [outboxId, 'Arn'] }),
      );
      expect(
        onOutbox.flatMap((st) => asArray(st.Action)),
        writer.handler,
      ).toEqual([...TABLE_APPEND_ACTIONS]);
    }
  });

  it('alarms on a dead letter of the publisher and on its errors', () => {
    const alarms = of('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    const onQueue = alarms.filter(
      (a) =>
        a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Dimensions).includes(`"${dlqId}"`),
    );
    expect(onQueue).toHaveLength(1);
    expect(onQueue[0]).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const onErrors = alarms.filter(
      (a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(`"${publisher.logicalId}"`),
    );
    expect(onErrors).toHaveLength(1);
  });
});
