import { describe, expect, it } from 'vitest';
import {
  actionMatches,
  arnMatches,
  conditionsHold,
  evaluate,
  type NamedPolicy,
  type Statement,
} from '../support/iam/policy';

const TABLE = 'arn:aws:dynamodb:ap-northeast-2:123456789012:table/members';
const KEY = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function policy(...statements: Statement[]): NamedPolicy[] {
  return [{ name: 'Policy', statements }];
}

describe('action matching', () => {
  it('ignores case and honours * and ? wildcards', () => {
    expect(actionMatches('dynamodb:GetItem', 'DynamoDB:getitem')).toBe(true);
    expect(actionMatches('dynamodb:Get*', 'dynamodb:GetItem')).toBe(true);
    expect(actionMatches('dynamodb:*Item', 'dynamodb:BatchGetItem')).toBe(true);
    expect(actionMatches('dynamodb:Get*', 'dynamodb:BatchGetItem')).toBe(false);
    expect(actionMatches('dynamodb:*Item', 'dynamodb:PutItem')).toBe(true);
    expect(actionMatches('kms:?ecrypt', 'kms:Decrypt')).toBe(true);
    expect(actionMatches('kms:?ecrypt', 'kms:ReEncrypt')).toBe(false);
    expect(actionMatches('*', 'sqs:SendMessage')).toBe(true);
  });

  it('never lets one service stand for another', () => {
    expect(actionMatches('dynamodb:GetItem', 'kms:GetItem')).toBe(false);
    expect(actionMatches('dynamodb:Get', 'dynamodb:GetItem')).toBe(false);
  });
});

describe('resource matching', () => {
  it('matches a table and, with a wildcard, its indexes', () => {
    expect(arnMatches(TABLE, TABLE)).toBe(true);
    expect(arnMatches(TABLE, `${TABLE}/index/inactivity`)).toBe(false);
    expect(arnMatches(`${TABLE}/index/*`, `${TABLE}/index/inactivity`)).toBe(true);
    expect(arnMatches(`${TABLE}*`, `${TABLE}-archive`)).toBe(true);
  });

  it('is case-sensitive and keeps a wildcard inside its ARN component', () => {
    expect(arnMatches(TABLE.toUpperCase().replace('ARN', 'arn'), TABLE)).toBe(false);
    // `*` in the region component cannot swallow the account component's colon.
    expect(arnMatches('arn:aws:dynamodb:*:table/members', TABLE)).toBe(false);
    expect(arnMatches('arn:aws:dynamodb:ap-northeast-2:*', TABLE)).toBe(false);
    expect(arnMatches('arn:aws:dynamodb:ap-northeast-2:*:*', TABLE)).toBe(true);
    expect(arnMatches('arn:aws:dynamodb:*:*:table/members', TABLE)).toBe(true);
    expect(arnMatches('arn:aws:dynamodb:ap-northeast-?:123456789012:table/members', TABLE)).toBe(true);
    expect(arnMatches('arn:aws:dynamodb:us-east-1:123456789012:table/members', TABLE)).toBe(false);
  });

  it('lets `*` alone match every resource', () => {
    expect(arnMatches('*', KEY)).toBe(true);
  });

  it('replaces policy variables, and matches nothing when the variable is absent', () => {
    /** A policy variable as IAM writes it; a template string would read it as its own placeholder. */
    const v = (name: string) => `$\{${name}}`;
    const context = new Map([['aws:username', 'alice']]);
    expect(
      arnMatches(`arn:aws:s3:::bucket/${v('aws:username')}/*`, 'arn:aws:s3:::bucket/alice/x', context),
    ).toBe(true);
    expect(
      arnMatches(`arn:aws:s3:::bucket/${v('aws:username')}/*`, 'arn:aws:s3:::bucket/bob/x', context),
    ).toBe(false);
    expect(
      arnMatches(`arn:aws:s3:::bucket/${v('aws:userid')}/*`, 'arn:aws:s3:::bucket/alice/x', context),
    ).toBe(false);
    // ${*} is a literal asterisk, not a wildcard.
    expect(arnMatches(`arn:aws:s3:::bucket/${v('*')}`, 'arn:aws:s3:::bucket/*', context)).toBe(true);
    expect(arnMatches(`arn:aws:s3:::bucket/${v('*')}`, 'arn:aws:s3:::bucket/a', context)).toBe(false);
  });
});

