/** Scheduled daily: destroys vault records whose legal retention period has ended. */
import { sweepVault } from '../features/vault/sweeper';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('retention', async ({ now }) => ({ ...(await sweepVault(now)) }));
