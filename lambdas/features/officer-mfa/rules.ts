/**
 * Who must use MFA (G17): a privacy officer reaches every member's data, so an officer's tokens
 * are issued only to an account with TOTP MFA enabled, on every profile, whether the pool
 * requires MFA of everyone (littleone) or offers it to members (lgcns). Pure.
 */
import { OFFICER_GROUP } from '../../../model/routes/route';

/** The MFA setting Cognito lists for an enabled authenticator app (TOTP). */
export const TOTP_MFA = 'SOFTWARE_TOKEN_MFA';

/** Whether an account in `groups` needs TOTP MFA to be issued tokens. */
export function needsMfa(groups: readonly string[]): boolean {
  return groups.includes(OFFICER_GROUP);
}

/** Whether an account whose enabled MFA methods are `enabled` may be issued tokens. */
export function mayIssueTokens(groups: readonly string[], enabled: readonly string[]): boolean {
  return !needsMfa(groups) || enabled.includes(TOTP_MFA);
}
