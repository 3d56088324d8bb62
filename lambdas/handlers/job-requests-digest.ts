/** Scheduled daily: the overdue-requests metric and the privacy officer's digest email. */
import { catalogueInForce } from '../features/policy-versions/store';
import { runRequestsDigest } from '../features/requests/digest';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('requestsDigest', async ({ now, catalogue }) => ({
  // The digest goes to the officer of the policy version in force (L18).
  ...(await runRequestsDigest(await catalogueInForce(catalogue, now), now)),
}));
