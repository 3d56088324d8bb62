/**
 * Cognito pre-token-generation trigger: refuses tokens to a privacy officer whose account has no
 * TOTP MFA enabled (G17), on every profile: lgcns offers MFA to members without requiring it,
 * and a federated account in the officers' group has no Cognito MFA at all. A failure to read
 * the account refuses too: Cognito issues no token when a trigger throws.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { requireOfficerMfa } from '../features/officer-mfa/officer-mfa';
import { logger } from '../runtime/logger';

export const handler = async (
  event: PreTokenGenerationTriggerEvent,
): Promise<PreTokenGenerationTriggerEvent> => {
  try {
    await requireOfficerMfa({
      userPoolId: event.userPoolId,
      username: event.userName,
      groups: event.request.groupConfiguration?.groupsToOverride ?? [],
    });
  } catch (error) {
    // The username is a login ID: only the outcome is logged.
    logger.warn('tokens refused', { source: event.triggerSource, error: (error as Error).name });
    throw error;
  }
  return event;
};
