/**
 * Sign-in accounts in the local user pool. In AWS, Cognito creates them at sign-up or first
 * federated sign-in; locally `npm run token -- --account <username>` and the tests create them,
 * so withdrawal has a real account to delete.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { clientConfig } from './bootstrap';

function subOf(attributes: readonly { Name?: string; Value?: string }[] | undefined): string {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
  if (!sub) throw new Error('the user pool returned an account without a sub');
  return sub;
}

/** Creates the account `username` in the pool, or finds it; returns its `sub`, the member id. */
export async function ensureLocalAccount(
  endpoint: string,
  userPoolId: string,
  username: string,
): Promise<string> {
  const cognito = new CognitoIdentityProviderClient(clientConfig(endpoint));
  try {
    try {
      const { User } = await cognito.send(
        new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, MessageAction: 'SUPPRESS' }),
      );
      return subOf(User?.Attributes);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'UsernameExistsException')) throw error;
      const user = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
      );
      return subOf(user.UserAttributes);
    }
  } finally {
    cognito.destroy();
  }
}

/** Whether the pool still holds an account whose `sub` is `memberId`. */
export async function localAccountExists(
  endpoint: string,
  userPoolId: string,
  memberId: string,
): Promise<boolean> {
  const cognito = new CognitoIdentityProviderClient(clientConfig(endpoint));
  try {
    const { Users } = await cognito.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${memberId}"`, Limit: 1 }),
    );
    return (Users?.length ?? 0) > 0;
  } finally {
    cognito.destroy();
  }
}
