/**
 * What the synthesized stack promises, checked against the catalogue and the resource model:
 * expected values are computed here from policy/ and model/, never from lib/, so a
 * change to a profile's periods or to the route table fails these tests until the template
 * follows it.
 */

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { PrivacyFunction } from '../../lib/constructs/privacy-function';
import { durationInDays } from '../../model/calendar';
import type { Grants, KeyUse } from '../../model/grants';
import {
  ENV,
  type KeyDomain,
  keyDomains,
  keyEnv,
  type QueueName,
  SCHEDULE_TIMEZONE,
  type TableDefinition,
  type TableName,
  tableEnv,
  tables,
} from '../../model/resources';
import { OFFICER_GROUP, type Route, routeGrants } from '../../model/routes/route';
import { routesOf } from '../../model/routes/table';
import {
  feedback,
  importJob,
  jobs,
  outboxPublisher,
  type QueueDefinition,
  queues,
  sendRatePerInstance,
  triggers,
} from '../../model/workloads';
import type { ProfileName } from '../../policy/catalogue';
import { isoDuration } from '../../policy/duration';
import type { Catalogue, Duration } from '../../policy/schema';
import { apiEvent } from '../support/events';
import {
  assetDirOf,
  BUNDLED_PROFILE,
  type Cfn,
  type CfnResource as Resource,
  type Synthesized,
  synthesize,
} from './synth';

const run = promisify(execFile);

// --- Expectations, derived from the catalogue with no help from lib/ -------------------------

/** CloudWatch Logs' allowed retention values, as AWS documents them. */
const CLOUDWATCH_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The longest span of `d` over a leap cycle of start days. */
function longestDays(d: Duration): number {
  let longest = 0;
  for (let i = 0; i < 1461; i++)
    longest = Math.max(longest, durationInDays(d, new Date(Date.UTC(2024, 0, 1 + i))));
  return longest;
}

/** The shortest span of `d` over a leap cycle of start days. */
function shortestDays(d: Duration): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 1461; i++)
    shortest = Math.min(shortest, durationInDays(d, new Date(Date.UTC(2024, 0, 1 + i))));
  return shortest;
}

/** A period a law requires is kept at least that long; a period the policy promises, at most. */
function expectedLogRetention(catalogue: Catalogue): number {
  const cls = catalogue.retention[catalogue.recordClasses.accessLog];
  const period = cls?.period;
  if (!period || period === 'until-withdrawal') throw new Error('the access-log class needs a period');
  if (!cls.law) return [...CLOUDWATCH_DAYS].reverse().find((d) => d <= shortestDays(period))!;
  const days = longestDays(period);
  const allowed = CLOUDWATCH_DAYS.find((d) => d >= days);
  if (allowed === undefined) throw new Error(`no CloudWatch retention covers ${days} days`);
  return allowed;
}

function expectedRetentionTags(
  catalogue: Catalogue,
  def: TableDefinition,
): Record<string, string> | undefined {
  if (!def.retention) return undefined;
  if (def.retention === 'vault') {
    const periods = Object.values(catalogue.retention)
      .filter((rc) => rc.store === 'vault' && rc.period !== 'until-withdrawal')
      .map((rc) => rc.period as Duration);
    const longest = periods.sort((a, b) => longestDays(b) - longestDays(a))[0];
    return { 'retention-class': 'vault', 'retention-period': longest ? isoDuration(longest) : 'none' };
  }
  const classId = catalogue.recordClasses[def.retention];
  const period = catalogue.retention[classId]!.period;
  return {
    'retention-class': classId,
    'retention-period': period === 'until-withdrawal' ? period : isoDuration(period),
  };
}

/** The IAM actions each key use must map to, and nothing more. */
const KMS_ACTIONS: Record<KeyUse, string[]> = {
  encrypt: ['kms:Encrypt'],
  decrypt: ['kms:Decrypt'],
  'generate-data-key': ['kms:GenerateDataKey'],
  mac: ['kms:GenerateMac'],
  sign: ['kms:Sign'],
  verify: ['kms:Verify'],
};

// --- Template helpers -------------------------------------------------------------------------

function resourcesOfType(s: Synthesized, type: string): [string, Resource][] {
  return Object.entries(s.json.Resources).filter(([, r]) => r.Type === type);
}

function logicalIdOf(s: Synthesized, construct: { node: { defaultChild?: unknown } }): string {
  return s.stack.getLogicalId(construct.node.defaultChild as never);
}

function resource(s: Synthesized, logicalId: string): Resource {
  const r = s.json.Resources[logicalId];
  if (!r) throw new Error(`no resource ${logicalId}`);
  return r;
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** The statements of the customer-managed policy attached to a role. */
function policyStatements(s: Synthesized, roleLogicalId: string): Cfn[] {
  return resourcesOfType(s, 'AWS::IAM::ManagedPolicy')
    .filter(([, r]) => (r.Properties.Roles ?? []).some((role: Cfn) => role.Ref === roleLogicalId))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
}

function statementsOn(statements: Cfn[], arnOf: (resource: unknown) => boolean): Cfn[] {
  return statements.filter((st) => asArray(st.Resource).some(arnOf));
}

const getAtt =
  (id: string, attr = 'Arn') =>
  (r: unknown) =>
    JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [id, attr] });

