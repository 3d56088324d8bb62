import { describe, expect, it } from 'vitest';
import { mayIssueTokens, needsMfa, TOTP_MFA } from '../../lambdas/features/officer-mfa/rules';
import { OFFICER_GROUP } from '../../model/routes/route';

describe("G17: the officers' MFA rule", () => {
  it('asks MFA of the officers group only', () => {
    expect(needsMfa([OFFICER_GROUP])).toBe(true);
    expect(needsMfa(['ap-northeast-2_abc_Google', OFFICER_GROUP])).toBe(true);
    expect(needsMfa([])).toBe(false);
    expect(needsMfa(['ap-northeast-2_abc_Google'])).toBe(false);
  });

  it.each([
    ['an officer with an authenticator app', [OFFICER_GROUP], [TOTP_MFA], true],
    ['an officer without MFA', [OFFICER_GROUP], [], false],
    ['an officer with SMS MFA only', [OFFICER_GROUP], ['SMS_MFA'], false],
    ['a member without MFA', [], [], true],
    ['a federated member', ['ap-northeast-2_abc_Google'], [], true],
  ])('%s may be issued tokens: %s', (_, groups, enabled, expected) => {
    expect(mayIssueTokens(groups, enabled)).toBe(expected);
  });
});
