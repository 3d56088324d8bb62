/** DELETE /v1/me/restriction — lift a restriction, telling the member first (L16). */
import { deleteRestrictionRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { liftRestriction } from '../features/restriction/restriction';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  deleteRestrictionRoute,
  async ({ catalogue, principal }) => ({
    status: 200,
    body: await liftRestriction(catalogue, principal.memberId, new Date()),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
