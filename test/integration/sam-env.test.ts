/**
 * `npm run sam:env` as a user runs it: on an emulator it writes the file the suite
 * sam-local.suite.ts checks in depth. With `--stack NAME` it reads a deployed stack through CloudFormation. moto cannot
 * deploy our template honestly (it has no AWS::DynamoDB::GlobalTable, Cognito user pool, SES
 * configuration set or API stage, and reports those as created with no resource), so the
 * resolution is tested with the real SDK calls on a stand-in stack in moto: the logical ids our
 * functions reference, as resources moto does create, then each value checked against moto.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, LOCAL_CREDENTIALS } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { ROOT } from '../../local/state';
import { ENV } from '../../model/resources';
import {
  type DeployedStack,
  type EnvVarsFile,
  envVarsFile,
  readStack,
  stackResolver,
  UnresolvedVariable,
  unresolvedValues,
} from '../../scripts/sam/env-vars';
import type { CfnValue, SamTemplate } from '../../scripts/sam/template';
import { synthesizeForSam } from '../../scripts/sam/template';

const STACK = 'PrivacyStack-lgcns';

/** Stand-ins moto creates, for the types of ours it cannot. */
const STAND_IN: Readonly<Record<string, (id: string) => CfnValue>> = {
  'AWS::DynamoDB::GlobalTable': () => ({
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
  }),
  'AWS::KMS::Key': () => ({
    Type: 'AWS::KMS::Key',
    // As a string: moto keeps an object policy as given and then fails to describe the key.
    Properties: {
      KeyPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }],
      }),
    },
  }),
  'AWS::SQS::Queue': () => ({ Type: 'AWS::SQS::Queue', Properties: {} }),
  'AWS::ApiGateway::RestApi': (id) => ({ Type: 'AWS::ApiGateway::RestApi', Properties: { Name: id } }),
};

/** Logical ids the functions' variables reference. */
function referenced(sam: SamTemplate): Set<string> {
  const ids = new Set<string>();
  const walk = (v: CfnValue): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) ids.add(v.Ref);
      if (Array.isArray(v['Fn::GetAtt'])) ids.add(v['Fn::GetAtt'][0]);
      Object.values(v).forEach(walk);
    }
  };
  for (const fn of sam.functions) walk(fn.variables);
  return ids;
}

/** Runs a CLI of scripts/ as a user would; its exit code and what it wrote. */
function cli(script: string, args: string[], env: Record<string, string>) {
  const home = mkdtempSync(join(tmpdir(), 'sam-env-home-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // Nothing of the caller's AWS configuration: only what the test gives.
    env: { PATH: process.env.PATH ?? '', HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const samEnv = (args: string[], env: Record<string, string>) => cli('sam-env.ts', args, env);

let moto: Emulator;
let sam: SamTemplate;
let deployed: DeployedStack;
let standIns: Set<string>;

beforeAll(async () => {
  moto = await startMoto();
  sam = synthesizeForSam('lgcns');
  const resources: Record<string, CfnValue> = {};
  standIns = new Set();
  for (const id of referenced(sam)) {
    const type = sam.template.Resources[id]?.Type ?? '';
    const standIn = STAND_IN[type];
    if (standIn) {
      resources[id] = standIn(id);
      standIns.add(id);
    }
  }
  const cfn = new CloudFormationClient(clientConfig(moto.endpoint));
  try {
    await cfn.send(
      new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify({ Resources: resources }) }),
    );
    deployed = await readStack(cfn, STACK);
  } finally {
    cfn.destroy();
  }
}, 300_000);
afterAll(async () => {
  await moto?.stop();
});

describe('sam:env on an emulator', () => {
  it('bootstraps the emulator and writes every function of the local template, each value resolved', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sam-env-out-')), 'env.json');
    const run = samEnv(['--profile', 'lgcns', '--endpoint', moto.endpoint, '--out', out], {});
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Wrote .*env\\.json: ${sam.functions.length} functions, \\d+ variables, from emulator http://127\\.0\\.0\\.1:\\d+\\.\\n`,
      ),
    );
    const file = JSON.parse(readFileSync(out, 'utf8')) as EnvVarsFile;
    expect(Object.keys(file).sort()).toEqual(sam.functions.map((f) => f.logicalId).sort());
    for (const fn of sam.functions)
      expect(Object.keys(file[fn.logicalId]!).sort()).toEqual(Object.keys(fn.variables).sort());
    expect(unresolvedValues(file, sam.template)).toEqual([]);
    expect(file[sam.functions[0]!.logicalId]![ENV.endpoint]).toBe(moto.endpoint);
  }, 300_000);

  it('without an emulator or a running local stack: one line saying what to pass', () => {
    const run = samEnv(['--profile', 'lgcns', '--endpoint', 'http://127.0.0.1:9'], {});
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Nothing answers at http://127.0.0.1:9: start an emulator there (moto_server -p <port>, or npm start) and pass its endpoint.',
    );
  });
});

