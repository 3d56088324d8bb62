/** SQS worker of the inactivity queue: one member per message, each taken one step further (G9). */
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { processMember } from '../features/inactivity/engine';
import { parseInactivityMessage } from '../features/inactivity/rules';
import { catalogueInForce } from '../features/policy-versions/store';
import { requireEnv } from '../runtime/env';
import { queueWorker } from '../runtime/queue-worker';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

export const handler = queueWorker('inactivity', { parse: parseInactivityMessage }, async (message) => {
  const now = new Date(message.now);
  // The notice names the contacts of the policy version in force (L18).
  return processMember(await catalogueInForce(catalogue, now), message.memberId, now);
});
