/** DELETE /v1/me/restriction — lift a restriction, telling the member first (L16). */
import { idempotentRequests } from '../adapters/idempotency';
import { liftRestriction } from '../domain/restriction';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute(
  'delete-restriction',
  async ({ catalogue, principal }) => ({
    status: 200,
    body: await liftRestriction(catalogue, principal!.memberId, new Date()),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