describe('sam:events', () => {
  it('writes one event file per function of the template, and the index naming each function', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sam-events-')), 'lgcns');
    const run = cli('sam-events.ts', ['--profile', 'lgcns', '--out', dir], {});
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      file: string;
      functionId: string;
    }[];
    expect(index.map((e) => e.functionId).sort()).toEqual(sam.functions.map((f) => f.logicalId).sort());
    for (const entry of index) expect(existsSync(join(dir, entry.file)), entry.file).toBe(true);
    expect(index[0]).toMatchObject({ file: 'get-policy.json', trigger: 'api', access: 'public' });
    expect(cli('sam-events.ts', ['--profile', 'acme'], {}).stderr.trim()).toBe(
      'Unknown profile "acme": choose one of littleone, lgcns.',
    );
  }, 300_000);
});

describe('sam:env --stack', () => {
  it('resolves tables, keys and queues to the physical resources CloudFormation reports, which exist', async () => {
    expect(deployed.region).toBe('ap-northeast-2');
    expect(deployed.resources.map((r) => r.logicalId).sort()).toEqual([...standIns].sort());
    const resolve = stackResolver(deployed);
    const ddb = new DynamoDBClient(clientConfig(moto.endpoint));
    const kms = new KMSClient(clientConfig(moto.endpoint));
    const sqs = new SQSClient(clientConfig(moto.endpoint));
    let checked = 0;
    try {
      for (const fn of sam.functions) {
        for (const [name, value] of Object.entries(fn.variables)) {
          const target = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
          if (!standIns.has(target)) continue;
          const resolved = resolve(name, value, fn);
          if (name.endsWith('_TABLE')) await ddb.send(new DescribeTableCommand({ TableName: resolved }));
          else if (name.endsWith('_KEY_ID')) {
            expect(resolved).toMatch(/^arn:aws:kms:ap-northeast-2:\d{12}:key\//);
            await kms.send(new DescribeKeyCommand({ KeyId: resolved }));
          } else if (name.endsWith('_QUEUE_URL')) {
            await sqs.send(
              new GetQueueAttributesCommand({ QueueUrl: resolved, AttributeNames: ['QueueArn'] }),
            );
          } else throw new Error(`unexpected variable ${name}`);
          checked++;
        }
      }
    } finally {
      for (const client of [ddb, kms, sqs]) client.destroy();
    }
    expect(checked).toBeGreaterThan(100);
    console.info(`sam:env --stack: ${checked} table, key and queue values checked against moto`);
  });

  it('names the variable and the resource when the stack lacks one, instead of writing a guess', () => {
    const resolve = stackResolver(deployed);
    const fn = sam.functions.find((f) => ENV.userPoolId in f.variables)!;
    expect(() => resolve(ENV.userPoolId, fn.variables[ENV.userPoolId], fn)).toThrow(UnresolvedVariable);
    expect(() => resolve(ENV.userPoolId, fn.variables[ENV.userPoolId], fn)).toThrow(
      new RegExp(`${fn.logicalId}: USER_POOL_ID cannot be resolved \\(the stack has no resource Identity`),
    );
  });

  it('with every resource a deployed stack lists, every variable of every function resolves', () => {
    // What CloudFormation lists for the types moto cannot create: ids as AWS shapes them.
    const others = [...referenced(sam)]
      .filter((id) => !standIns.has(id))
      .map((id) => {
        const type = sam.template.Resources[id]!.Type;
        const physicalId =
          type === 'AWS::Cognito::UserPool'
            ? 'ap-northeast-2_AbCdEf123'
            : type === 'AWS::ApiGateway::Stage'
              ? 'prod'
              : `${STACK}-${id.toLowerCase()}`;
        return { logicalId: id, physicalId, type };
      });
    expect(others.map((o) => o.type).sort()).toEqual([
      'AWS::ApiGateway::Stage',
      'AWS::Cognito::UserPool',
      'AWS::Events::EventBus',
      'AWS::S3::Bucket',
      'AWS::SES::ConfigurationSet',
    ]);
    const file = envVarsFile(
      sam.functions,
      stackResolver({ ...deployed, resources: [...deployed.resources, ...others] }),
    );
    expect(unresolvedValues(file, sam.template)).toEqual([]);
    const first = Object.values(file).find((vars) => ENV.policyUrl in vars)!;
    expect(first[ENV.policyUrl]).toMatch(
      /^https:\/\/\w+\.execute-api\.ap-northeast-2\.amazonaws\.com\/prod\/v1\/policy$/,
    );
    // A deployed stack: the functions call AWS itself.
    expect(Object.values(file).every((vars) => vars[ENV.endpoint] === '')).toBe(true);
  });

  it('a stack it cannot read: one line naming the problem and the fix, exit 1', () => {
    const aws = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    };
    const missing = samEnv(['--profile', 'lgcns', '--stack', 'NoSuchStack'], aws);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(
      "Cannot read stack NoSuchStack: no such stack in ap-northeast-2: deploy it first, or name it (the profile's stack is PrivacyStack-lgcns).",
    );
    const anonymous = samEnv(['--profile', 'lgcns', '--stack', STACK], { AWS_ENDPOINT_URL: moto.endpoint });
    expect(anonymous.status).toBe(1);
    expect(anonymous.stderr.trim()).toBe(
      `Cannot read stack ${STACK}: no AWS credentials found: set AWS_PROFILE (or the AWS_ACCESS_KEY_ID pair) for the account the stack is in.`,
    );
    const unknown = samEnv(['--profile', 'acme', '--stack', STACK], aws);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('Unknown profile "acme": choose one of littleone, lgcns.');
  });
});
