/**
 * `npm run preflight` as a new user runs it, against a moto server: the CLI is a child process
 * whose AWS calls all go to the emulator. Each failure a first deploy would meet is set up in
 * the emulator and must come out as one line naming the problem and the command that fixes it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import {
  type CliRun,
  emulatorEnv,
  runScript,
  type SesAccountProxy,
  startSesAccountProxy,
} from '../support/cli';

const REGION = 'ap-northeast-2';
const ACCOUNT = '123456789012';
const DOMAIN = 'littleone.example.org';
/** Real-looking federation ids, so no placeholder warning hides among the findings. */
const CONTEXT = [
  ['senderDomain', DOMAIN],
  ['googleClientId', '123456789012-abc.apps.googleusercontent.com'],
  ['appleServicesId', 'org.example.littleone.signin'],
  ['appleTeamId', 'TEAM123456'],
  ['appleKeyId', 'KEY1234567'],
].flatMap(([key, value]) => ['-c', `${key}=${value}`]);
const GOOGLE = 'privacy/littleone/google-client-secret';
const APPLE = 'privacy/littleone/apple-private-key';

const p8 = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;

let moto: Emulator;
let proxy: SesAccountProxy;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startSesAccountProxy(moto.endpoint);
});
afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});
beforeEach(async () => {
  await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  proxy.account.productionAccess = true;
  proxy.account.sendingEnabled = true;
  proxy.stackIdentities.clear();
});

/** Puts what a ready account holds: a bootstrap, and the secrets named in `secrets`. */
async function seed(options: { bootstrap?: string | null; secrets?: Record<string, string> } = {}) {
  const config = clientConfig(moto.endpoint);
  const bootstrap = options.bootstrap === undefined ? '30' : options.bootstrap;
  if (bootstrap !== null) {
    await new SSMClient(config).send(
      new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: bootstrap, Type: 'String' }),
    );
  }
  const secrets = options.secrets ?? { [GOOGLE]: 'GOCSPX-abcdefghijklmnopqrstuvwxyz12', [APPLE]: p8() };
  const client = new SecretsManagerClient(config);
  for (const [name, value] of Object.entries(secrets)) {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  }
}

const preflight = (args: readonly string[], env: Record<string, string> = emulatorEnv(proxy.endpoint)) =>
  runScript('preflight', args, env);

/** Preflight of littleone with the federation ids, then `extra` flags. */
const littleone = (extra: readonly string[] = [], env?: Record<string, string>) =>
  preflight(['--profile', 'littleone', ...CONTEXT, ...extra], env);

/** An SES identity for the sender domain, made outside any stack (as a console user would). */
const createDomainIdentity = () =>
  new SESv2Client(clientConfig(moto.endpoint)).send(
    new CreateEmailIdentityCommand({ EmailIdentity: DOMAIN }),
  );

const failures = (run: CliRun) => run.lines.filter((line) => line.startsWith('FAIL'));
const warnings = (run: CliRun) => run.lines.filter((line) => line.startsWith('WARN'));

/** No Node or SDK stack trace anywhere in what the user saw. */
function expectNoStackTrace(run: CliRun) {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
}

