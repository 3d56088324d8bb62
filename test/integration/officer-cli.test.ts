/**
 * `npm run officer` against moto's Cognito: the CLI is a child process whose calls all go to
 * the emulator; the user pool is read back to check what it did.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
  ListUsersInGroupCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { OFFICER_GROUP } from '../../model/routes/route';
import { emulatorEnv, runScript } from '../support/cli';

let moto: Emulator;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  moto = await startMoto();
  cognito = new CognitoIdentityProviderClient(clientConfig(moto.endpoint));
});
afterAll(async () => {
  await moto?.stop();
});

/** A pool as a stack makes it: TOTP required, with or without the officers' group. */
async function pool(options: { mfa?: 'ON' | 'OPTIONAL'; group?: boolean } = {}): Promise<string> {
  const made = await cognito.send(new CreateUserPoolCommand({ PoolName: 'privacy-littleone' }));
  const id = made.UserPool!.Id!;
  await cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: id,
      MfaConfiguration: options.mfa ?? 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  if (options.group ?? true)
    await cognito.send(new CreateGroupCommand({ UserPoolId: id, GroupName: OFFICER_GROUP }));
  return id;
}

const officer = (args: readonly string[]) => runScript('officer', args, emulatorEnv(moto.endpoint));

async function members(id: string): Promise<string[]> {
  const page = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: id, GroupName: OFFICER_GROUP }));
  return (page.Users ?? []).map((u) => u.Username!);
}

describe('npm run officer', () => {
  it(
    'creates an officer with a verified email in the officers group of a TOTP pool',
    { timeout: 120_000 },
    async () => {
      const id = await pool();
      const run = await officer([
        'create',
        '--profile',
        'littleone',
        '--email',
        'Officer@Example.org',
        '--user-pool-id',
        id,
      ]);

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.lines[0]).toBe(
        `Created officer officer@example.org in user pool ${id}, in group ${OFFICER_GROUP}.`,
      );
      expect(run.stdout).toMatch(/MFA is required \(authenticator app, TOTP\).*MFA_SETUP/);
      const user = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: id, Username: 'officer@example.org' }),
      );
      const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      expect(attributes).toMatchObject({ email: 'officer@example.org', email_verified: 'true' });
      expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      expect(await members(id)).toEqual(['officer@example.org']);
    },
  );

  it(
    'creates the officers group when the pool lacks it, and is safe to run twice',
    { timeout: 120_000 },
    async () => {
      const id = await pool({ group: false });
      const first = await officer([
        'create',
        '--profile',
        'lgcns',
        '--email',
        'dpo@example.org',
        '--user-pool-id',
        id,
      ]);
      const second = await officer([
        'create',
        '--profile',
        'lgcns',
        '--email',
        'dpo@example.org',
        '--user-pool-id',
        id,
      ]);

      expect(first.code).toBe(0);
      expect(first.lines[0]).toBe(`Created the ${OFFICER_GROUP} group in user pool ${id}.`);
      expect(second.code).toBe(0);
      expect(second.lines[0]).toBe(
        `dpo@example.org already had an account in user pool ${id}; it is now in group ${OFFICER_GROUP}.`,
      );
      expect(await members(id)).toEqual(['dpo@example.org']);
    },
  );

  it('finds the user pool in the stack outputs of the profile', { timeout: 120_000 }, async () => {
    const id = await pool();
    await new CloudFormationClient(clientConfig(moto.endpoint)).send(
      new CreateStackCommand({
        StackName: 'PrivacyStack-littleone',
        TemplateBody: JSON.stringify({
          Resources: { Nothing: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
          Outputs: { UserPoolId: { Value: id } },
        }),
      }),
    );
    const run = await officer(['create', '--profile', 'littleone', '--email', 'stack@example.org']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await members(id)).toEqual(['stack@example.org']);
  });

  it('refuses a pool where MFA is optional, creating nobody', { timeout: 120_000 }, async () => {
    const id = await pool({ mfa: 'OPTIONAL' });
    const run = await officer([
      'create',
      '--profile',
      'lgcns',
      '--email',
      'nomfa@example.org',
      '--user-pool-id',
      id,
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `User pool ${id} has MFA OPTIONAL: an officer could sign in without a second factor, so none was created. Deploy a stack that requires TOTP MFA of officers, then run this again.\n`,
    );
    expect(await members(id)).toEqual([]);
  });

  it(
    'lists officers with their status, and removes one: out of the group, disabled',
    { timeout: 120_000 },
    async () => {
      const id = await pool();
      await officer(['create', '--profile', 'littleone', '--email', 'a@example.org', '--user-pool-id', id]);
      await officer(['create', '--profile', 'littleone', '--email', 'b@example.org', '--user-pool-id', id]);
      const listed = await officer(['list', '--profile', 'littleone', '--user-pool-id', id]);
      const removed = await officer([
        'remove',
        '--profile',
        'littleone',
        '--email',
        'a@example.org',
        '--user-pool-id',
        id,
      ]);

      expect(listed.lines).toEqual([
        'a@example.org  FORCE_CHANGE_PASSWORD  enabled  TOTP not set up yet',
        'b@example.org  FORCE_CHANGE_PASSWORD  enabled  TOTP not set up yet',
        `2 officers in group ${OFFICER_GROUP} of user pool ${id}.`,
      ]);
      expect(removed.code).toBe(0);
      expect(await members(id)).toEqual(['b@example.org']);
      const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'a@example.org' }));
      expect(user.Enabled).toBe(false);
    },
  );

  it.each([
    [['create', '--profile', 'littleone'], /^--email is required\. Usage: npm run officer -- /],
    [
      ['create', '--profile', 'littleone', '--email', 'not-an-address', '--user-pool-id', 'x'],
      /^--email "not-an-address" is not an email address\.$/,
    ],
    [
      ['create', '--profile', 'acme', '--email', 'a@example.org'],
      /^Unknown profile "acme": choose one of littleone, lgcns\.$/,
    ],
    [['promote', '--profile', 'littleone'], /^Usage: npm run officer -- create\|list\|remove/],
    [
      ['list', '--profile', 'lgcns', '--stack', 'NoSuchStack'],
      /^Stack NoSuchStack does not exist in ap-northeast-2: deploy it first \(npx cdk deploy -c profile=lgcns\), or pass --user-pool-id\.$/,
    ],
    [
      ['list', '--profile', 'lgcns', '--user-pool-id', 'ap-northeast-2_nothing'],
      /^Not found: .*\(ResourceNotFoundException\)\.$/,
    ],
  ])('answers %j with one line and exit code 1', { timeout: 120_000 }, async (args, message) => {
    const run = await officer(args);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([expect.stringMatching(message), '']);
  });
});
