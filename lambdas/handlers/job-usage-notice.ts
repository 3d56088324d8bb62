/**
 * Scheduled daily: from the catalogue's due day on, starts or resumes the year's annual notice of
 * usage history (PIPA Art. 20-2) through the notices queue, and records the year finished with
 * its counts once every member has been noticed. A finished year costs one query.
 */
import { runUsageNotices } from '../features/usage-notice/notices';
import { jobHandler } from '../runtime/job';

// The section is the deployed catalogue's: a published version may not change it (L18).
export const handler = jobHandler('usageNotice', async ({ now, catalogue }) => ({
  ...(await runUsageNotices(catalogue, now)),
}));
