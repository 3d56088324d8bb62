/**
 * A deploy that survives failure, read from the templates of both profiles: nothing is kept
 * when a first create fails, no physical name can collide on a retry, on a redeploy after
 * `cdk destroy` or with the other profile's stack in the same account, and the outputs give
 * everything an operator must configure elsewhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stackName } from '../../lib/app-factory';
import type { ProfileName } from '../../policy/catalogue';
import { profiles } from '../../policy/catalogue';
import { type Cfn, type CfnResource, type TemplateOnly, templateOnly } from './synth';

const PROFILES: ProfileName[] = ['littleone', 'lgcns'];

/**
 * Properties holding a physical name that must be unique in an account and region (or, for a
 * Cognito domain prefix, across AWS), by resource type.
 */
const ACCOUNT_SCOPED_NAMES: Readonly<Record<string, string>> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::SES::ConfigurationSet': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::WAFv2::WebACL': 'Name',
  // User pool and REST API names are labels: AWS lets any number of them share one.
};

/** Every explicit physical name of the template, with its resource. */
function namedResources(t: TemplateOnly): { id: string; resource: CfnResource; name: Cfn }[] {
  return Object.entries(t.json.Resources).flatMap(([id, resource]) => {
    const property = ACCOUNT_SCOPED_NAMES[resource.Type];
    const name = property ? resource.Properties?.[property] : undefined;
    return name === undefined ? [] : [{ id, resource, name }];
  });
}

/** The literal text of a name and what it references (`Ref` or `Fn::GetAtt` targets). */
function partsOf(name: Cfn): { text: string; refs: string[] } {
  const refs: string[] = [];
  let text = '';
  const walk = (v: Cfn): void => {
    if (typeof v === 'string') text += v;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ('Ref' in v) refs.push(v.Ref);
      else if ('Fn::GetAtt' in v) refs.push(v['Fn::GetAtt'][0]);
      else Object.values(v).forEach(walk);
    }
  };
  walk(name);
  return { text, refs };
}

const templates = {} as Record<ProfileName, TemplateOnly>;
beforeAll(() => {
  for (const profile of PROFILES) templates[profile] = templateOnly(profile);
});

