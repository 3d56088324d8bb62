import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRecordings } from '../support/iam/check';
import { type Call, type Recordings, readRecordings } from '../support/iam/recordings';
import { authzRequestsOf, type CallOnTheWire } from '../support/iam/requests';
import {
  emulatorRefs,
  functionsOf,
  policiesOfRole,
  resolveValue,
  type TemplateJson,
} from '../support/iam/template';

const scope = { partition: 'aws', region: 'ap-northeast-2', account: '123456789012' };
const arn = (service: string, resource: string) =>
  `arn:aws:${service}:ap-northeast-2:123456789012:${resource}`;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

function call(service: string, action: string, body: object, path = '/'): CallOnTheWire {
  return { service, action, method: 'POST', path, body: JSON.stringify(body) };
}

/** A Fn::Sub placeholder; a template string would read it as its own. */
const v = (name: string) => `$\{${name}}`;

describe('template tokens', () => {
  const refs = (id: string, attribute?: string) =>
    id === 'Table' ? (attribute === 'Arn' ? arn('dynamodb', 'table/t') : 't') : undefined;

  it('resolves Ref, GetAtt, Join, Sub and the pseudo parameters', () => {
    expect(
      resolveValue({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/byDay']] }, refs, scope),
    ).toBe(`${arn('dynamodb', 'table/t')}/index/byDay`);
    expect(
      resolveValue(
        {
          'Fn::Sub': `arn:${v('AWS::Partition')}:ses:${v('AWS::Region')}:${v('AWS::AccountId')}:identity/${v('Table')}`,
        },
        refs,
        scope,
      ),
    ).toBe(arn('ses', 'identity/t'));
    expect(resolveValue({ 'Fn::Sub': [`x-${v('Name')}`, { Name: { Ref: 'Table' } }] }, refs, scope)).toBe(
      'x-t',
    );
    expect(resolveValue({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, refs, scope)).toBe('b');
  });

  it('leaves a resource the emulator lacks unresolved, so it matches no ARN', () => {
    expect(resolveValue({ 'Fn::GetAtt': ['Logs', 'Arn'] }, refs, scope)).toBe('unresolved:Logs.Arn');
  });

  it('refuses an intrinsic it cannot resolve', () => {
    expect(() => resolveValue({ 'Fn::ImportValue': 'x' }, refs, scope)).toThrow(/not resolvable/);
  });
});

/** A two-function template: a reader of the table and the key, and a sender of mail. */
const template: TemplateJson = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Identity: { Type: 'AWS::SES::EmailIdentity', Properties: { EmailIdentity: 'example.com' } },
    Config: { Type: 'AWS::SES::ConfigurationSet', Properties: {} },
    ReaderRole: { Type: 'AWS::IAM::Role', Properties: { Description: 'Runs reader' } },
    SenderRole: { Type: 'AWS::IAM::Role', Properties: { Description: 'Runs sender', Policies: [] } },
    ReaderPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Roles: [{ Ref: 'ReaderRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:Query'],
              Resource: { 'Fn::GetAtt': ['Table', 'Arn'] },
            },
            {
              Effect: 'Allow',
              Action: 'kms:Decrypt',
              Resource: { 'Fn::GetAtt': ['Key', 'Arn'] },
              Condition: { StringEquals: { 'kms:EncryptionContext:member': 'alice' } },
            },
          ],
        },
      },
    },
    SenderPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'SenderRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Resource: [
                {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':ses:ap-northeast-2:',
                      { Ref: 'AWS::AccountId' },
                      ':identity/',
                      { Ref: 'Identity' },
                    ],
                  ],
                },
                {
                  'Fn::Join': [
                    '',
                    [
                      'arn:aws:ses:ap-northeast-2:',
                      { Ref: 'AWS::AccountId' },
                      ':configuration-set/',
                      { Ref: 'Config' },
                    ],
                  ],
                },
              ],
            },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
          ],
        },
      },
    },
    Reader: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['ReaderRole', 'Arn'] },
        Environment: { Variables: { TABLE: { Ref: 'Table' }, KEY_ID: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      },
    },
    Sender: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['SenderRole', 'Arn'] },
        Environment: {
          Variables: {
            SENDER_ADDRESS: 'privacy@example.com',
            CONFIG: { Ref: 'Config' },
            QUEUE_URL: { Ref: 'Queue' },
          },
        },
      },
    },
  },
};

const env = {
  TABLE: 'local-t',
  KEY_ID: KEY_ID,
  SENDER_ADDRESS: 'privacy@local.example.com',
  CONFIG: 'local-config',
  QUEUE_URL: 'http://127.0.0.1:5000/123456789012/local-q',
};

