/** GET /v1/admin/members/{memberId}?reason= — a member's data, for a stated and recorded reason. */
import { getAdminMemberRoute } from '../../model/routes/officer';
import { viewMember } from '../features/members/view';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getAdminMemberRoute,
  async ({ catalogue, path, query, recordAccess }) => {
    await recordAccess({ memberId: path.memberId!, reason: query.reason });
    return { status: 200, body: await viewMember(catalogue, path.memberId!, new Date()) };
  },
  officerEdge,
);
