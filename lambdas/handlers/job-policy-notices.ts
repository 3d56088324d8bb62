/**
 * Scheduled hourly: resumes the notice fan-out of the latest policy version where it stopped
 * (L18), and the notices of every open breach; records the breach clocks met and emits the
 * breach deadline metrics the alarms watch (PIPA Art. 34; GDPR Art. 33).
 */
import { runBreachClocks } from '../features/breaches/notices';
import { resumeFanOuts } from '../features/policy-versions/fanout';
import { catalogueInForce } from '../features/policy-versions/store';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('policyNotices', async ({ now, catalogue }) => {
  const policy = await resumeFanOuts(catalogue, now);
  // The breach notices name the contacts of the policy version in force (L18).
  const breaches = await runBreachClocks(await catalogueInForce(catalogue, now), now);
  return { ...policy, ...breaches };
});
