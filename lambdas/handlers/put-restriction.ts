/** PUT /v1/me/restriction — restrict or object to processing (L16); ledgered. */
import { putRestrictionRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { restrictionSummary, selfService } from '../features/requests/rights';
import { restrict } from '../features/restriction/restriction';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  putRestrictionRoute,
  async ({ catalogue, principal, body }) => {
    const now = new Date();
    const result = await selfService(
      catalogue,
      principal.memberId,
      'restriction',
      now,
      () => restrict(catalogue, principal.memberId, body.scope, body.reason, now),
      restrictionSummary,
    );
    return { status: 200, body: result };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
