/**
 * The app refuses to synthesize what must not be deployed, in one line, and its compliance
 * checks fail a synth on any finding nobody acknowledged.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildOrExplain, createPrivacyApp, stackName } from '../../lib/app-factory';
import { addComplianceChecks } from '../../lib/compliance';
import { CatalogueError, parseCatalogue, profiles } from '../../policy/catalogue';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs bin/app.ts as the CDK CLI would, with a clean AWS environment. */
async function runApp(env: Record<string, string>, context: Record<string, unknown>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_)/.test(k)));
  try {
    const { stdout, stderr } = await run(`${ROOT}node_modules/.bin/tsx`, ['bin/app.ts'], {
      cwd: ROOT,
      env: { ...clean, ...env, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What buildOrExplain reports, and whether it built anything. */
function explain(options: Parameters<typeof buildOrExplain>[0]) {
  const lines: string[] = [];
  const built = buildOrExplain({ complianceChecks: false, env: {}, ...options }, (line) => lines.push(line));
  return { built, lines };
}

describe('the app', () => {
  it('names the stack after the profile', () => {
    expect(stackName('lgcns')).toBe('PrivacyStack-lgcns');
  });

  it('refuses an unknown profile in one line naming it and the choices', () => {
    const { built, lines } = explain({ context: { profile: 'nope' } });
    expect(built).toBeUndefined();
    expect(lines).toEqual(['unknown profile "nope": choose one of littleone, lgcns']);
  });

  it('refuses an invalid catalogue in one line naming the entry at fault', () => {
    const broken = {
      ...profiles.littleone,
      recordClasses: { ...profiles.littleone.recordClasses, accessLog: 'gone' },
    };
    const { built, lines } = explain({
      context: { profile: 'littleone' },
      loadCatalogue: () => parseCatalogue(broken, 'profile littleone'),
    });
    expect(built).toBeUndefined();
    expect(lines).toEqual([
      'profile littleone: recordClasses.accessLog names unknown retention class "gone"',
    ]);
  });

  it.each([
    ['a -c region= context', { region: 'us-east-1' }, {}],
    ['AWS_REGION', {}, { AWS_REGION: 'us-east-1' }],
    [
      'CDK_DEFAULT_REGION with AWS_DEFAULT_REGION',
      {},
      { AWS_DEFAULT_REGION: 'us-east-1', CDK_DEFAULT_REGION: 'us-east-1' },
    ],
  ])('refuses another region named by %s, before building a stack', (_, context, env) => {
    const { built, lines } = explain({ context: { profile: 'lgcns', ...context }, env });
    expect(built).toBeUndefined();
    expect(lines).toEqual([
      'Refusing to synthesize: region us-east-1 is not allowed; this stack deploys only to ap-northeast-2 (Seoul).',
    ]);
  });

  it('lets any other error through with its stack trace: only configuration errors are explained', () => {
    const boom = () => {
      throw new TypeError('bug');
    };
    expect(() => explain({ loadCatalogue: boom })).toThrow(TypeError);
    expect(() =>
      createPrivacyApp({
        env: {},
        loadCatalogue: () => {
          throw new CatalogueError('x');
        },
      }),
    ).toThrow(CatalogueError);
  });

  it('pins the stack to Seoul whatever account the CLI found', () => {
    const { stack } = createPrivacyApp({
      context: { profile: 'lgcns', 'aws:cdk:bundling-stacks': [] },
      env: {},
      complianceChecks: false,
    });
    expect(stack.region).toBe('ap-northeast-2');
    expect(stack.stackName).toBe('PrivacyStack-lgcns');
  });
});

describe('bin/app.ts', () => {
  it('exits 1 with one line on stderr when asked for another region or an unknown profile', async () => {
    const [region, profile] = await Promise.all([
      runApp({ AWS_REGION: 'us-east-1', CDK_DEFAULT_REGION: 'us-east-1' }, { profile: 'littleone' }),
      runApp({}, { profile: 'nope' }),
    ]);
    expect(region.code).toBe(1);
    expect(region.stderr.trim().split('\n')).toEqual([
      'Refusing to synthesize: region us-east-1 is not allowed; this stack deploys only to ap-northeast-2 (Seoul).',
    ]);
    expect(profile.code).toBe(1);
    expect(profile.stderr.trim().split('\n')).toEqual([
      'unknown profile "nope": choose one of littleone, lgcns',
    ]);
  });
});

describe('compliance checks', () => {
  it('fail the synth on a finding nobody acknowledged, in each of the three packs', () => {
    const app = new App();
    const stack = new Stack(app, 'Unchecked', { env: { region: 'ap-northeast-2' } });
    new Queue(stack, 'Plain', { encryption: QueueEncryption.UNENCRYPTED });
    new CfnLogGroup(stack, 'Forever');
    addComplianceChecks(app);
    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    }
    expect((failure as Error | undefined)?.name).toBe('ValidationFailed');
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
    const rules = report.pluginReports.flatMap((r: { violations: { ruleName: string }[] }) =>
      r.violations.map((v) => v.ruleName),
    );
    expect(rules).toEqual(
      // One finding of each pack: all three run.
      expect.arrayContaining([
        'AwsSolutions-SQS2',
        'Serverless-SQSRedrivePolicy',
        'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      ]),
    );
  });
});
