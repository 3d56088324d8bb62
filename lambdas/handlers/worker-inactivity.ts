/** SQS worker of the inactivity queue: one member per message, each taken one step further (G9). */
import * as z from 'zod/mini';
import { ENV } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { processMember } from '../features/inactivity/engine';
import { catalogueInForce } from '../features/policy-versions/store';
import { requireEnv } from '../runtime/env';
import { queueWorker } from '../runtime/queue-worker';

const catalogue = loadCatalogue(requireEnv(ENV.profile));

const messageSchema = z.strictObject({
  memberId: z.string().check(z.minLength(1), z.maxLength(256)),
  now: z.iso.datetime({ offset: true }),
});

export const handler = queueWorker('inactivity', messageSchema, async (message) => {
  const now = new Date(message.now);
  // The notice names the contacts of the policy version in force (L18).
  return processMember(await catalogueInForce(catalogue, now), message.memberId, now);
});
