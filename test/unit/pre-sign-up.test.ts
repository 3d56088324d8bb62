import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../lambdas/handlers/pre-sign-up';

describe('pre-sign-up trigger', () => {
  it('confirms the account without claiming a verified email or phone', async () => {
    const event = { request: { userAttributes: {} }, response: {} } as unknown as PreSignUpTriggerEvent;
    const out = await handler(event);
    expect(out.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
  });
});