describe('role policies of the template', () => {
  it('finds each function, its role and the handler it runs', () => {
    expect(functionsOf(template).map((f) => [f.logicalId, f.roleLogicalId, f.handler])).toEqual([
      ['Reader', 'ReaderRole', 'reader'],
      ['Sender', 'SenderRole', 'sender'],
    ]);
  });

  it("resolves a role's policies to the emulator's resources named by the same variables", () => {
    const refs = emulatorRefs(template, env, scope);
    expect(refs('Table', 'Arn')).toBe(arn('dynamodb', 'table/local-t'));
    expect(refs('Key', 'Arn')).toBe(arn('kms', `key/${KEY_ID}`));
    expect(refs('Queue', 'Arn')).toBe(arn('sqs', 'local-q'));
    expect(refs('Identity')).toBe('local.example.com');
    const [sender] = policiesOfRole(template, 'SenderRole', refs, scope);
    expect(sender!.statements[0]!.Resource).toEqual([
      arn('ses', 'identity/local.example.com'),
      arn('ses', 'configuration-set/local-config'),
    ]);
  });

  it('refuses a role with an AWS-managed policy or a permissions boundary', () => {
    const withManaged = {
      Resources: {
        ...template.Resources,
        ReaderRole: {
          Type: 'AWS::IAM::Role',
          Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
        },
      },
    };
    expect(() => policiesOfRole(withManaged, 'ReaderRole', () => undefined, scope)).toThrow(
      /outside the template/,
    );
    const bounded = {
      Resources: {
        ...template.Resources,
        ReaderRole: { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: 'x' } },
      },
    };
    expect(() => policiesOfRole(bounded, 'ReaderRole', () => undefined, scope)).toThrow(/boundary/);
  });
});

describe('what IAM authorizes for a call', () => {
  it('authorizes a transaction item by item, by the item actions, on each table', () => {
    const requests = authzRequestsOf(
      call('dynamodb', 'TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'a', Item: { pk: { S: 'M#1' } } } },
          { Update: { TableName: 'b', Key: { pk: { S: 'M#1' } } } },
          { Delete: { TableName: 'a', Key: { pk: { S: 'M#1' } } } },
          { ConditionCheck: { TableName: 'c', Key: { pk: { S: 'M#1' } } } },
        ],
      }),
      scope,
      () => 'pk',
    );
    expect(requests.map((r) => [r.action, r.resource])).toEqual([
      ['dynamodb:PutItem', arn('dynamodb', 'table/a')],
      ['dynamodb:UpdateItem', arn('dynamodb', 'table/b')],
      ['dynamodb:DeleteItem', arn('dynamodb', 'table/a')],
      ['dynamodb:ConditionCheckItem', arn('dynamodb', 'table/c')],
    ]);
    expect(requests[0]!.context).toEqual({ 'dynamodb:LeadingKeys': ['M#1'] });
  });

  it('authorizes a batch write as BatchWriteItem and the item actions it carries', () => {
    const requests = authzRequestsOf(
      call('dynamodb', 'BatchWriteItem', {
        RequestItems: { a: [{ PutRequest: { Item: {} } }, { DeleteRequest: { Key: {} } }] },
      }),
      scope,
    );
    expect(requests.map((r) => r.action)).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
    ]);
  });

  it('authorizes an index query on the index ARN', () => {
    const [request] = authzRequestsOf(
      call('dynamodb', 'Query', { TableName: 'a', IndexName: 'byDay' }),
      scope,
    );
    expect(request!.resource).toBe(arn('dynamodb', 'table/a/index/byDay'));
  });

  it('gives KMS calls the key ARN and the encryption context as condition keys', () => {
    const [request] = authzRequestsOf(
      call('kms', 'GenerateDataKey', {
        KeyId: KEY_ID,
        KeySpec: 'AES_256',
        EncryptionContext: { member: 'alice' },
      }),
      scope,
    );
    expect(request).toEqual({
      action: 'kms:GenerateDataKey',
      resource: arn('kms', `key/${KEY_ID}`),
      context: {
        'kms:CallerAccount': '123456789012',
        'kms:EncryptionContext:member': 'alice',
        'kms:EncryptionContextKeys': ['member'],
        'kms:DataKeySpec': 'AES_256',
      },
    });
    expect(() => authzRequestsOf(call('kms', 'Decrypt', { KeyId: 'alias/x' }), scope)).toThrow(/alias/);
  });

  it('authorizes an SQS batch as its single form on the queue of the URL', () => {
    const [request] = authzRequestsOf(
      call('sqs', 'SendMessageBatch', { QueueUrl: 'http://127.0.0.1:5000/123456789012/q', Entries: [] }),
      scope,
    );
    expect(request).toEqual({ action: 'sqs:SendMessage', resource: arn('sqs', 'q') });
  });

  it("authorizes a send on the From address's domain identity and on the configuration set", () => {
    const requests = authzRequestsOf(
      call(
        'ses',
        'SendEmail',
        {
          FromEmailAddress: 'Privacy <privacy@example.com>',
          ConfigurationSetName: 'cs',
          Destination: { ToAddresses: ['a@example.org'] },
        },
        '/v2/email/outbound-emails',
      ),
      scope,
    );
    expect(requests.map((r) => r.resource)).toEqual([
      arn('ses', 'identity/example.com'),
      arn('ses', 'configuration-set/cs'),
    ]);
    expect(requests[0]!.context).toMatchObject({
      'ses:FromAddress': 'privacy@example.com',
      'ses:FromDisplayName': 'Privacy',
      'ses:Recipients': ['a@example.org'],
    });
  });

  it('refuses an operation it does not model', () => {
    expect(() => authzRequestsOf(call('dynamodb', 'ExecuteStatement', {}), scope)).toThrow(/not modelled/);
    expect(() => authzRequestsOf(call('s3', 'PutObject', {}), scope)).toThrow(/not modelled/);
  });
});

