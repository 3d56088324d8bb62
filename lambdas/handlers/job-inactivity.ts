/** Scheduled daily: queues every member whose inactivity notice or destruction is due (G9). */
import { queueCandidates } from '../features/inactivity/engine';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('inactivity', async ({ now }) => ({ ...(await queueCandidates(now)) }));
