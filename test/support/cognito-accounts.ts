/**
 * Accounts in an emulator's Cognito user pool as the officer CLI and the officers themselves
 * leave them: a password account (in the officers' group or not), an app client that signs it
 * in through the admin API, and an authenticator app enabled with the account's own token.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { OFFICER_GROUP } from '../../model/routes/route';

/** The password of every test account. */
export const TEST_PASSWORD = 'Correct-Horse-9-Battery';

/** Sets the account's own permanent password, as it has after its first sign-in. */
export async function setPassword(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<void> {
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: TEST_PASSWORD,
      Permanent: true,
    }),
  );
}

/** A password account in the pool, in the officers' group when `officer`. */
export async function passwordAccount(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  officer: boolean,
): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }),
  );
  await setPassword(cognito, userPoolId, username);
  if (officer) {
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: userPoolId,
        Username: username,
        GroupName: OFFICER_GROUP,
      }),
    );
  }
}

/** An app client through which the admin API signs accounts in with a password; its id. */
export async function passwordClient(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  name = 'app',
): Promise<string> {
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: name,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return UserPoolClient!.ClientId!;
}

/**
 * Enables an authenticator app on a password account, as the officer does with their own
 * access token (moto accepts any six-digit code).
 */
export async function enableTotp(
  cognito: CognitoIdentityProviderClient,
  account: { userPoolId: string; clientId: string; username: string },
): Promise<void> {
  const auth = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: account.userPoolId,
      ClientId: account.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: account.username, PASSWORD: TEST_PASSWORD },
    }),
  );
  const AccessToken = auth.AuthenticationResult?.AccessToken;
  expect(AccessToken, 'the account signs in before enrolling an app').toBeDefined();
  await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: '123456' }));
  await cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: account.userPoolId,
      Username: account.username,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
}
