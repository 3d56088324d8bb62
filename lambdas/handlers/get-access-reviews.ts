/** GET /v1/admin/access-reviews — the monthly reviews of handler access records (Korean safety standard Art. 8). */
import { getAccessReviewsRoute } from '../../model/routes/officer';
import { listReviews } from '../features/access-review/review';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getAccessReviewsRoute,
  async ({ recordAccess }) => {
    await recordAccess({ reason: 'monthly access review' });
    return { status: 200, body: await listReviews(new Date()) };
  },
  officerEdge,
);