describe('checking recordings', () => {
  const recorded = (handler: string, c: CallOnTheWire): Call => ({
    ...c,
    accessKeyId: 'local',
    status: 200,
    source: 's#0',
    at: '2026-01-01T00:00:00Z',
    handler,
  });
  const recordings = (calls: Call[]): Recordings => ({
    calls,
    stacks: new Map([['s#0', { profile: 'p', env }]]),
    files: [],
  });

  it('allows granted calls, denies the rest, and lists the grants no call used', () => {
    const report = checkRecordings(
      recordings([
        recorded('reader', call('dynamodb', 'GetItem', { TableName: 'local-t', Key: {} })),
        recorded('reader', call('kms', 'Decrypt', { KeyId: KEY_ID, EncryptionContext: { member: 'alice' } })),
        recorded('reader', call('kms', 'Decrypt', { KeyId: KEY_ID, EncryptionContext: { member: 'bob' } })),
        recorded('reader', call('dynamodb', 'PutItem', { TableName: 'local-t', Item: {} })),
        recorded(
          'sender',
          call('ses', 'SendEmail', {
            FromEmailAddress: 'privacy@local.example.com',
            ConfigurationSetName: 'local-config',
          }),
        ),
      ]),
      { p: { template } },
      scope,
    );
    expect(report.calls).toBe(5);
    expect(report.denials.map((d) => [d.handler, d.action, d.decision])).toEqual([
      ['reader', 'kms:Decrypt', 'implicit-deny'],
      ['reader', 'dynamodb:PutItem', 'implicit-deny'],
    ]);
    expect(report.unused.map((u) => [u.handler, u.action, u.resource, u.resourceType])).toEqual([
      ['reader', 'dynamodb:Query', '<Table.Arn>', 'AWS::DynamoDB::GlobalTable'],
      ['sender', 'sqs:SendMessage', '<Queue.Arn>', 'AWS::SQS::Queue'],
    ]);
    expect(report.grants).toBe(6);
  });

  it('attributes proxy recordings by the access key, the function logical id', () => {
    const byKey: Call = {
      ...recorded('x', call('dynamodb', 'Query', { TableName: 'local-t' })),
      accessKeyId: 'Reader',
    };
    const { handler: _, ...withoutHandler } = byKey;
    const report = checkRecordings(recordings([withoutHandler as Call]), { p: { template } }, scope);
    expect(report.functionsCalling).toEqual(['p/reader']);
    expect(report.denials).toEqual([]);
  });

  it("reads the artefact suite's calls with the resource map written next to them", () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-recordings-'));
    try {
      const calls = join(dir, 'artefacts.jsonl');
      const query: Call = {
        ...recorded('x', call('dynamodb', 'Query', { TableName: 'art-t' })),
        accessKeyId: 'Reader',
        source: 'artefacts:p',
      };
      const { handler: _, ...line } = query;
      writeFileSync(calls, `${JSON.stringify(line)}\n`);
      writeFileSync(
        `${calls}.p.resources.json`,
        JSON.stringify({
          profile: 'p',
          resources: { Table: { ref: 'art-t', attrs: { Arn: arn('dynamodb', 'table/art-t') } } },
        }),
      );
      const read = readRecordings(join(dir, 'none'), [calls]);
      expect(read.stacks.get('artefacts:p')?.profile).toBe('p');
      const report = checkRecordings(read, { p: { template } }, scope);
      expect(report.calls).toBe(1);
      expect(report.denials).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
