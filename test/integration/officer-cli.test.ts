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
  DescribeUserPoolCommand,
  ListUsersInGroupCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { OFFICER_GROUP } from '../../model/routes/route';
import { emulatorEnv, runScript } from '../support/cli';
import { enableTotp, passwordClient, setPassword } from '../support/cognito-accounts';

let moto: Emulator;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  moto = await startMoto();
  cognito = new CognitoIdentityProviderClient(clientConfig(moto.endpoint));
});
afterAll(async () => {
  await moto?.stop();
});

/** The ARN of the officers' MFA check, as lgcns's stack attaches it. */
const TRIGGER_ARN =
  'arn:aws:lambda:ap-northeast-2:123456789012:function:PrivacyStack-lgcns-PreTokenGeneration';

/**
 * A pool as a stack makes it: TOTP required (littleone), or optional with the pre-token-generation
 * trigger (lgcns, `trigger: true`); with or without the officers' group.
 */
async function pool(
  options: { mfa?: 'ON' | 'OPTIONAL' | 'OFF'; group?: boolean; trigger?: boolean } = {},
): Promise<string> {
  const made = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: options.trigger ? 'privacy-lgcns' : 'privacy-littleone',
      ...(options.trigger ? { LambdaConfig: { PreTokenGeneration: TRIGGER_ARN } } : {}),
    }),
  );
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

/** `npm run officer -- <command>` for one account of the pool `id`. */
const onPool = (command: string, profile: string, email: string, id: string) =>
  officer([command, '--profile', profile, '--email', email, '--user-pool-id', id]);

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
      const run = await onPool('create', 'littleone', 'Officer@Example.org', id);

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
      const first = await onPool('create', 'lgcns', 'dpo@example.org', id);
      const second = await onPool('create', 'lgcns', 'dpo@example.org', id);

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

  it(
    'refuses a pool where MFA is optional and no trigger checks officers, creating nobody',
    { timeout: 120_000 },
    async () => {
      const id = await pool({ mfa: 'OPTIONAL' });
      const run = await onPool('create', 'lgcns', 'nomfa@example.org', id);

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `User pool ${id} has MFA OPTIONAL and no pre-token-generation trigger: an officer could sign in without a second factor, so none was created. Deploy the profile's stack (it requires TOTP of officers), then run this again.\n`,
      );
      expect(await members(id)).toEqual([]);
      await expect(
        cognito.send(new AdminGetUserCommand({ UserPoolId: id, Username: 'nomfa@example.org' })),
      ).rejects.toMatchObject({ name: 'UserNotFoundException' });

      // MFA off: no officer could enrol an app, whatever trigger the pool has.
      const off = await pool({ mfa: 'OFF', trigger: true });
      const refused = await onPool('create', 'lgcns', 'nomfa@example.org', off);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `User pool ${off} has MFA OFF: an officer could not enrol an authenticator app, so none was created. Deploy the profile's stack (it requires TOTP of officers), then run this again.\n`,
      );
    },
  );

  it(
    'on a pool with optional MFA and the trigger: creates the account outside the group, prints the enrolment, and grants only once TOTP is enabled',
    { timeout: 180_000 },
    async () => {
      const id = await pool({ mfa: 'OPTIONAL', trigger: true });
      // moto keeps the trigger the stack attached, as DescribeUserPool reports it in AWS.
      const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: id }));
      expect(described.UserPool?.LambdaConfig?.PreTokenGeneration).toBe(TRIGGER_ARN);
      const email = 'dpo@lgcns.example';
      const args = ['--profile', 'lgcns', '--email', email, '--user-pool-id', id];

      const created = await officer(['create', ...args]);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.lines[0]).toBe(
        `Created account ${email} in user pool ${id}, NOT yet in group ${OFFICER_GROUP}: it joins once its authenticator app is enabled.`,
      );
      expect(created.stdout).toContain(
        `npm run -s signin -- --profile lgcns --username ${email} --access-token`,
      );
      for (const step of [
        'aws cognito-idp associate-software-token --region ap-northeast-2 --access-token "$T"',
        'aws cognito-idp verify-software-token --region ap-northeast-2 --access-token "$T" --user-code',
        'aws cognito-idp set-user-mfa-preference --region ap-northeast-2 --access-token "$T" --software-token-mfa-settings Enabled=true,PreferredMfa=true',
        `Then: npm run officer -- grant --profile lgcns --email ${email}`,
      ])
        expect(created.stdout).toContain(step);
      expect(await members(id)).toEqual([]);
      const listed = await officer(['list', '--profile', 'lgcns', '--user-pool-id', id]);
      expect(listed.lines).toEqual([`0 officers in group ${OFFICER_GROUP} of user pool ${id}.`]);

      const early = await officer(['grant', ...args]);
      expect(early.code).toBe(1);
      expect(early.stdout).toBe('');
      expect(early.stderr.split('\n')).toEqual([
        `${email} has no authenticator app (TOTP MFA) enabled yet, so it was not added to group ${OFFICER_GROUP}: the officer enables one first (the steps \`npm run officer -- create\` printed), then run this again.`,
        '',
      ]);
      expect(await members(id)).toEqual([]);

      // The officer's steps, on moto: a password of their own, then the app enrolled with their access token.
      await setPassword(cognito, id, email);
      await enableTotp(cognito, {
        userPoolId: id,
        clientId: await passwordClient(cognito, id),
        username: email,
      });

      const granted = await officer(['grant', ...args]);
      expect(granted.stderr).toBe('');
      expect(granted.code).toBe(0);
      expect(granted.lines).toEqual([
        `${email} has TOTP MFA enabled and is now in group ${OFFICER_GROUP} of user pool ${id}.`,
      ]);
      expect(await members(id)).toEqual([email]);
      const after = await officer(['list', '--profile', 'lgcns', '--user-pool-id', id]);
      expect(after.lines).toEqual([
        `${email}  CONFIRMED  enabled  TOTP set up`,
        `1 officer in group ${OFFICER_GROUP} of user pool ${id}.`,
      ]);
    },
  );

  it('grant names an unknown account in one line', { timeout: 120_000 }, async () => {
    const id = await pool();
    const unknown = await onPool('grant', 'littleone', 'ghost@example.org', id);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Not found: .*\(UserNotFoundException\)\.\n$/);
  });

  it(
    'lists officers with their status, and removes one: out of the group, disabled',
    { timeout: 120_000 },
    async () => {
      const id = await pool();
      await onPool('create', 'littleone', 'a@example.org', id);
      await onPool('create', 'littleone', 'b@example.org', id);
      const listed = await officer(['list', '--profile', 'littleone', '--user-pool-id', id]);
      const removed = await onPool('remove', 'littleone', 'a@example.org', id);

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
    [['promote', '--profile', 'littleone'], /^Usage: npm run officer -- create\|grant\|list\|remove/],
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
