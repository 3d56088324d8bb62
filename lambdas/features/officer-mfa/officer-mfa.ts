/**
 * The officers' MFA check, run by the pre-token-generation trigger before Cognito issues any
 * token: an officer's account without TOTP MFA gets none, so officer routes are never reached
 * with a password alone. Members' tokens cost no call.
 */
import { Forbidden } from '../../runtime/errors';
import { mayIssueTokens, needsMfa } from './rules';
import { enabledMfa } from './store';

/** The account Cognito is about to issue tokens to. */
export interface TokenRequest {
  readonly userPoolId: string;
  readonly username: string;
  /** The account's groups, as Cognito reports them to the trigger. */
  readonly groups: readonly string[];
}

/**
 * Returns when tokens may be issued; throws {@link Forbidden} for an officer without TOTP MFA,
 * and a dependency failure when the account's settings cannot be read (fail closed).
 */
export async function requireOfficerMfa(request: TokenRequest): Promise<void> {
  if (!needsMfa(request.groups)) return;
  const enabled = await enabledMfa(request.userPoolId, request.username);
  if (!mayIssueTokens(request.groups, enabled)) {
    throw new Forbidden(
      'MFA required',
      'Privacy officers sign in with an authenticator app (TOTP MFA); enable it before joining the officers group.',
    );
  }
}
