/** Scheduled daily: queues every member whose inactivity notice or destruction is due (G9). */
import { queueCandidates } from '../domain/inactivity-engine';
import { jobHandler } from '../shared/job';

export const handler = jobHandler('inactivity', async ({ now }) => ({ ...(await queueCandidates(now)) }));
