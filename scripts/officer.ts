/**
 * `npm run officer -- create|grant|list|remove --profile <name> [--email E] [--user-pool-id ID | --stack NAME]`:
 * manages privacy officers on the Cognito admin API of a deployed stack. An officer is a native
 * account in the officers' group with an authenticator app (TOTP). A pool that requires MFA
 * (littleone) makes the officer register one at first sign-in, so the account joins the group at
 * once. A pool where MFA is optional (lgcns: members sign in with passwords) relies on the
 * pre-token-generation trigger, which issues no token to an officer without TOTP: there the
 * account joins the group only once its app is enabled (`grant`), or it could never sign in to
 * enable one. AWS_ENDPOINT_URL points every call at an emulator.
 */
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserPoolMfaConfigCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CliError, requireProfile, runCli } from '../local/state';
import { OFFICER_GROUP } from '../model/routes/route';
import { loadCatalogue } from '../policy/catalogue';
import { type ClientOptions, clientOptions, errorName, explainAwsError, stackOutputs } from './aws';

const USAGE =
  'Usage: npm run officer -- create|grant|list|remove --profile <name> [--email <address>] [--user-pool-id <id> | --stack <name>]';

/** The MFA setting Cognito lists for an enabled authenticator app. */
const TOTP_MFA = 'SOFTWARE_TOKEN_MFA';

/** The stack output that names the user pool. */
const USER_POOL_OUTPUT = 'UserPoolId';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The user pool to work on: named, or read from the stack's outputs. */
async function userPoolId(
  options: ClientOptions,
  profile: string,
  named: { userPoolId?: string; stack?: string },
): Promise<string> {
  if (named.userPoolId) return named.userPoolId;
  const output = await stackOutputs(options, profile, named.stack, {
    stack: `deploy it first (npx cdk deploy -c profile=${profile}), or pass --user-pool-id.`,
    output: 'pass --user-pool-id.',
  });
  return output(USER_POOL_OUTPUT);
}

/**
 * How the pool keeps officers to TOTP: it requires MFA of every account (`required`), or its
 * pre-token-generation trigger refuses tokens to an officer without it (`trigger`). Refuses a
 * pool that does neither, or that offers no authenticator-app factor to enrol.
 */
async function officerMfa(
  cognito: CognitoIdentityProviderClient,
  pool: string,
): Promise<'required' | 'trigger'> {
  const mfa = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool }));
  const setting = mfa.MfaConfiguration ?? 'OFF';
  if (setting !== 'OFF' && mfa.SoftwareTokenMfaConfiguration?.Enabled !== true) {
    throw new CliError(
      `User pool ${pool} has MFA ${setting} but no authenticator-app (TOTP) factor: an officer could not enrol one, so none was created. Deploy the profile's stack, then run this again.`,
    );
  }
  if (setting === 'ON') return 'required';
  if (setting === 'OFF') {
    throw new CliError(
      `User pool ${pool} has MFA OFF: an officer could not enrol an authenticator app, so none was created. Deploy the profile's stack (it requires TOTP of officers), then run this again.`,
    );
  }
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool }));
  const lambdas = UserPool?.LambdaConfig;
  if (lambdas?.PreTokenGeneration || lambdas?.PreTokenGenerationConfig?.LambdaArn) return 'trigger';
  throw new CliError(
    `User pool ${pool} has MFA ${setting} and no pre-token-generation trigger: an officer could sign in without a second factor, so none was created. Deploy the profile's stack (it requires TOTP of officers), then run this again.`,
  );
}

/** Creates the officers' group where the stack did not (a pool made by hand, an older stack). */
async function ensureGroup(cognito: CognitoIdentityProviderClient, pool: string): Promise<boolean> {
  try {
    await cognito.send(new GetGroupCommand({ UserPoolId: pool, GroupName: OFFICER_GROUP }));
    return false;
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
  }
  await cognito.send(
    new CreateGroupCommand({
      UserPoolId: pool,
      GroupName: OFFICER_GROUP,
      Description: 'Privacy officers: may call officer routes of the privacy API.',
      Precedence: 0,
    }),
  );
  return true;
}

function requireEmail(email: string | undefined): string {
  if (!email) throw new CliError(`--email is required. ${USAGE}`);
  const normalized = email.trim().toLowerCase();
  if (!EMAIL.test(normalized)) throw new CliError(`--email "${email}" is not an email address.`);
  return normalized;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      email: { type: 'string' },
      'user-pool-id': { type: 'string' },
      stack: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (positionals.length !== 1 || !['create', 'grant', 'list', 'remove'].includes(command ?? ''))
    throw new CliError(USAGE);
  if (!values.profile) throw new CliError(`--profile is required. ${USAGE}`);
  if (values['user-pool-id'] && values.stack) throw new CliError('Pass --user-pool-id or --stack, not both.');
  const profile = requireProfile(values.profile);
  const email = command === 'list' ? undefined : requireEmail(values.email);
  const options = clientOptions(loadCatalogue(profile).region);
  const cognito = new CognitoIdentityProviderClient(options);

  try {
    const pool = await userPoolId(options, profile, {
      ...(values['user-pool-id'] ? { userPoolId: values['user-pool-id'] } : {}),
      ...(values.stack ? { stack: values.stack } : {}),
    });
    if (command === 'create') await create(cognito, pool, email!, profile);
    else if (command === 'grant') await grant(cognito, pool, email!);
    else if (command === 'remove') await remove(cognito, pool, email!);
    else await list(cognito, pool);
  } catch (error) {
    const name = errorName(error);
    if (name === 'ResourceNotFoundException' || name === 'UserNotFoundException') {
      throw new CliError(`Not found: ${String((error as Error).message).split('\n')[0]} (${name}).`);
    }
    throw explainAwsError(error, `running officer ${command}`);
  }
});

