/** Scheduled daily: destroys vault records whose legal retention period has ended. */
import { sweepVault } from '../domain/vault-sweeper';
import { jobHandler } from '../shared/job';

export const handler = jobHandler('retention', async ({ now }) => ({ ...(await sweepVault(now)) }));
