/** Scheduled daily: the overdue-requests metric and the privacy officer's digest email. */
import { runRequestsDigest } from '../domain/requests-digest';
import { jobHandler } from '../shared/job';

export const handler = jobHandler('requestsDigest', async ({ now, catalogue }) => ({
  ...(await runRequestsDigest(catalogue, now)),
}));
