/** Scheduled daily: resumes the notice fan-out of the latest policy version where it stopped (L18). */
import { resumeFanOuts } from '../domain/policy-fanout';
import { jobHandler } from '../shared/job';

export const handler = jobHandler('policyNotices', async ({ now, catalogue }) => ({
  ...(await resumeFanOuts(catalogue, now)),
}));