async function create(cognito: CognitoIdentityProviderClient, pool: string, email: string, profile: string) {
  const mfa = await officerMfa(cognito, pool);
  if (await ensureGroup(cognito, pool)) say(`Created the ${OFFICER_GROUP} group in user pool ${pool}.`);
  let created = true;
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
  } catch (error) {
    if (errorName(error) !== 'UsernameExistsException') throw error;
    created = false;
  }
  if (mfa === 'required') {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: email, GroupName: OFFICER_GROUP }),
    );
    if (created) {
      say(`Created officer ${email} in user pool ${pool}, in group ${OFFICER_GROUP}.`);
      say(`Cognito has emailed ${email} a temporary password.`);
    } else {
      say(`${email} already had an account in user pool ${pool}; it is now in group ${OFFICER_GROUP}.`);
    }
    say(
      'MFA is required (authenticator app, TOTP): at first sign-in the officer chooses a new password (NEW_PASSWORD_REQUIRED), then registers an authenticator app (MFA_SETUP: AssociateSoftwareToken, then VerifySoftwareToken with a code from the app). Every later sign-in asks for a code.',
    );
    return;
  }
  // An account in the group gets no token before its app is enabled, so it could never enable one.
  say(
    created
      ? `Created account ${email} in user pool ${pool}, NOT yet in group ${OFFICER_GROUP}: it joins once its authenticator app is enabled.`
      : `${email} already had an account in user pool ${pool}; it is not added to group ${OFFICER_GROUP} until its authenticator app is enabled.`,
  );
  if (created) say(`Cognito has emailed ${email} a temporary password.`);
  const region = await cognito.config.region();
  say('MFA is optional in this pool, and the officers group requires TOTP. The officer, once:');
  say('  1. signs in once with the temporary password and chooses a new one (NEW_PASSWORD_REQUIRED);');
  say(
    `  2. T=$(COGNITO_PASSWORD=… npm run -s signin -- --profile ${profile} --username ${email} --access-token)`,
  );
  say(
    `  3. aws cognito-idp associate-software-token --region ${region} --access-token "$T"   # secret for the app`,
  );
  say(
    `  4. aws cognito-idp verify-software-token --region ${region} --access-token "$T" --user-code <code from the app>`,
  );
  say(
    `  5. aws cognito-idp set-user-mfa-preference --region ${region} --access-token "$T" --software-token-mfa-settings Enabled=true,PreferredMfa=true`,
  );
  say(`Then: npm run officer -- grant --profile ${profile} --email ${email}`);
}

/** Adds an account to the officers' group once it has an authenticator app enabled. */
async function grant(cognito: CognitoIdentityProviderClient, pool: string, email: string) {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: email }));
  if (!user.UserMFASettingList?.includes(TOTP_MFA)) {
    throw new CliError(
      `${email} has no authenticator app (TOTP MFA) enabled yet, so it was not added to group ${OFFICER_GROUP}: the officer enables one first (the steps \`npm run officer -- create\` printed), then run this again.`,
    );
  }
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: email, GroupName: OFFICER_GROUP }),
  );
  say(`${email} has TOTP MFA enabled and is now in group ${OFFICER_GROUP} of user pool ${pool}.`);
}

async function list(cognito: CognitoIdentityProviderClient, pool: string) {
  let token: string | undefined;
  let count = 0;
  do {
    const page = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: OFFICER_GROUP, NextToken: token }),
    );
    for (const user of page.Users ?? []) {
      const detail = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: pool, Username: user.Username! }),
      );
      const totp = detail.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA')
        ? 'TOTP set up'
        : 'TOTP not set up yet';
      say(`${user.Username}  ${user.UserStatus}  ${user.Enabled ? 'enabled' : 'disabled'}  ${totp}`);
      count += 1;
    }
    token = page.NextToken;
  } while (token);
  say(`${count} officer${count === 1 ? '' : 's'} in group ${OFFICER_GROUP} of user pool ${pool}.`);
}

async function remove(cognito: CognitoIdentityProviderClient, pool: string, email: string) {
  await cognito.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: email, GroupName: OFFICER_GROUP }),
  );
  // Disabled, not deleted: the access records name this officer, and an audit may need the account.
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: email }));
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: email }));
  say(
    `Removed ${email} from group ${OFFICER_GROUP}, disabled the account and revoked its refresh tokens in user pool ${pool}; an ID token already issued stays valid until it expires (1 hour at most).`,
  );
  say(
    `To delete the account too: aws cognito-idp admin-delete-user --region ${(await cognito.config.region()) ?? ''} --user-pool-id ${pool} --username ${email}`,
  );
}
