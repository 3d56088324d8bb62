/** POST /v1/admin/access-reviews/{month}/sign-off — sign a month's review off, once, with a note. */
import { postAccessReviewSignOffRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { signOffReview } from '../features/access-review/review';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postAccessReviewSignOffRoute,
  async ({ principal, path, body, recordAccess }) => {
    await recordAccess({ reason: body.reason });
    return { status: 200, body: await signOffReview(path.month!, principal.memberId, body.note, new Date()) };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
