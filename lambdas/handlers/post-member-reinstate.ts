/** POST /v1/admin/members/{memberId}/reinstate — lift a suspension (L12). */
import { postMemberReinstateRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { reinstateMember } from '../features/officer/officer';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postMemberReinstateRoute,
  async ({ path, body, recordAccess }) => {
    await recordAccess({ memberId: path.memberId!, reason: body.reason });
    return { status: 200, body: await reinstateMember(path.memberId!, new Date()) };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
