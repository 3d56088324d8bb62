/**
 * Scheduled daily: from the catalogue's due day on, starts or resumes the year's annual notice of
 * usage history (PIPA Art. 20-2) through the notices queue, and records the year finished with
 * its counts once every member has been noticed. A finished year costs one query.
 */

import { catalogueInForce } from '../features/policy-versions/store';
import { runUsageNotices } from '../features/usage-notice/notices';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('usageNotice', async ({ now, catalogue }) => ({
  // The due day and the applicability of the policy version in force (L18).
  ...(await runUsageNotices(await catalogueInForce(catalogue, now), now)),
}));
