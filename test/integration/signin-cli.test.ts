/**
 * `npm run signin` against moto's Cognito: the SRP call sequence (InitiateAuth USER_SRP_AUTH,
 * then RespondToAuthChallenge PASSWORD_VERIFIER) and the token it prints. moto does not check
 * the SRP proof (its SRP_B is random), so the proof itself is tested in test/unit/srp.test.ts
 * against the server's side of the protocol and a vector from another implementation.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { type Emulator, startMoto } from '../../local/emulator';
import { emulatorEnv, runScript } from '../support/cli';

const PASSWORD = 'Smoke-test-passw0rd!';
let moto: Emulator;
let cognito: CognitoIdentityProviderClient;
let pool: string;
let client: string;
let sub: string;

beforeAll(async () => {
  moto = await startMoto();
  cognito = new CognitoIdentityProviderClient(clientConfig(moto.endpoint));
  pool = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'privacy-lgcns' }))).UserPool!.Id!;
  client = (
    await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!.ClientId!;
  // A member signs up as the app would; the stack's pre-sign-up trigger confirms the account.
  sub = (await cognito.send(new SignUpCommand({ ClientId: client, Username: 'smoke-1', Password: PASSWORD })))
    .UserSub!;
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'smoke-1' }));
});
afterAll(async () => {
  await moto?.stop();
});

const signin = (args: readonly string[], env: Record<string, string> = {}, input?: string) =>
  runScript('signin', args, { ...emulatorEnv(moto.endpoint), ...env }, input);

describe('npm run signin', () => {
  it('signs a member in with SRP and prints the ID token alone', { timeout: 60_000 }, async () => {
    const run = await signin(
      ['--profile', 'lgcns', '--username', 'smoke-1', '--user-pool-id', pool, '--client-id', client],
      { COGNITO_PASSWORD: PASSWORD },
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    const claims = decodeJwt(run.lines[0]!);
    expect(claims).toMatchObject({ sub, token_use: 'id' });
  });

  it(
    'prints the access token instead with --access-token, for enrolling an authenticator app',
    { timeout: 60_000 },
    async () => {
      const run = await signin(
        [
          '--profile',
          'lgcns',
          '--username',
          'smoke-1',
          '--access-token',
          '--user-pool-id',
          pool,
          '--client-id',
          client,
        ],
        { COGNITO_PASSWORD: PASSWORD },
      );

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.lines).toHaveLength(1);
      expect(decodeJwt(run.lines[0]!)).toMatchObject({ sub, token_use: 'access' });
    },
  );

  it('reads the password from stdin when COGNITO_PASSWORD is not set', { timeout: 60_000 }, async () => {
    const run = await signin(
      ['--profile', 'lgcns', '--username', 'smoke-1', '--user-pool-id', pool, '--client-id', client],
      {},
      `${PASSWORD}\n`,
    );

    expect(run.code).toBe(0);
    expect(decodeJwt(run.lines[0]!).sub).toBe(sub);
  });

  it('reads the pool and client from the stack outputs of the profile', { timeout: 60_000 }, async () => {
    await new CloudFormationClient(clientConfig(moto.endpoint)).send(
      new CreateStackCommand({
        StackName: 'PrivacyStack-lgcns',
        TemplateBody: JSON.stringify({
          Resources: { Nothing: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
          Outputs: { UserPoolId: { Value: pool }, UserPoolClientId: { Value: client } },
        }),
      }),
    );
    const run = await signin(['--profile', 'lgcns', '--username', 'smoke-1'], { COGNITO_PASSWORD: PASSWORD });

    expect(run.code).toBe(0);
    expect(decodeJwt(run.lines[0]!).sub).toBe(sub);
  });

  it('says what to do when the account must first choose a new password', { timeout: 60_000 }, async () => {
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: 'new-officer', TemporaryPassword: PASSWORD }),
    );
    const run = await signin(
      ['--profile', 'lgcns', '--username', 'new-officer', '--user-pool-id', pool, '--client-id', client],
      { COGNITO_PASSWORD: PASSWORD },
    );

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'This account must choose a new password first (its first sign-in): sign in once in your app, then run this again.\n',
    );
  });

  it.each([
    [
      ['--profile', 'lgcns'],
      { COGNITO_PASSWORD: PASSWORD },
      /^Usage: COGNITO_PASSWORD=… npm run -s signin -- /,
    ],
    [
      ['--profile', 'lgcns', '--username', 'smoke-1', '--user-pool-id', 'x'],
      { COGNITO_PASSWORD: PASSWORD },
      /^Pass both --user-pool-id and --client-id, or neither\.$/,
    ],
    [
      ['--profile', 'lgcns', '--username', 'smoke-1', '--stack', 'Nope'],
      { COGNITO_PASSWORD: PASSWORD },
      /^Stack Nope does not exist in ap-northeast-2: /,
    ],
    [
      ['--profile', 'lgcns', '--username', 'smoke-1', '--stack', 'Nope'],
      {},
      /^No password: set COGNITO_PASSWORD or pipe it on stdin\.$/,
    ],
  ])('answers %j with one line and exit code 1', { timeout: 60_000 }, async (args, env, message) => {
    const run = await signin(args, env);

    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([expect.stringMatching(message), '']);
  });

  it('refuses an unknown user in one line', { timeout: 60_000 }, async () => {
    const run = await signin(
      ['--profile', 'lgcns', '--username', 'nobody', '--user-pool-id', pool, '--client-id', client],
      { COGNITO_PASSWORD: PASSWORD },
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Sign-in refused: wrong username or password, or a disabled account (UserNotFoundException).\n',
    );
  });
});
