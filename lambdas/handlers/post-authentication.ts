/**
 * Cognito post-authentication trigger: records the member's last sign-in (G9). The local front
 * invokes it the same way when a token is first used on a day. A failure fails the sign-in, so
 * an active member can never look inactive to the retention engine.
 */
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { recordSignIn } from '../features/members/sign-in';
import { requireEnv } from '../runtime/env';
import { logger } from '../runtime/logger';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

export const handler = async (
  event: PostAuthenticationTriggerEvent,
): Promise<PostAuthenticationTriggerEvent> => {
  const memberId = event.request.userAttributes.sub;
  if (memberId) {
    const written = await recordSignIn(catalogue, memberId, new Date());
    logger.info('sign-in recorded', { written });
  }
  return event;
};
