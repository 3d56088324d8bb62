/**
 * `npm run -s signin -- --profile <name> --username <u> [--access-token] [--stack NAME | --user-pool-id ID --client-id ID]`:
 * signs a native account of a deployed user pool in with SRP (the one flow the app client allows)
 * and prints its ID token, e.g. for `npm run smoke`, or its access token with `--access-token`
 * (an officer enrols an authenticator app with it). The password comes from COGNITO_PASSWORD or
 * one line on stdin, never from a flag. AWS_ENDPOINT_URL points the calls at an emulator.
 */
import { parseArgs } from 'node:util';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CliError, requireProfile, runCli } from '../local/state';
import { loadCatalogue } from '../policy/catalogue';
import { type ClientOptions, clientOptions, errorName, explainAwsError, stackOutputs } from './aws';
import { srpClient, type VerifierChallenge } from './srp';

const USAGE =
  'Usage: COGNITO_PASSWORD=… npm run -s signin -- --profile <name> --username <username> [--access-token] [--stack <name> | --user-pool-id <id> --client-id <id>]';

/** The pool and app client: named, or read from the stack's outputs. */
async function poolAndClient(
  options: ClientOptions,
  profile: string,
  named: { userPoolId?: string; clientId?: string; stack?: string },
): Promise<{ userPoolId: string; clientId: string }> {
  if (named.userPoolId && named.clientId) return { userPoolId: named.userPoolId, clientId: named.clientId };
  if (named.userPoolId || named.clientId)
    throw new CliError('Pass both --user-pool-id and --client-id, or neither.');
  const output = await stackOutputs(options, profile, named.stack, {
    stack: 'pass --stack, or --user-pool-id and --client-id.',
    output: 'pass --user-pool-id and --client-id.',
  });
  return { userPoolId: output('UserPoolId'), clientId: output('UserPoolClientId') };
}

/** COGNITO_PASSWORD, or the first line of a piped stdin. */
async function password(): Promise<string> {
  const fromEnv = process.env.COGNITO_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    throw new CliError(
      'Set the password in COGNITO_PASSWORD (e.g. `read -rs COGNITO_PASSWORD && export COGNITO_PASSWORD`) or pipe it on stdin.',
    );
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new CliError('No password: set COGNITO_PASSWORD or pipe it on stdin.');
  return line;
}

/** What to do about a challenge this command does not answer. */
const NEXT_STEP: Readonly<Record<string, string>> = {
  NEW_PASSWORD_REQUIRED:
    'This account must choose a new password first (its first sign-in): sign in once in your app, then run this again.',
  MFA_SETUP:
    'This account must register an authenticator app first (MFA_SETUP): sign in once in your app, then run this again.',
  SOFTWARE_TOKEN_MFA:
    'This account asks for an authenticator code, which this command does not send: use a member account without MFA.',
};

runCli(async () => {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string' },
      username: { type: 'string' },
      'access-token': { type: 'boolean' },
      stack: { type: 'string' },
      'user-pool-id': { type: 'string' },
      'client-id': { type: 'string' },
    },
  });
  if (!values.profile || !values.username) throw new CliError(USAGE);
  const profile = requireProfile(values.profile);
  const options = clientOptions(loadCatalogue(profile).region);
  const secret = await password();
  try {
    const { userPoolId, clientId } = await poolAndClient(options, profile, {
      ...(values['user-pool-id'] ? { userPoolId: values['user-pool-id'] } : {}),
      ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
      ...(values.stack ? { stack: values.stack } : {}),
    });
    const cognito = new CognitoIdentityProviderClient(options);
    const srp = srpClient(userPoolId);
    const started = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: values.username, SRP_A: srp.srpA },
      }),
    );
    if (started.ChallengeName !== 'PASSWORD_VERIFIER') {
      throw new CliError(
        `Cognito answered ${started.ChallengeName ?? 'no challenge'} instead of PASSWORD_VERIFIER.`,
      );
    }
    const answered = await cognito.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: clientId,
        ...(started.Session ? { Session: started.Session } : {}),
        ChallengeResponses: srp.answer(started.ChallengeParameters as unknown as VerifierChallenge, secret),
      }),
    );
    const token = values['access-token']
      ? answered.AuthenticationResult?.AccessToken
      : answered.AuthenticationResult?.IdToken;
    if (!token) {
      const challenge = answered.ChallengeName ?? 'no token';
      throw new CliError(
        NEXT_STEP[challenge] ?? `Cognito answered ${challenge}, which this command does not handle.`,
      );
    }
    process.stdout.write(`${token}\n`);
  } catch (error) {
    const name = errorName(error);
    if (name === 'NotAuthorizedException' || name === 'UserNotFoundException') {
      throw new CliError(`Sign-in refused: wrong username or password, or a disabled account (${name}).`);
    }
    if (name === 'UserNotConfirmedException') throw new CliError('The account is not confirmed yet.');
    throw explainAwsError(error, 'signing in');
  }
});
