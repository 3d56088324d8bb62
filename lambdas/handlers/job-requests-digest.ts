/** Scheduled daily: the overdue-requests metric and the privacy officer's digest email. */
import { catalogueInForce } from '../domain/policy-versions';
import { runRequestsDigest } from '../domain/requests-digest';
import { jobHandler } from '../shared/job';

export const handler = jobHandler('requestsDigest', async ({ now, catalogue }) => ({
  // The digest goes to the officer of the policy version in force (L18).
  ...(await runRequestsDigest(await catalogueInForce(catalogue, now), now)),
}));
