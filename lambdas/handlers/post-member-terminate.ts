/** POST /v1/admin/members/{memberId}/terminate — end an under-age membership at once (L11/G13). */
import { postMemberTerminateRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { terminateUnderAge } from '../features/officer/officer';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postMemberTerminateRoute,
  async ({ catalogue, path, body, recordAccess }) => {
    await recordAccess({ memberId: path.memberId!, reason: body.reason });
    return { status: 200, body: await terminateUnderAge(catalogue, path.memberId!, new Date()) };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
