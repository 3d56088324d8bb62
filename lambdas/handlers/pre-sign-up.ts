/**
 * Cognito pre-sign-up trigger: confirms a new ID-and-password account. The pool keeps no email
 * or phone (they live encrypted in the members table, L13/G15), so Cognito has nothing to send a
 * confirmation code to; the member proves nothing more by confirming, and joins with consent
 * through POST /v1/members.
 */
import type { PreSignUpTriggerEvent } from 'aws-lambda';

export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = false;
  event.response.autoVerifyPhone = false;
  return event;
};