/** Every function the stack builds for a route, a job or a trigger, with the grants it was given. */
function boundFunctions(s: Synthesized): { what: string; fn: PrivacyFunction; grants: Grants }[] {
  const routeFns = routesOf(s.catalogue).map((route) => ({
    what: `route ${route.id}`,
    fn: s.stack.api.functions[route.id]!,
    grants: routeGrants(route),
  }));
  const jobFns = Object.entries(jobs).map(([name, job]) => ({
    what: `job ${name}`,
    fn: s.stack.jobs.byName[name as keyof typeof jobs]!.function,
    grants: job.grants,
  }));
  const triggerFns = Object.entries(triggers).map(([name, trigger]) => ({
    what: `trigger ${name}`,
    fn: s.stack.identity.triggers[name as keyof typeof triggers],
    grants: trigger.grants,
  }));
  const workerFns = Object.entries(queues).map(([name, queue]) => ({
    what: `worker ${name}`,
    fn: s.stack.workQueues.byName[name as QueueName].worker,
    grants: queue.grants,
  }));
  const feedbackFn = {
    what: 'ses feedback',
    fn: s.stack.feedback.function,
    grants: feedback.ses.grants as Grants,
  };
  const importFn = { what: 'import job', fn: s.stack.imports.function, grants: importJob.grants as Grants };
  const publisherFn = {
    what: 'lifecycle events publisher',
    fn: s.stack.lifecycleEvents.function,
    grants: outboxPublisher.grants as Grants,
  };
  return [...routeFns, ...jobFns, ...triggerFns, ...workerFns, feedbackFn, importFn, publisherFn];
}

const PROFILES: ProfileName[] = ['littleone', 'lgcns'];