describe.each(PROFILES)('the %s stack, deployed', (profile) => {
  let t: TemplateOnly;
  beforeAll(() => {
    t = templates[profile];
  });

  it('keeps nothing when its first create fails: every kept resource is RetainExceptOnCreate', () => {
    const resources = Object.entries(t.json.Resources);
    const kept = resources.filter(
      ([, r]) => r.UpdateReplacePolicy === 'Retain' || r.DeletionPolicy !== undefined,
    );
    expect(resources.filter(([, r]) => r.DeletionPolicy === 'Retain').map(([id]) => id)).toEqual([]);
    for (const [id, r] of kept) {
      if (r.DeletionPolicy === 'Delete') continue;
      expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
      expect(r.UpdateReplacePolicy, id).toBe('Retain');
    }
    // Every key, table, user pool and log group outlives the stack, except after a failed create.
    for (const type of [
      'AWS::KMS::Key',
      'AWS::DynamoDB::GlobalTable',
      'AWS::Cognito::UserPool',
      'AWS::Logs::LogGroup',
    ]) {
      const ofType = resources.filter(([, r]) => r.Type === type);
      expect(ofType.length, type).toBeGreaterThan(0);
      for (const [id, r] of ofType) expect(r.DeletionPolicy, id).toBe('RetainExceptOnCreate');
    }
  });

  it('keeps deletion protection on the tables and the user pool, and the longest key deletion window', () => {
    for (const [id, r] of Object.entries(t.json.Resources)) {
      if (r.Type === 'AWS::DynamoDB::GlobalTable')
        expect(r.Properties.Replicas[0].DeletionProtectionEnabled, id).toBe(true);
      if (r.Type === 'AWS::Cognito::UserPool') expect(r.Properties.DeletionProtection, id).toBe('ACTIVE');
      if (r.Type === 'AWS::KMS::Key') expect(r.Properties.PendingWindowInDays, id).toBe(30);
    }
  });

  it('derives every physical name from the stack, and names what outlives it after its own id', () => {
    const named = namedResources(t);
    expect(named.length).toBeGreaterThan(0);
    for (const { id, resource, name } of named) {
      const { text, refs } = partsOf(name);
      expect(
        text.includes(stackName(profile)) ||
          text.toLowerCase().includes(stackName(profile).toLowerCase()) ||
          text.includes(`privacy-${profile}`) ||
          refs.some((ref) => ref === 'AWS::StackId' || ref in t.json.Resources),
        `${id}: ${JSON.stringify(name)}`,
      ).toBe(true);
      // A kept resource's name must not come back on the next stack: after `cdk destroy` it is
      // still there. Its name carries the stack's id, or a resource the next stack makes anew.
      if (resource.DeletionPolicy === 'RetainExceptOnCreate') {
        const fresh = refs.filter(
          (ref) => ref === 'AWS::StackId' || t.json.Resources[ref]?.DeletionPolicy === undefined,
        );
        expect(fresh, `${id}: ${JSON.stringify(name)}`).not.toEqual([]);
      }
    }
  });

  it("names the firewall's log group aws-waf-logs-<stack>-<the stack id's first block>", () => {
    const [group] = Object.values(t.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes('waf'),
    );
    expect(group?.Properties.LogGroupName).toEqual({
      'Fn::Join': [
        '',
        [
          `aws-waf-logs-${stackName(profile)}-`,
          {
            'Fn::Select': [
              0,
              { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] },
            ],
          },
        ],
      ],
    });
    const [logging] = Object.values(t.json.Resources).filter(
      (r) => r.Type === 'AWS::WAFv2::LoggingConfiguration',
    );
    const destination = JSON.stringify(logging?.Properties.LogDestinationConfigs);
    expect(destination).toContain(`:log-group:aws-waf-logs-${stackName(profile)}-`);
    expect(destination).toContain('{"Ref":"AWS::StackId"}');
  });

  it('outputs the API URL, the user pool and its client, the DKIM records and the alarm topic', () => {
    const outputs = t.json.Outputs ?? {};
    const ref = (c: { node: { defaultChild?: unknown } }) =>
      t.stack.getLogicalId(c.node.defaultChild as never);
    expect(outputs.ApiUrl.Value['Fn::Join'][1]).toContain('https://');
    expect(outputs.UserPoolId.Value).toEqual({ Ref: ref(t.stack.identity.userPool) });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: ref(t.stack.identity.client) });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: ref(t.stack.monitoring.alarmTopic) });
    const identity = ref(t.stack.notices.identity!);
    for (const i of [1, 2, 3]) {
      expect(outputs[`DkimRecord${i}Name`].Value).toEqual({
        'Fn::GetAtt': [identity, `DkimDNSTokenName${i}`],
      });
      expect(outputs[`DkimRecord${i}Value`].Value).toEqual({
        'Fn::GetAtt': [identity, `DkimDNSTokenValue${i}`],
      });
    }
  });

  it('outputs the hosted sign-in domain (the pages sign in there), and the redirect URI to register at Google and Apple when it federates', () => {
    const outputs = t.json.Outputs ?? {};
    const federates = profiles[profile].signIn.some((m) => m !== 'password');
    const domains = Object.entries(t.json.Resources).filter(
      ([, r]) => r.Type === 'AWS::Cognito::UserPoolDomain',
    );
    expect(domains.length).toBe(1);
    const host = [{ Ref: domains[0]![0] }, '.auth.ap-northeast-2.amazoncognito.com'];
    expect(outputs.CognitoDomain.Value).toEqual({ 'Fn::Join': ['', host] });
    if (!federates) {
      expect(outputs.IdpRedirectUri).toBeUndefined();
      return;
    }
    expect(outputs.IdpRedirectUri.Value).toEqual({
      'Fn::Join': ['', ['https://', host[0], `${host[1]}/oauth2/idpresponse`]],
    });
  });

  it('sends SES feedback SNS could not deliver to an encrypted dead-letter queue SNS may write to, and alarms on it', () => {
    const queue = t.stack.getLogicalId(t.stack.feedback.deliveryDeadLetterQueue.node.defaultChild as never);
    const topic = t.stack.getLogicalId(t.stack.notices.feedbackTopic.node.defaultChild as never);
    const resources = Object.values(t.json.Resources);
    const [subscription] = resources.filter(
      (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'lambda',
    );
    expect(subscription?.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] },
    });
    const operationsKey = t.stack.getLogicalId(t.stack.keys.operations.node.defaultChild as never);
    expect(t.json.Resources[queue]?.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [operationsKey, 'Arn'],
    });
    const policy = resources.find(
      (r) =>
        r.Type === 'AWS::SQS::QueuePolicy' &&
        JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: queue }]),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topic } } },
      }),
    );
    const keyPolicy = t.json.Resources[operationsKey]?.Properties.KeyPolicy.Statement as Cfn[];
    expect(keyPolicy.some((st) => JSON.stringify(st.Principal).includes('sns.amazonaws.com'))).toBe(true);
    const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(
      alarms.some(
        (a) =>
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Properties.Dimensions).includes(queue),
      ),
    ).toBe(true);
  });
});