describe('conditions', () => {
  const via = { StringEquals: { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' } };

  it('StringEquals holds only for the exact value, and not when the key is missing', () => {
    expect(conditionsHold(via, { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' })).toBe(true);
    expect(conditionsHold(via, { 'kms:ViaService': 'sqs.ap-northeast-2.amazonaws.com' })).toBe(false);
    expect(conditionsHold(via, {})).toBe(false);
  });

  it('matches key names case-insensitively and values case-sensitively', () => {
    expect(conditionsHold(via, { 'KMS:VIASERVICE': 'dynamodb.ap-northeast-2.amazonaws.com' })).toBe(true);
    expect(conditionsHold(via, { 'kms:ViaService': 'DynamoDB.ap-northeast-2.amazonaws.com' })).toBe(false);
    expect(
      conditionsHold(
        { StringEqualsIgnoreCase: { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' } },
        { 'kms:ViaService': 'DynamoDB.ap-northeast-2.amazonaws.com' },
      ),
    ).toBe(true);
  });

  it('ORs the values of one key and ANDs keys and operators', () => {
    const condition = {
      StringEquals: {
        'ses:FromAddress': ['a@example.com', 'b@example.com'],
        'aws:RequestedRegion': 'ap-northeast-2',
      },
      StringLike: { 'kms:EncryptionContext:member': 'm-*' },
    };
    const ok = {
      'ses:FromAddress': 'b@example.com',
      'aws:RequestedRegion': 'ap-northeast-2',
      'kms:EncryptionContext:member': 'm-42',
    };
    expect(conditionsHold(condition, ok)).toBe(true);
    expect(conditionsHold(condition, { ...ok, 'aws:RequestedRegion': 'us-east-1' })).toBe(false);
    expect(conditionsHold(condition, { ...ok, 'kms:EncryptionContext:member': 'x-42' })).toBe(false);
  });

  it('passes a negated operator when the key is missing, unlike a positive one', () => {
    expect(conditionsHold({ StringNotEquals: { 'kms:ViaService': 'x' } }, {})).toBe(true);
    expect(conditionsHold({ StringNotEquals: { 'kms:ViaService': 'x' } }, { 'kms:ViaService': 'x' })).toBe(
      false,
    );
    expect(conditionsHold({ StringNotLike: { 'kms:ViaService': 'x*' } }, { 'kms:ViaService': 'y' })).toBe(
      true,
    );
    expect(conditionsHold({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:t' } }, {})).toBe(true);
  });

  it('IfExists passes on a missing key and checks a present one', () => {
    const condition = { StringEqualsIfExists: { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' } };
    expect(conditionsHold(condition, {})).toBe(true);
    expect(conditionsHold(condition, { 'kms:ViaService': 'sqs.ap-northeast-2.amazonaws.com' })).toBe(false);
  });

  it('Null tests presence', () => {
    expect(conditionsHold({ Null: { 'kms:EncryptionContext:member': 'false' } }, {})).toBe(false);
    expect(
      conditionsHold(
        { Null: { 'kms:EncryptionContext:member': 'false' } },
        { 'kms:EncryptionContext:member': 'm' },
      ),
    ).toBe(true);
    expect(conditionsHold({ Null: { 'kms:EncryptionContext:member': 'true' } }, {})).toBe(true);
  });

  it('ForAllValues needs every request value allowed and passes on no values; ForAnyValue needs one', () => {
    const all = { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['member', 'purpose'] } };
    expect(conditionsHold(all, { 'kms:EncryptionContextKeys': ['member'] })).toBe(true);
    expect(conditionsHold(all, { 'kms:EncryptionContextKeys': ['member', 'other'] })).toBe(false);
    expect(conditionsHold(all, {})).toBe(true);
    const any = { 'ForAnyValue:StringLike': { 'ses:Recipients': '*@example.com' } };
    expect(conditionsHold(any, { 'ses:Recipients': ['a@other.org', 'b@example.com'] })).toBe(true);
    expect(conditionsHold(any, { 'ses:Recipients': ['a@other.org'] })).toBe(false);
    expect(conditionsHold(any, {})).toBe(false);
    expect(
      conditionsHold(
        { 'ForAllValues:StringNotLike': { 'ses:Recipients': '*@blocked.org' } },
        { 'ses:Recipients': ['a@example.com', 'b@example.com'] },
      ),
    ).toBe(true);
  });

  it('refuses a single-valued operator on several values and an unmodelled operator', () => {
    expect(() =>
      conditionsHold({ StringEquals: { 'ses:Recipients': 'a' } }, { 'ses:Recipients': ['a', 'b'] }),
    ).toThrow(/ForAllValues or ForAnyValue/);
    expect(() =>
      conditionsHold({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.0.0.1' }),
    ).toThrow(/not modelled/);
  });

  it('compares numbers, dates, booleans and ARNs', () => {
    expect(
      conditionsHold({ NumericLessThanEquals: { 'dynamodb:Limit': '25' } }, { 'dynamodb:Limit': '25' }),
    ).toBe(true);
    expect(conditionsHold({ NumericLessThan: { 'dynamodb:Limit': '25' } }, { 'dynamodb:Limit': '25' })).toBe(
      false,
    );
    expect(conditionsHold({ NumericLessThan: { 'dynamodb:Limit': '25' } }, { 'dynamodb:Limit': 'x' })).toBe(
      false,
    );
    expect(
      conditionsHold(
        { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
        { 'aws:CurrentTime': '2026-11-30T00:00:00Z' },
      ),
    ).toBe(true);
    expect(conditionsHold({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' })).toBe(
      true,
    );
    expect(
      conditionsHold({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'false' }),
    ).toBe(false);
    expect(
      conditionsHold(
        { ArnLike: { 'aws:SourceArn': 'arn:aws:dynamodb:*:*:table/*' } },
        { 'aws:SourceArn': TABLE },
      ),
    ).toBe(true);
  });
});

describe('evaluate', () => {
  const readTable: Statement = {
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:Query'],
    Resource: TABLE,
  };

  it('allows what an Allow statement grants and reports the entry that granted it', () => {
    const result = evaluate(policy(readTable), { action: 'dynamodb:Query', resource: TABLE });
    expect(result.decision).toBe('allow');
    expect(result.matches).toEqual([
      { policy: 'Policy', index: 0, effect: 'Allow', action: 'dynamodb:Query', resource: TABLE },
    ]);
  });

  it('denies implicitly what no statement grants: another action, another resource', () => {
    expect(evaluate(policy(readTable), { action: 'dynamodb:PutItem', resource: TABLE }).decision).toBe(
      'implicit-deny',
    );
    expect(
      evaluate(policy(readTable), { action: 'dynamodb:Query', resource: `${TABLE}/index/inactivity` })
        .decision,
    ).toBe('implicit-deny');
    expect(evaluate([], { action: 'dynamodb:Query', resource: TABLE }).decision).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow, in any policy', () => {
    const deny: Statement = { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' };
    const result = evaluate([...policy(readTable), { name: 'Guard', statements: [deny] }], {
      action: 'dynamodb:GetItem',
      resource: TABLE,
    });
    expect(result.decision).toBe('explicit-deny');
  });

  it('applies a conditional Deny only when its condition holds', () => {
    const denyDirect: Statement = {
      Effect: 'Deny',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { Null: { 'kms:ViaService': 'true' } },
    };
    const allow: Statement = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY };
    const policies = policy(allow, denyDirect);
    expect(evaluate(policies, { action: 'kms:Decrypt', resource: KEY }).decision).toBe('explicit-deny');
    expect(
      evaluate(policies, {
        action: 'kms:Decrypt',
        resource: KEY,
        context: { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' },
      }).decision,
    ).toBe('allow');
  });

  it('grants a key through DynamoDB only when the statement says kms:ViaService', () => {
    const viaDynamo: Statement = {
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: KEY,
      Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.ap-northeast-2.amazonaws.com' } },
    };
    expect(evaluate(policy(viaDynamo), { action: 'kms:Decrypt', resource: KEY }).decision).toBe(
      'implicit-deny',
    );
  });

  it('pins a data key to its encryption context', () => {
    const perMember: Statement = {
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: KEY,
      Condition: {
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['memberId'] },
        Null: { 'kms:EncryptionContext:memberId': 'false' },
      },
    };
    const ask = (context: Record<string, string | string[]>) =>
      evaluate(policy(perMember), { action: 'kms:GenerateDataKey', resource: KEY, context }).decision;
    expect(ask({ 'kms:EncryptionContext:memberId': 'm1', 'kms:EncryptionContextKeys': ['memberId'] })).toBe(
      'allow',
    );
    expect(ask({ 'kms:EncryptionContext:other': 'x', 'kms:EncryptionContextKeys': ['other'] })).toBe(
      'implicit-deny',
    );
    expect(ask({})).toBe('implicit-deny');
  });

  it('reads NotAction and NotResource as everything but', () => {
    const allButDelete: Statement = { Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: TABLE };
    expect(evaluate(policy(allButDelete), { action: 'dynamodb:PutItem', resource: TABLE }).decision).toBe(
      'allow',
    );
    expect(evaluate(policy(allButDelete), { action: 'dynamodb:DeleteItem', resource: TABLE }).decision).toBe(
      'implicit-deny',
    );
    const denyOthers: Statement = { Effect: 'Deny', Action: '*', NotResource: TABLE };
    const both = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, denyOthers);
    expect(evaluate(both, { action: 'kms:Decrypt', resource: KEY }).decision).toBe('explicit-deny');
    expect(evaluate(both, { action: 'dynamodb:GetItem', resource: TABLE }).decision).toBe('allow');
  });

  it('refuses a malformed statement', () => {
    expect(() =>
      evaluate(policy({ Effect: 'Allow', Resource: '*' } as Statement), {
        action: 'kms:Decrypt',
        resource: KEY,
      }),
    ).toThrow(/Action/);
  });
});
