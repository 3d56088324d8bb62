/**
 * Scheduled hourly: resumes the notices of open breaches, records the members clock met, and
 * emits the breach deadline metrics the alarms watch (PIPA Art. 34; GDPR Art. 33).
 */
import { runBreachClocks } from '../features/breaches/notices';
import { catalogueInForce } from '../features/policy-versions/store';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('breachClocks', async ({ now, catalogue }) => ({
  ...(await runBreachClocks(await catalogueInForce(catalogue, now), now)),
}));
