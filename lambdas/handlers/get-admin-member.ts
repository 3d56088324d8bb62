/** GET /v1/admin/members/{memberId}?reason= — a member's data, for a stated and recorded reason. */
import { viewMember } from '../domain/view';
import { httpRoute } from '../shared/http';
import { officerEdge } from '../shared/officer-edge';

export const handler = httpRoute<never, { reason: string }>(
  'get-admin-member',
  async ({ catalogue, path, query, recordAccess }) => {
    await recordAccess({ memberId: path.memberId!, reason: query.reason });
    return { status: 200, body: await viewMember(catalogue, path.memberId!, new Date()) };
  },
  officerEdge,
);
