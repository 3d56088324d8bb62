/**
 * Scheduled daily: queues every member whose inactivity notice or destruction is due (G9), by the
 * period of the policy version in force (L18). A profile that switches the rule off has no
 * schedule; run anyway, the job does nothing and says so.
 */
import { queueCandidates } from '../features/inactivity/engine';
import { catalogueInForce } from '../features/policy-versions/store';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('inactivity', async ({ now, catalogue }) => ({
  ...(await queueCandidates(catalogue, await catalogueInForce(catalogue, now), now)),
}));