describe.each(PROFILES)('the %s stack', (profile) => {
  let s: Synthesized;
  beforeAll(() => {
    // Throws ValidationFailed when any cdk-nag finding is left unacknowledged.
    s = synthesize(profile);
  });

  describe('region', () => {
    it('deploys to ap-northeast-2, the region of the catalogue', () => {
      expect(s.catalogue.region).toBe('ap-northeast-2');
      expect(s.stack.region).toBe('ap-northeast-2');
    });

    it('names no other region anywhere in the template', () => {
      const named = new Set(
        JSON.stringify(s.json).match(
          /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central)(?:east|west)?-\d\b/g,
        ),
      );
      expect([...named]).toEqual(['ap-northeast-2']);
    });
  });

  describe('compliance', () => {
    it('synthesizes with no unacknowledged cdk-nag finding', () => {
      const report = JSON.parse(readFileSync(join(s.assemblyDir, 'validation-report.json'), 'utf8'));
      const open = (report.pluginReports ?? []).flatMap((r: Cfn) => r.violations ?? []);
      expect(open).toEqual([]);
    });
  });

  describe('keys', () => {
    it('creates one customer-managed key per key domain, with its spec, usage and alias', () => {
      for (const [domain, def] of Object.entries(keyDomains)) {
        const id = logicalIdOf(s, s.stack.keys.byDomain[domain as KeyDomain]);
        const key = resource(s, id);
        expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe(def.spec);
        expect(key.Properties.KeyUsage ?? 'ENCRYPT_DECRYPT').toBe(def.usage);
        s.template.hasResourceProperties('AWS::KMS::Alias', {
          AliasName: `alias/privacy-${profile}-${domain}`,
          TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] },
        });
      }
    });

    it('rotates every symmetric key and retains every key when the stack goes (not when its first create fails)', () => {
      const keys = resourcesOfType(s, 'AWS::KMS::Key');
      // One per domain, plus the key of alarms, email feedback and dead letters.
      expect(keys).toHaveLength(Object.keys(keyDomains).length + 1);
      for (const [id, key] of keys) {
        if ((key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT') {
          expect(key.Properties.EnableKeyRotation, id).toBe(true);
        }
        expect(key.DeletionPolicy, id).toBe('RetainExceptOnCreate');
        expect(key.Properties.PendingWindowInDays, id).toBe(30);
      }
    });
  });

  describe('tables', () => {
    const each = (fn: (name: TableName, def: TableDefinition, table: Resource, id: string) => void) => {
      for (const [name, def] of Object.entries(tables) as [TableName, TableDefinition][]) {
        const id = logicalIdOf(s, s.stack.data.tables[name]);
        fn(name, def, resource(s, id), id);
      }
    };

    it('creates exactly the tables of the resource model, on demand', () => {
      expect(resourcesOfType(s, 'AWS::DynamoDB::GlobalTable')).toHaveLength(Object.keys(tables).length);
      each((_, __, table) => expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST'));
    });

    it("encrypts every table with the customer-managed key of its definition's key domain", () => {
      each((name, def, table) => {
        const keyId = logicalIdOf(s, s.stack.keys.byDomain[def.key]);
        expect(table.Properties.SSESpecification, name).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
        expect(table.Properties.Replicas[0].SSESpecification.KMSMasterKeyId, name).toEqual({
          'Fn::GetAtt': [keyId, 'Arn'],
        });
      });
    });

    it("keeps point-in-time recovery for the definition's recovery days, with deletion protection on", () => {
      each((name, def, table) => {
        const replica = table.Properties.Replicas[0];
        expect(replica.PointInTimeRecoverySpecification, name).toEqual({
          PointInTimeRecoveryEnabled: true,
          RecoveryPeriodInDays: def.recoveryDays,
        });
        expect(replica.DeletionProtectionEnabled, name).toBe(true);
        expect(table.DeletionPolicy, name).toBe('RetainExceptOnCreate');
      });
    });

    it('gives each table the TTL attribute of the resource model, and none to tables without one', () => {
      each((name, def, table) => {
        const ttl = table.Properties.TimeToLiveSpecification;
        if (def.ttlAttribute) expect(ttl, name).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
        else expect(ttl, name).toBeUndefined();
      });
    });

    it('gives every table whose items a retention class governs a TTL attribute', () => {
      each((name, def) => {
        if (def.retention) expect(def.ttlAttribute, name).toBeDefined();
      });
    });

    it("tags each table governed by a retention class with the catalogue's class and period", () => {
      each((name, def, table) => {
        const tags = Object.fromEntries(
          (table.Properties.Replicas[0].Tags ?? []).map((t: { Key: string; Value: string }) => [
            t.Key,
            t.Value,
          ]),
        );
        const expected = expectedRetentionTags(s.catalogue, def);
        if (expected) expect(tags, name).toMatchObject(expected);
        else expect(tags['retention-class'], name).toBeUndefined();
      });
    });

    it('creates the indexes of the resource model and no others', () => {
      each((name, def, table) => {
        const indexes = (table.Properties.GlobalSecondaryIndexes ?? []).map((i: Cfn) => ({
          name: i.IndexName,
          keys: i.KeySchema.map((k: Cfn) => k.AttributeName),
          projection: i.Projection.ProjectionType,
        }));
        expect(indexes, name).toEqual(
          def.indexes.map((i) => ({
            name: i.name,
            keys: [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])],
            projection: i.projection,
          })),
        );
      });
    });
  });

  describe('log groups', () => {
    it("keeps every log group for the catalogue's access-log period, rounded up to a CloudWatch retention", () => {
      const expected = expectedLogRetention(s.catalogue);
      const groups = resourcesOfType(s, 'AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThan(0);
      for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(expected);
    });

    it("writes every function's logs to the one function log group: a resource per function would crowd the stack", () => {
      const groups = new Set(
        resourcesOfType(s, 'AWS::Lambda::Function').map(([, fn]) =>
          JSON.stringify(fn.Properties.LoggingConfig.LogGroup),
        ),
      );
      expect([...groups]).toEqual([
        JSON.stringify({ Ref: logicalIdOf(s, Object.values(s.stack.api.functions)[0]!.logGroup) }),
      ]);
      expect(Object.keys(s.json.Resources).length).toBeLessThanOrEqual(500);
    });

    it("stays within CloudFormation's limits: 500 resources, and a 1 MB template (the pages' files are in it)", () => {
      expect(Object.keys(s.json.Resources).length).toBeLessThanOrEqual(500);
      // `cdk deploy` uploads the template as the assembly holds it, one-space indented.
      expect(Buffer.byteLength(JSON.stringify(s.json, null, 1))).toBeLessThanOrEqual(1024 * 1024);
    });

    it('encrypts every log group with the logs key', () => {
      const logsKey = logicalIdOf(s, s.stack.keys.byDomain.logs);
      for (const [id, group] of resourcesOfType(s, 'AWS::Logs::LogGroup')) {
        expect(group.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [logsKey, 'Arn'] });
      }
    });
  });

  describe('functions', () => {
    it('runs every function on Node 22, arm64, with active tracing, source maps and the profile', () => {
      const functions = resourcesOfType(s, 'AWS::Lambda::Function');
      expect(functions).toHaveLength(boundFunctions(s).length);
      for (const [id, fn] of functions) {
        const p = fn.Properties;
        expect(p.Runtime, id).toBe('nodejs22.x');
        expect(p.Architectures, id).toEqual(['arm64']);
        expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
        expect(p.Environment.Variables[ENV.profile], id).toBe(profile);
        expect(p.Environment.Variables.NODE_OPTIONS, id).toContain('--enable-source-maps');
        expect(p.LoggingConfig, id).toMatchObject({
          LogFormat: 'JSON',
          LogGroup: { Ref: expect.any(String) },
        });
        expect(p.Timeout, id).toBeGreaterThan(0);
        expect(p.MemorySize, id).toBeGreaterThanOrEqual(128);
      }
    });

    it("binds each table a function's grants name: item actions, the key through DynamoDB only, the name in its variable", () => {
      for (const { what, fn, grants } of boundFunctions(s)) {
        const fnProps = resource(s, logicalIdOf(s, fn.function)).Properties;
        const statements = policyStatements(s, logicalIdOf(s, fn.role));
        for (const [name, access] of Object.entries(grants.tables ?? {}) as [TableName, string][]) {
          const tableId = logicalIdOf(s, s.stack.data.tables[name]);
          expect(fnProps.Environment.Variables[tableEnv(name)], `${what} ${name}`).toEqual({
            Ref: tableId,
          });
          const actions = statementsOn(statements, getAtt(tableId)).flatMap((st) => asArray(st.Action));
          if (access.includes('read')) expect(actions, `${what} ${name}`).toContain('dynamodb:Query');
          else expect(actions, `${what} ${name}`).not.toContain('dynamodb:Query');
          if (access.includes('write') || access.includes('append'))
            expect(actions, `${what} ${name}`).toContain('dynamodb:PutItem');
          else expect(actions, `${what} ${name}`).not.toContain('dynamodb:PutItem');
          if (access.includes('write')) expect(actions, `${what} ${name}`).toContain('dynamodb:DeleteItem');
          else expect(actions, `${what} ${name}`).not.toContain('dynamodb:DeleteItem');
          const viaDynamo = statementsOn(
            statements,
            getAtt(logicalIdOf(s, s.stack.keys.byDomain[tables[name].key])),
          ).filter((st) => st.Condition?.StringEquals?.['kms:ViaService']);
          expect(viaDynamo.length, `${what} ${name}`).toBeGreaterThan(0);
        }
        const granted = new Set(Object.keys(grants.tables ?? {}).map((n) => tableEnv(n as TableName)));
        for (const variable of (Object.keys(tables) as TableName[]).map(tableEnv)) {
          if (!granted.has(variable))
            expect(fnProps.Environment.Variables[variable], `${what} ${variable}`).toBeUndefined();
        }
      }
    });

    it('grants exactly the KMS actions of each key use, outside DynamoDB, and sets the key variable', () => {
      for (const { what, fn, grants } of boundFunctions(s)) {
        const fnProps = resource(s, logicalIdOf(s, fn.function)).Properties;
        const statements = policyStatements(s, logicalIdOf(s, fn.role));
        for (const domain of Object.keys(keyDomains) as KeyDomain[]) {
          const keyId = logicalIdOf(s, s.stack.keys.byDomain[domain]);
          const direct = statementsOn(statements, getAtt(keyId))
            .filter((st) => !st.Condition)
            .flatMap((st) => asArray(st.Action));
          const uses = grants.keys?.[domain] ?? [];
          expect([...new Set(direct)].sort(), `${what} ${domain}`).toEqual(
            [...new Set(uses.flatMap((u) => KMS_ACTIONS[u]))].sort(),
          );
          const variable = fnProps.Environment.Variables[keyEnv(domain)];
          if (uses.length > 0)
            expect(variable, `${what} ${domain}`).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
          else expect(variable, `${what} ${domain}`).toBeUndefined();
        }
      }
    });

    it('G3: lets every route that names a member append to the access log, and nothing more; public routes not at all', () => {
      const tableId = logicalIdOf(s, s.stack.data.tables.accessLog);
      const logsKey = logicalIdOf(s, s.stack.keys.byDomain.logs);
      for (const route of routesOf(s.catalogue)) {
        const fn = s.stack.api.functions[route.id]!;
        const vars = resource(s, logicalIdOf(s, fn.function)).Properties.Environment.Variables;
        const statements = policyStatements(s, logicalIdOf(s, fn.role));
        const writes = statementsOn(statements, getAtt(tableId))
          .flatMap((st) => asArray(st.Action))
          .filter((a: string) => !/GetItem|Query|Scan|ConditionCheck/.test(a));
        const keyUses = statementsOn(statements, getAtt(logsKey))
          .filter((st) => !st.Condition)
          .flatMap((st) => asArray(st.Action));
        if (route.access === 'public') {
          expect(writes, route.id).toEqual([]);
          expect(vars[tableEnv('accessLog')], route.id).toBeUndefined();
        } else {
          expect(writes, route.id).toEqual(['dynamodb:PutItem']);
          expect(keyUses, route.id).toContain('kms:GenerateDataKey');
          expect(vars[tableEnv('accessLog')], route.id).toEqual({ Ref: tableId });
          expect(vars[keyEnv('logs')], route.id).toEqual({ 'Fn::GetAtt': [logsKey, 'Arn'] });
        }
      }
    });

    it('lets only functions that send email call ses:SendEmail, on the identity and configuration set alone', () => {
      for (const { what, fn, grants } of boundFunctions(s)) {
        const fnProps = resource(s, logicalIdOf(s, fn.function)).Properties;
        const ses = policyStatements(s, logicalIdOf(s, fn.role)).filter((st) =>
          asArray(st.Action).some((a: string) => a.startsWith('ses:')),
        );
        if (grants.sendEmail) {
          expect(
            ses.flatMap((st) => asArray(st.Action)),
            what,
          ).toEqual(['ses:SendEmail']);
          expect(
            ses.flatMap((st) => asArray(st.Resource)),
            what,
          ).toHaveLength(2);
          expect(fnProps.Environment.Variables[ENV.senderAddress], what).toBe(`privacy@example.com`);
          expect(fnProps.Environment.Variables[ENV.configurationSet], what).toEqual({
            Ref: logicalIdOf(s, s.stack.notices.configurationSet),
          });
        } else {
          expect(ses, what).toEqual([]);
          expect(fnProps.Environment.Variables[ENV.senderAddress], what).toBeUndefined();
        }
      }
    });

    it('lets only functions that delete accounts find and delete users, in the user pool alone', () => {
      const pool = logicalIdOf(s, s.stack.identity.userPool);
      const granted: string[] = [];
      for (const { what, fn, grants } of boundFunctions(s)) {
        const fnProps = resource(s, logicalIdOf(s, fn.function)).Properties;
        const cognito = policyStatements(s, logicalIdOf(s, fn.role)).filter((st) =>
          asArray(st.Action).some((a: string) => a.startsWith('cognito-idp:')),
        );
        if (grants.deleteAccounts) {
          granted.push(what);
          expect(cognito.flatMap((st) => asArray(st.Action)).sort(), what).toEqual([
            'cognito-idp:AdminDeleteUser',
            'cognito-idp:ListUsers',
          ]);
          expect(
            cognito.flatMap((st) => asArray(st.Resource)),
            what,
          ).toEqual([{ 'Fn::GetAtt': [pool, 'Arn'] }]);
          expect(fnProps.Environment.Variables[ENV.userPoolId], what).toEqual({ Ref: pool });
        } else if (grants.readAccountMfa) {
          // The officers' MFA check reads one account by name, in the pool that invoked it.
          expect(
            cognito.flatMap((st) => asArray(st.Action)),
            what,
          ).toEqual(['cognito-idp:AdminGetUser']);
          expect(
            cognito.flatMap((st) => asArray(st.Resource)),
            what,
          ).toEqual([{ 'Fn::GetAtt': [pool, 'Arn'] }]);
          expect(fnProps.Environment.Variables[ENV.userPoolId], what).toBeUndefined();
        } else {
          expect(cognito, what).toEqual([]);
          expect(fnProps.Environment.Variables[ENV.userPoolId], what).toBeUndefined();
        }
      }
      expect(granted.length).toBeGreaterThan(0);
    });

    it('lets only the import job read the imports bucket: GetObject on its objects alone', () => {
      const bucket = logicalIdOf(s, s.stack.imports.bucket);
      for (const { what, fn, grants } of boundFunctions(s)) {
        const fnProps = resource(s, logicalIdOf(s, fn.function)).Properties;
        // Statements on the imports bucket (photos and silos have buckets of their own).
        const s3 = policyStatements(s, logicalIdOf(s, fn.role)).filter(
          (st) =>
            asArray(st.Action).some((a: string) => a.startsWith('s3:')) &&
            JSON.stringify(st.Resource ?? '').includes(bucket),
        );
        if (grants.readImports) {
          expect(
            s3.flatMap((st) => asArray(st.Action)),
            what,
          ).toEqual(['s3:GetObject']);
          expect(
            s3.flatMap((st) => asArray(st.Resource)),
            what,
          ).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] }]);
          expect(fnProps.Environment.Variables[ENV.importsBucket], what).toEqual({ Ref: bucket });
        } else {
          expect(s3, what).toEqual([]);
          expect(fnProps.Environment.Variables[ENV.importsBucket], what).toBeUndefined();
        }
      }
    });

    it('keeps exports private and short-lived: no public access, TLS only, encrypted, expired after 7 days', () => {
      const id = logicalIdOf(s, s.stack.imports.bucket);
      const props = resource(s, id).Properties;
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({
        SSEAlgorithm: 'AES256',
      });
      expect(props.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' }),
      );
      const policy = resourcesOfType(s, 'AWS::S3::BucketPolicy').find(
        ([, p]) => p.Properties.Bucket.Ref === id,
      )?.[1];
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('grants no wildcard action and puts every grant in a customer-managed policy, none inline', () => {
      for (const [id, policy] of resourcesOfType(s, 'AWS::IAM::ManagedPolicy')) {
        for (const st of policy.Properties.PolicyDocument.Statement) {
          for (const action of asArray(st.Action) as string[]) expect(action, id).not.toMatch(/\*/);
        }
      }
      expect(resourcesOfType(s, 'AWS::IAM::Policy')).toEqual([]);
    });
  });

  describe('api', () => {
    const methodOf = (route: Route) => resource(s, logicalIdOf(s, s.stack.api.methods[route.id]!));

    it('has one method per route of the profile, each proxied to its own function', () => {
      const routes = routesOf(s.catalogue);
      // Besides the routes, the API serves the pages' files (test/infra/pages.test.ts).
      const pageFiles = Object.keys(s.stack.pages.methods).length;
      expect(resourcesOfType(s, 'AWS::ApiGateway::Method')).toHaveLength(routes.length + pageFiles);
      for (const route of routes) {
        const method = methodOf(route).Properties;
        expect(method.HttpMethod, route.id).toBe(route.method);
        expect(method.Integration.Type, route.id).toBe('AWS_PROXY');
        expect(JSON.stringify(method.Integration.Uri), route.id).toContain(
          logicalIdOf(s, s.stack.api.functions[route.id]!.function),
        );
      }
    });

    it('requires a Cognito token on every non-public route and none on public ones', () => {
      const authorizers = resourcesOfType(s, 'AWS::ApiGateway::Authorizer');
      for (const route of routesOf(s.catalogue)) {
        const method = methodOf(route).Properties;
        if (route.access === 'public') {
          expect(method.AuthorizationType, route.id).toBe('NONE');
          expect(method.AuthorizerId, route.id).toBeUndefined();
        } else {
          expect(method.AuthorizationType, route.id).toBe('COGNITO_USER_POOLS');
          expect(method.AuthorizerId, route.id).toEqual({ Ref: authorizers[0]![0] });
        }
      }
      for (const [, authorizer] of authorizers) {
        expect(authorizer.Properties.ProviderARNs).toEqual([
          { 'Fn::GetAtt': [logicalIdOf(s, s.stack.identity.userPool), 'Arn'] },
        ]);
      }
    });

    it("validates each body against a model equal to the route schema's draft-4 JSON Schema", () => {
      const bodyRoutes = routesOf(s.catalogue).filter((r) => r.body);
      expect(resourcesOfType(s, 'AWS::ApiGateway::Model')).toHaveLength(bodyRoutes.length);
      for (const route of routesOf(s.catalogue)) {
        const method = methodOf(route).Properties;
        if (!route.body) {
          expect(method.RequestModels, route.id).toBeUndefined();
          continue;
        }
        const model = resource(s, method.RequestModels['application/json'].Ref);
        const expected = z.toJSONSchema(route.body(s.catalogue), { target: 'draft-4', io: 'input' });
        expect(model.Properties.Schema, route.id).toEqual(JSON.parse(JSON.stringify(expected)));
        const validator = resource(s, method.RequestValidatorId.Ref);
        expect(validator.Properties.ValidateRequestBody, route.id).toBe(true);
      }
    });

    it("declares the query parameters of each route's query schema", () => {
      for (const route of routesOf(s.catalogue)) {
        const method = methodOf(route).Properties;
        if (!route.query) {
          expect(method.RequestParameters, route.id).toBeUndefined();
          continue;
        }
        const schema = z.toJSONSchema(route.query(s.catalogue), { target: 'draft-4', io: 'input' }) as Cfn;
        const required = new Set(schema.required ?? []);
        expect(method.RequestParameters, route.id).toEqual(
          Object.fromEntries(
            Object.keys(schema.properties).map((p) => [`method.request.querystring.${p}`, required.has(p)]),
          ),
        );
      }
    });

    it('serves a regional endpoint, so traffic terminates in Seoul', () => {
      s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
    });

    it("G3: keeps the API's access logs for the catalogue's access-log period", () => {
      const group = resource(s, logicalIdOf(s, s.stack.api.accessLogs)).Properties;
      expect(group.RetentionInDays).toBe(expectedLogRetention(s.catalogue));
      // littleone's service-visit records: at least 3 months; lgcns: at most its promised 6 months.
      const days: Record<ProfileName, number> = { littleone: 120, lgcns: 180 };
      expect(group.RetentionInDays).toBe(days[profile]);
    });

    it('writes JSON access logs with caller IP, member, route and status to the encrypted access log group', () => {
      const [, stage] = resourcesOfType(s, 'AWS::ApiGateway::Stage')[0]!;
      const setting = stage.Properties.AccessLogSetting;
      expect(setting.DestinationArn).toEqual({
        'Fn::GetAtt': [logicalIdOf(s, s.stack.api.accessLogs), 'Arn'],
      });
      const format = JSON.parse(setting.Format);
      expect(format).toMatchObject({
        ip: '$context.identity.sourceIp',
        member: '$context.authorizer.claims.sub',
        resource: '$context.resourcePath',
        status: '$context.status',
      });
    });

    it('throttles the stage, traces requests and never logs request or response data', () => {
      s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
        TracingEnabled: true,
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: Match.anyValue(),
            ThrottlingBurstLimit: Match.anyValue(),
            DataTraceEnabled: false,
          }),
        ]),
      });
    });

    it('keeps the execution logs in a group it owns, encrypted and expiring, created before the stage', () => {
      const id = logicalIdOf(s, s.stack.api.executionLogs);
      const group = resource(s, id).Properties;
      expect(JSON.stringify(group.LogGroupName)).toContain('API-Gateway-Execution-Logs_');
      const [, stage] = resourcesOfType(s, 'AWS::ApiGateway::Stage')[0]!;
      expect(stage.DependsOn).toContain(id);
    });

    it('puts a web ACL with a per-IP rate limit in front of the stage, logging only what it blocks', () => {
      s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Rules: Match.arrayWith([
          Match.objectLike({
            Action: { Block: {} },
            Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) },
          }),
        ]),
      });
      s.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      s.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
      });
    });
  });

  describe('identity', () => {
    it('signs members in as the catalogue says', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      const providers = resourcesOfType(s, 'AWS::Cognito::UserPoolIdentityProvider').map(
        ([, r]) => r.Properties,
      );
      const passwords = s.catalogue.signIn.includes('password');
      expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(!passwords);
      expect(providers.map((p) => p.ProviderType).sort()).toEqual(
        [
          ...(s.catalogue.signIn.includes('google') ? ['Google'] : []),
          ...(s.catalogue.signIn.includes('apple') ? ['SignInWithApple'] : []),
        ].sort(),
      );
    });

    it('reads federation secrets from Secrets Manager, never from the template', () => {
      for (const [id, idp] of resourcesOfType(s, 'AWS::Cognito::UserPoolIdentityProvider')) {
        const secret =
          idp.Properties.ProviderDetails.client_secret ?? idp.Properties.ProviderDetails.private_key;
        expect(secret, id).toMatch(new RegExp(`^\\{\\{resolve:secretsmanager:privacy/${profile}/`));
      }
    });

    it('enforces a strong password policy, TOTP-only MFA and threat protection', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      expect(pool.Policies.PasswordPolicy).toMatchObject({
        MinimumLength: expect.any(Number),
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      });
      expect(pool.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
      expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
      expect(pool.MfaConfiguration).toBe(s.catalogue.signIn.includes('password') ? 'OPTIONAL' : 'ON');
      expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
      expect(pool.DeletionProtection).toBe('ACTIVE');
    });

    it('keeps no email or phone attribute in Cognito: personal data lives encrypted in the members table', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      expect(pool.UsernameAttributes).toBeUndefined();
      expect(pool.AliasAttributes).toBeUndefined();
      expect(pool.AutoVerifiedAttributes).toBeUndefined();
      expect(pool.Schema).toBeUndefined();
      for (const [, idp] of resourcesOfType(s, 'AWS::Cognito::UserPoolIdentityProvider')) {
        expect(idp.Properties.AttributeMapping).toBeUndefined();
      }
    });

    it('has the officers group and a public app client without a secret', () => {
      s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: OFFICER_GROUP });
      s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
      });
    });

    it('invokes the post-authentication trigger of the resource model', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      expect(pool.LambdaConfig.PostAuthentication).toEqual({
        'Fn::GetAtt': [logicalIdOf(s, s.stack.identity.triggers.postAuthentication.function), 'Arn'],
      });
    });

    it('G17: runs the pre-token-generation trigger, which may read accounts of this pool and nothing else', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      const trigger = s.stack.identity.triggers.preTokenGeneration;
      const fnId = logicalIdOf(s, trigger.function);
      expect(pool.LambdaConfig.PreTokenGeneration).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
      const statements = policyStatements(s, logicalIdOf(s, trigger.role));
      const onPool = statementsOn(statements, getAtt(logicalIdOf(s, s.stack.identity.userPool)));
      expect(onPool.flatMap((st) => asArray(st.Action))).toEqual(['cognito-idp:AdminGetUser']);
      // No table, key, queue or sender: the check reads the account's MFA settings only (besides
      // writing its logs and traces, as every function does).
      const resources = statements
        .filter((st) => !asArray(st.Action).every((a: string) => a.startsWith('xray:')))
        .flatMap((st) => asArray(st.Resource))
        .map((r) => JSON.stringify(r));
      expect(resources.filter((r) => !r.includes(logicalIdOf(s, trigger.logGroup)))).toEqual([
        JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(s, s.stack.identity.userPool), 'Arn'] }),
      ]);
      // The pool id comes with each event: a variable naming the pool would be a dependency cycle.
      expect(resource(s, fnId).Properties.Environment.Variables[ENV.userPoolId]).toBeUndefined();
    });

    it('confirms sign-ups through the pre-sign-up trigger, since the pool holds no address to verify', () => {
      const pool = resource(s, logicalIdOf(s, s.stack.identity.userPool)).Properties;
      expect(pool.LambdaConfig.PreSignUp).toEqual({
        'Fn::GetAtt': [logicalIdOf(s, s.stack.identity.triggers.preSignUp.function), 'Arn'],
      });
    });
  });

  describe('jobs', () => {
    it('runs every job on its schedule in Asia/Seoul, with retries and a dead-letter queue', () => {
      const schedules = resourcesOfType(s, 'AWS::Scheduler::Schedule');
      expect(schedules).toHaveLength(Object.keys(jobs).length);
      for (const [name, job] of Object.entries(jobs)) {
        const built = s.stack.jobs.byName[name as keyof typeof jobs]!;
        const schedule = resource(s, logicalIdOf(s, built.schedule)).Properties;
        expect(schedule.ScheduleExpression, name).toBe(job.schedule);
        expect(schedule.ScheduleExpressionTimezone, name).toBe(SCHEDULE_TIMEZONE);
        expect(SCHEDULE_TIMEZONE).toBe('Asia/Seoul');
        expect(schedule.Target.RetryPolicy.MaximumRetryAttempts, name).toBeGreaterThan(0);
        expect(schedule.Target.RetryPolicy.MaximumEventAgeInSeconds, name).toBeGreaterThan(0);
        const queueId = logicalIdOf(s, built.deadLetterQueue);
        expect(schedule.Target.DeadLetterConfig, name).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
        expect(JSON.parse(schedule.Target.Input), name).toEqual({
          job: name,
          scheduledTime: '<aws.scheduler.scheduled-time>',
        });
      }
    });

    it("sends a job's failed asynchronous invocations to the same dead-letter queue", () => {
      for (const [name, built] of Object.entries(s.stack.jobs.byName)) {
        const fn = resource(s, logicalIdOf(s, built.function.function)).Properties;
        expect(fn.DeadLetterConfig, name).toEqual({
          TargetArn: { 'Fn::GetAtt': [logicalIdOf(s, built.deadLetterQueue), 'Arn'] },
        });
      }
    });

    it('encrypts every dead-letter queue with a customer-managed key and refuses plain HTTP', () => {
      for (const [id, queue] of resourcesOfType(s, 'AWS::SQS::Queue')) {
        expect(queue.Properties.KmsMasterKeyId, id).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
        s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });
  });

  describe('work queues', () => {
    it('G9: feeds each worker from its encrypted queue in bounded batches, reporting failed messages one by one', () => {
      for (const [name, def] of Object.entries(queues)) {
        const built = s.stack.workQueues.byName[name as QueueName];
        const queueId = logicalIdOf(s, built.queue);
        s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          FunctionName: { Ref: logicalIdOf(s, built.worker.function) },
          BatchSize: def.batchSize,
          ScalingConfig: { MaximumConcurrency: def.maxConcurrency },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        const queue = resource(s, queueId).Properties;
        expect(queue.RedrivePolicy, name).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(s, built.deadLetterQueue), 'Arn'] },
          maxReceiveCount: def.maxReceiveCount,
        });
        expect(queue.VisibilityTimeout, name).toBeGreaterThanOrEqual(def.workerTimeoutSeconds * 6);
        expect(resource(s, logicalIdOf(s, built.worker.function)).Properties.Timeout, name).toBe(
          def.workerTimeoutSeconds,
        );
      }
    });

    it('G9: paces each worker instance at its share of the sending rate, so all together stay under the SES quota', () => {
      for (const [name, def] of Object.entries(queues)) {
        // A worker that sends no notice has no share to pace.
        if (!('sendsPerSecond' in def)) continue;
        const built = s.stack.workQueues.byName[name as QueueName];
        const vars = resource(s, logicalIdOf(s, built.worker.function)).Properties.Environment.Variables;
        expect(Number(vars[ENV.sendRate]) * def.maxConcurrency, name).toBeLessThanOrEqual(def.sendsPerSecond);
        expect(Number(vars[ENV.sendRate]), name).toBe(sendRatePerInstance(def));
      }
    });

    it('G9: lets only the jobs that fan out to a queue send to it, and only its worker consume it', () => {
      for (const [name, built] of Object.entries(s.stack.workQueues.byName)) {
        const queueArn = getAtt(logicalIdOf(s, built.queue));
        for (const { what, fn, grants } of boundFunctions(s)) {
          const onQueue = statementsOn(policyStatements(s, logicalIdOf(s, fn.role)), queueArn).flatMap((st) =>
            asArray(st.Action),
          );
          const vars = resource(s, logicalIdOf(s, fn.function)).Properties.Environment.Variables;
          const env = queues[name as QueueName].env;
          if (grants.queues?.[name as QueueName]) {
            expect(onQueue, what).toEqual(['sqs:SendMessage']);
            expect(vars[env], what).toEqual({ Ref: logicalIdOf(s, built.queue) });
          } else if (fn === built.worker) {
            // A fan-out worker queues its next messages to its own queue, and only there.
            if ((queues[name as QueueName] as QueueDefinition).requeues) {
              expect(onQueue, what).toContain('sqs:SendMessage');
              expect(vars[env], what).toEqual({ Ref: logicalIdOf(s, built.queue) });
            } else expect(onQueue, what).not.toContain('sqs:SendMessage');
            expect(onQueue, what).toEqual(
              expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
            );
          } else {
            expect(onQueue, what).toEqual([]);
            expect(vars[env], what).toBeUndefined();
          }
        }
      }
    });

    it('G9: runs the inactivity job daily in Asia/Seoul time and points it at the queue it fans out to', () => {
      const job = jobs.inactivity;
      const schedule = resource(s, logicalIdOf(s, s.stack.jobs.byName.inactivity!.schedule)).Properties;
      expect(schedule.ScheduleExpression).toMatch(/^cron\(\d+ \d+ \* \* \? \*\)$/);
      expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Seoul');
      const fn = resource(s, logicalIdOf(s, s.stack.jobs.byName.inactivity!.function.function)).Properties;
      expect(fn.Timeout).toBe(job.timeoutMinutes * 60);
      expect(fn.Environment.Variables[queues[job.drains].env]).toEqual({
        Ref: logicalIdOf(s, s.stack.workQueues.byName[job.drains].queue),
      });
    });
  });

  describe('SES feedback', () => {
    it("subscribes the feedback function to the configuration set's bounce and complaint topic, with a dead-letter queue", () => {
      const fnId = logicalIdOf(s, s.stack.feedback.function.function);
      s.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: logicalIdOf(s, s.stack.notices.feedbackTopic) },
        Endpoint: { 'Fn::GetAtt': [fnId, 'Arn'] },
        RedrivePolicy: {
          deadLetterTargetArn: {
            'Fn::GetAtt': [logicalIdOf(s, s.stack.feedback.deliveryDeadLetterQueue), 'Arn'],
          },
        },
      });
      expect(resource(s, fnId).Properties.DeadLetterConfig).toEqual({
        TargetArn: { 'Fn::GetAtt': [logicalIdOf(s, s.stack.feedback.deadLetterQueue), 'Arn'] },
      });
    });
  });

  describe('notices', () => {
    it('sends from the sender domain through a configuration set that requires TLS and tracks reputation', () => {
      s.template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'example.com',
        ConfigurationSetAttributes: {
          ConfigurationSetName: { Ref: logicalIdOf(s, s.stack.notices.configurationSet) },
        },
      });
      s.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
    });

    it('reports bounces and complaints to an encrypted topic', () => {
      const topicId = logicalIdOf(s, s.stack.notices.feedbackTopic);
      s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
          SnsDestination: { TopicARN: { Ref: topicId } },
        },
      });
      expect(resource(s, topicId).Properties.KmsMasterKeyId).toBeDefined();
    });
  });

  describe('monitoring', () => {
    it("alarms on each dead-letter queue's depth, each job's errors and the API's 5XX errors, to an encrypted topic", () => {
      const topicId = logicalIdOf(s, s.stack.monitoring.alarmTopic);
      expect(resource(s, topicId).Properties.KmsMasterKeyId).toBeDefined();
      const alarms = resourcesOfType(s, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
      const alarm = (metric: string, dimension: unknown) =>
        alarms.find(
          (a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)),
        );
      for (const [name, built] of Object.entries(s.stack.jobs.byName)) {
        const dlq = alarm('ApproximateNumberOfMessagesVisible', logicalIdOf(s, built.deadLetterQueue));
        expect(dlq, name).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
        const errors = alarm('Errors', { Ref: logicalIdOf(s, built.function.function) });
        expect(errors, name).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      }
      for (const [name, built] of Object.entries(s.stack.workQueues.byName)) {
        const dlq = alarm('ApproximateNumberOfMessagesVisible', logicalIdOf(s, built.deadLetterQueue));
        expect(dlq, name).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
        expect(alarm('Errors', { Ref: logicalIdOf(s, built.worker.function) }), name).toBeDefined();
      }
      expect(
        alarm('ApproximateNumberOfMessagesVisible', logicalIdOf(s, s.stack.feedback.deadLetterQueue)),
      ).toBeDefined();
      expect(alarm('5XXError', `privacy-${profile}`)).toMatchObject({ Namespace: 'AWS/ApiGateway' });
      for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    });
  });
});

describe('the handler bundles', () => {
  it('load as ESM on Node and answer a request', async () => {
    const s = synthesize(BUNDLED_PROFILE);
    // The OpenAPI route needs no table (GET /v1/policy reads the published versions).
    const fnId = logicalIdOf(s, s.stack.api.functions['get-openapi']!.function);
    const bundle = join(assetDirOf(s, fnId), 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const event = apiEvent({ path: '/v1/openapi.json' });
    // A fresh Node process: what Lambda loads, without vitest's module transforms in between.
    const script = `const { handler } = await import(${JSON.stringify(bundle)});
      const res = await handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 10000 });
      console.log(JSON.stringify({ status: res.statusCode, type: res.headers['content-type'] }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, [ENV.profile]: BUNDLED_PROFILE, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ status: 200, type: 'application/json' });
  });
});