describe('npm run preflight', () => {
  it(
    'passes a littleone account that is ready, naming every check it made',
    { timeout: 180_000 },
    async () => {
      await seed();
      const run = await littleone();

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.lines).toEqual([
        `Preflight of profile littleone in ${REGION} (AWS_ENDPOINT_URL=${proxy.endpoint})`,
        `ok    region ${REGION}`,
        expect.stringMatching(new RegExp(`^ok {4}credentials of arn:aws:\\S+ \\(account ${ACCOUNT}\\)$`)),
        'ok    CDK bootstrap version 30 (needs 6 or later)',
        `ok    secret ${GOOGLE}`,
        `ok    secret ${APPLE}`,
        `ok    SES identity ${DOMAIN}: none yet, the stack creates it (then publish the DKIM records it outputs)`,
        'ok    SES production access (out of the sandbox)',
        `Ready to deploy (0 warnings): npx cdk deploy -c profile=littleone ${CONTEXT.join(' ')}`,
      ]);
      expect(proxy.getAccountCalls()).toBeGreaterThan(0);
    },
  );

  it('asks lgcns, a password profile, for no federation secret', { timeout: 180_000 }, async () => {
    await seed({ secrets: {} });
    const run = await preflight(['--profile', 'lgcns', '-c', 'senderDomain=lgcns.example.org']);

    expect(run.code).toBe(0);
    expect(run.lines).toContain('ok    no federation secrets: profile lgcns signs in with password');
    expect(run.stdout).not.toContain('secret privacy/');
  });

  it('fails on a missing secret, with the create-secret command for it', { timeout: 180_000 }, async () => {
    await seed({ secrets: { [GOOGLE]: 'GOCSPX-abcdefghijklmnopqrstuvwxyz12' } });
    const run = await littleone();

    expect(run.code).toBe(1);
    expect(failures(run)).toEqual([
      `FAIL  secret ${APPLE} does not exist. Fix: aws secretsmanager create-secret --region ${REGION} --name ${APPLE} --secret-string file://AuthKey_KEY1234567.p8`,
    ]);
    expect(run.lines.at(-1)).toBe('1 problem would make `cdk deploy` fail; 0 warnings.');
    expectNoStackTrace(run);
  });

  it(
    'fails on a malformed Apple key and a Google secret with a line break',
    { timeout: 180_000 },
    async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string;
      await seed({ secrets: { [GOOGLE]: 'GOCSPX-abcdefghijklmnopqrstuvwxyz12\n', [APPLE]: rsa } });
      const run = await littleone();

      expect(run.code).toBe(1);
      expect(failures(run)).toEqual([
        `FAIL  secret ${GOOGLE} holds whitespace or a line break; store the client secret alone, on one line. Fix: aws secretsmanager put-secret-value --region ${REGION} --secret-id ${GOOGLE} --secret-string "$(cat google-client-secret.txt)"`,
        `FAIL  secret ${APPLE} is a rsa key, not the P-256 EC key Sign in with Apple issues. Fix: aws secretsmanager put-secret-value --region ${REGION} --secret-id ${APPLE} --secret-string file://AuthKey_KEY1234567.p8`,
      ]);
    },
  );

  it('fails when the caller names a region other than Seoul', { timeout: 180_000 }, async () => {
    await seed();
    const run = await littleone([], {
      ...emulatorEnv(proxy.endpoint),
      AWS_REGION: 'us-east-1',
    });

    expect(run.code).toBe(1);
    expect(failures(run)).toEqual([
      `FAIL  region us-east-1 is not allowed: this stack deploys only to ${REGION}, and the app refuses to synthesize elsewhere. Fix: export AWS_REGION=${REGION} AWS_DEFAULT_REGION=${REGION} (and \`aws configure set region ${REGION}\`), without --region or -c region naming another.`,
    ]);
  });

  it(
    'fails on an account that is not bootstrapped, or bootstrapped too long ago',
    { timeout: 240_000 },
    async () => {
      await seed({ bootstrap: null });
      const none = await littleone();
      await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
      await seed({ bootstrap: '5' });
      const old = await littleone();

      expect(none.code).toBe(1);
      expect(failures(none)).toEqual([
        `FAIL  ${REGION} of account ${ACCOUNT} is not bootstrapped for the CDK (no SSM parameter /cdk-bootstrap/hnb659fds/version). Fix: npx cdk bootstrap aws://${ACCOUNT}/${REGION}`,
      ]);
      expect(old.code).toBe(1);
      expect(failures(old)).toEqual([
        `FAIL  CDK bootstrap version 5 in ${REGION} is older than the 6 this app needs. Fix: npx cdk bootstrap aws://${ACCOUNT}/${REGION}`,
      ]);
    },
  );

  it(
    'fails when the sender domain is an SES identity the stack did not create',
    { timeout: 180_000 },
    async () => {
      await seed();
      await createDomainIdentity();
      const run = await littleone();

      expect(run.code).toBe(1);
      expect(failures(run)).toEqual([
        `FAIL  SES identity ${DOMAIN} already exists outside stack PrivacyStack-littleone: creating the stack would fail with "already exists". Fix: -c senderIdentity=existing to send from it as it is; or use another domain (-c senderDomain=littleone.${DOMAIN}); or, if nothing sends from it, aws sesv2 delete-email-identity --region ${REGION} --email-identity ${DOMAIN}`,
      ]);
    },
  );

  it(
    "fails when the other profile's stack owns the sender domain's identity, fixed by senderIdentity=existing",
    { timeout: 180_000 },
    async () => {
      await seed();
      await createDomainIdentity();
      proxy.stackIdentities.set('PrivacyStack-lgcns', [DOMAIN]);
      const create = await littleone();

      expect(create.code).toBe(1);
      expect(failures(create)).toEqual([
        `FAIL  SES identity ${DOMAIN} belongs to stack PrivacyStack-lgcns: creating it again in stack PrivacyStack-littleone would fail with "already exists". Fix: -c senderIdentity=existing (this stack then sends from PrivacyStack-lgcns's identity, which keeps it)`,
      ]);

      const existing = await littleone(['-c', 'senderIdentity=existing']);
      expect(existing.stderr).toBe('');
      expect(existing.code).toBe(0);
      expect(failures(existing)).toEqual([]);
      // moto verifies no identity for sending: the one it holds is pending, as before DKIM is published.
      expect(warnings(existing)).toEqual([
        `WARN  SES identity ${DOMAIN} is not verified yet (DKIM NOT_STARTED): mail routes answer 503 until it is. Fix: publish its DKIM CNAMEs (aws sesv2 get-email-identity --region ${REGION} --email-identity ${DOMAIN} lists the tokens) in the DNS of ${DOMAIN}`,
      ]);
      expect(existing.lines.at(-1)).toBe(
        `Ready to deploy (1 warning): npx cdk deploy -c profile=littleone ${CONTEXT.join(' ')} -c senderIdentity=existing`,
      );
    },
  );

  it(
    'fails with senderIdentity=existing when the account has no identity for the sender domain',
    { timeout: 180_000 },
    async () => {
      await seed();
      const run = await littleone(['-c', 'senderIdentity=existing']);

      expect(run.code).toBe(1);
      expect(failures(run)).toEqual([
        `FAIL  SES identity ${DOMAIN} does not exist, and senderIdentity=existing tells the stack not to create it: no notice could be sent. Fix: -c senderIdentity=create to let the stack create it; or aws sesv2 create-email-identity --region ${REGION} --email-identity ${DOMAIN}, then publish the DKIM CNAMEs it returns`,
      ]);
      expectNoStackTrace(run);
    },
  );

  it(
    'fails with senderIdentity=existing when this very stack created the identity, which the deploy would delete',
    { timeout: 180_000 },
    async () => {
      await seed();
      await createDomainIdentity();
      proxy.stackIdentities.set('PrivacyStack-littleone', [DOMAIN]);
      const existing = await littleone(['-c', 'senderIdentity=existing']);
      const create = await littleone();

      expect(existing.code).toBe(1);
      expect(failures(existing)).toEqual([
        `FAIL  SES identity ${DOMAIN} was created by stack PrivacyStack-littleone: with senderIdentity=existing the deploy would remove it from the stack, which deletes it, and no notice could be sent. Fix: -c senderIdentity=create (the default) for this stack`,
      ]);
      expect(create.code).toBe(0);
      expect(warnings(create)).toEqual([
        `WARN  SES identity ${DOMAIN} is not verified yet (DKIM NOT_STARTED): mail routes answer 503 until it is. Fix: publish the CNAMEs of the stack outputs DkimRecord1-3 in the DNS of ${DOMAIN}`,
      ]);
    },
  );

  it(
    'warns, without failing, that a sandboxed SES account makes every mail route answer 503',
    { timeout: 180_000 },
    async () => {
      await seed();
      proxy.account.productionAccess = false;
      const run = await littleone();

      expect(run.code).toBe(0);
      expect(warnings(run)).toEqual([
        `WARN  SES account is in the sandbox in ${REGION}: it sends only to verified addresses, so every mail route answers 503 until you leave it. Fix: aws sesv2 put-account-details --region ${REGION} --production-access-enabled --mail-type TRANSACTIONAL --website-url https://${DOMAIN} --use-case-description "Privacy notices to members"`,
      ]);
    },
  );

  it(
    'warns when the endpoint does not serve SESv2 GetAccount (moto itself), instead of failing',
    { timeout: 180_000 },
    async () => {
      await seed();
      const run = await littleone([], emulatorEnv(moto.endpoint));

      expect(run.code).toBe(0);
      expect(warnings(run)).toEqual([
        `WARN  ${moto.endpoint} does not serve reading the SES account (sesv2 get-account) (HTTP 404 without an AWS answer).`,
      ]);
    },
  );

  describe('with no credentials anywhere', () => {
    let trap: Server;
    let connections = 0;
    let home: string;
    beforeAll(async () => {
      // Where the CLI would send its first request: a listener that counts connections.
      trap = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
      home = mkdtempSync(join(tmpdir(), 'preflight-home-'));
    });
    afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())));

    /** No AWS variable but the endpoint and region, an empty HOME, and no instance metadata. */
    const bareEnv = (extra: Record<string, string> = {}) => {
      const address = trap.address() as { port: number };
      return {
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${address.port}`,
        AWS_REGION: REGION,
        ...extra,
      };
    };

    it(
      'prints one line telling how to get credentials, before any request leaves',
      { timeout: 180_000 },
      async () => {
        const run = await littleone([], bareEnv());

        expect(run.code).toBe(1);
        expect(run.stderr).toBe(
          'No AWS credentials found: run `aws configure sso` (or `aws configure`), export AWS_PROFILE=<that profile>, then run this again.\n',
        );
        expect(connections).toBe(0);
        expectNoStackTrace(run);
      },
    );

    it('names an AWS profile that does not exist', { timeout: 180_000 }, async () => {
      const run = await littleone([], bareEnv({ AWS_PROFILE: 'ghost' }));

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'No AWS credentials for AWS_PROFILE=ghost: run `aws configure sso --profile ghost` (or `aws sso login --profile ghost`), then run this again.\n',
      );
      expect(connections).toBe(0);
    });
  });

  it('refuses an unknown profile in one line', { timeout: 120_000 }, async () => {
    const run = await preflight(['--profile', 'acme']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Unknown profile "acme": choose one of littleone, lgcns.\n');
  });
});
