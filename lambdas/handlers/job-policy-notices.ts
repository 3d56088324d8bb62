/** Scheduled daily: resumes the notice fan-out of the latest policy version where it stopped (L18). */
import { resumeFanOuts } from '../features/policy-versions/fanout';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('policyNotices', async ({ now, catalogue }) => ({
  ...(await resumeFanOuts(catalogue, now)),
}));
