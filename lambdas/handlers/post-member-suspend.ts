/** POST /v1/admin/members/{memberId}/suspend — suspend for false information (L12). */
import { postMemberSuspendRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { suspendMember } from '../features/officer/officer';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postMemberSuspendRoute,
  async ({ principal, path, body, recordAccess }) => {
    await recordAccess({ memberId: path.memberId!, reason: body.reason });
    return {
      status: 200,
      body: await suspendMember(path.memberId!, principal.memberId, body.reason, new Date()),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
