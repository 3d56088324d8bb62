/**
 * Members' sign-in accounts in the Cognito user pool. The pool holds no personal data of its own
 * beyond what signing in needs, but an ID-and-password account's username is the member's login
 * ID and a federated account names the member at Google or Apple: withdrawal deletes it. The two
 * calls go as signed requests (signed-fetch.ts), as the SDK's client would send them.
 */
import { ENV } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { awsCall } from './aws-call';
import { jsonAction } from './signed-fetch';

const COGNITO = {
  signingName: 'cognito-idp',
  endpoint: `https://cognito-idp.${SEOUL_REGION}.amazonaws.com`,
  jsonVersion: '1.1',
} as const;
const action = (name: string, input: unknown) =>
  jsonAction(COGNITO, `AWSCognitoIdentityProviderService.${name}`, input);

/** The username of the account whose `sub` is `memberId`, if the pool still has one. */
async function usernameOf(userPoolId: string, memberId: string): Promise<string | undefined> {
  // Cognito subs are UUIDs; dropping quotes keeps a malformed id from escaping the filter.
  const out = (await awsCall('cognito', () =>
    action('ListUsers', {
      UserPoolId: userPoolId,
      Filter: `sub = "${memberId.replaceAll('"', '')}"`,
      Limit: 1,
      AttributesToGet: [],
    }),
  )) as { Users?: { Username?: string }[] };
  return out.Users?.[0]?.Username;
}

/**
 * Deletes the sign-in account of `memberId`. An account already gone counts as deleted, so a
 * rerun after a crash, or a member whose account an operator removed, completes.
 */
export async function deleteSignInAccount(memberId: string): Promise<void> {
  const userPoolId = requireEnv(ENV.userPoolId);
  const username = await usernameOf(userPoolId, memberId);
  if (username === undefined) return;
  try {
    await awsCall(
      'cognito',
      () => action('AdminDeleteUser', { UserPoolId: userPoolId, Username: username }),
      ['UserNotFoundException'],
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'UserNotFoundException')) throw error;
  }
}
