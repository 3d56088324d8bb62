/** The MFA methods a sign-in account has enabled, read from the Cognito user pool. */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SEOUL_REGION } from '../../../policy/schema';
import { awsCall } from '../../adapters/aws-call';

let client: CognitoIdentityProviderClient | undefined;

/** The user pool client, built on first use: most tokens are members', which need no call. */
function cognito(): CognitoIdentityProviderClient {
  client ??= new CognitoIdentityProviderClient({ region: SEOUL_REGION });
  return client;
}

/**
 * The MFA methods `username` has enabled in `userPoolId` (e.g. `SOFTWARE_TOKEN_MFA`). Any failure,
 * an account that is not there included, fails closed.
 */
export async function enabledMfa(userPoolId: string, username: string): Promise<string[]> {
  const out = await awsCall('cognito', () =>
    cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })),
  );
  return out.UserMFASettingList ?? [];
}