describe('the two profiles in one account', () => {
  it('share no physical name', () => {
    // A name holding the stack's id or a resource of the stack is that stack's own by construction.
    const names = (profile: ProfileName) => {
      const t = templates[profile];
      return new Set(
        namedResources(t)
          .filter(
            ({ name }) => !partsOf(name).refs.some((r) => r === 'AWS::StackId' || r in t.json.Resources),
          )
          .map(({ resource, name }) => `${resource.Type} ${JSON.stringify(name)}`),
      );
    };
    const littleone = names('littleone');
    const lgcns = names('lgcns');
    expect(littleone.size).toBeGreaterThan(0);
    expect(lgcns.size).toBeGreaterThan(0);
    expect([...littleone].filter((n) => lgcns.has(n))).toEqual([]);
  });

  it('send from one SES domain identity when they share a sender domain: the second stack uses the first one’s', () => {
    const first = templateOnly('littleone', { senderDomain: 'mail.example.kr' });
    const second = templateOnly('lgcns', { senderDomain: 'mail.example.kr', senderIdentity: 'existing' });
    const identities = (t: TemplateOnly) =>
      Object.values(t.json.Resources).filter((r) => r.Type === 'AWS::SES::EmailIdentity');
    expect(identities(first).map((r) => r.Properties.EmailIdentity)).toEqual(['mail.example.kr']);
    expect(identities(second)).toEqual([]);
    expect(Object.keys(second.json.Outputs ?? {}).filter((k) => k.startsWith('Dkim'))).toEqual([]);
    // Its functions may send through the existing identity and its own configuration set.
    const sendStatements = Object.values(second.json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Cfn[])
      .filter((st) => st.Action === 'ses:SendEmail');
    expect(sendStatements.length).toBeGreaterThan(0);
    for (const st of sendStatements) {
      expect(JSON.stringify(st.Resource)).toContain(':identity/mail.example.kr');
    }
  });
});

describe('context alarmEmail', () => {
  it('subscribes the address to the alarm topic', () => {
    const t = templateOnly('lgcns', { alarmEmail: 'ops@example.kr' });
    const topic = t.stack.getLogicalId(t.stack.monitoring.alarmTopic.node.defaultChild as never);
    const subscriptions = Object.values(t.json.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map((r) => r.Properties)).toContainEqual({
      Protocol: 'email',
      Endpoint: 'ops@example.kr',
      TopicArn: { Ref: topic },
    });
  });

  it('subscribes nobody when absent', () => {
    const subscriptions = Object.values(templates.lgcns.json.Resources).filter(
      (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email',
    );
    expect(subscriptions).toEqual([]);
  });
});
