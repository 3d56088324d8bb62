/** GET /v1/admin/access-reviews/{month} — a month's review with each officer's evidence. */
import { getAccessReviewRoute } from '../../model/routes/officer';
import { readReview } from '../features/access-review/review';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getAccessReviewRoute,
  async ({ path, recordAccess }) => {
    // Reading the evidence is itself an access to the officers' records it names.
    await recordAccess({ reason: `monthly access review ${path.month}` });
    return { status: 200, body: await readReview(path.month!, new Date()) };
  },
  officerEdge,
);
