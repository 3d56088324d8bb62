/** GET /v1/admin/provisions?member= — a member's provisions and the correction notices sent. */
import { getProvisionsRoute } from '../../model/routes/officer';
import { provisionsOf } from '../features/provisions/provisions';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getProvisionsRoute,
  async ({ query, recordAccess }) => {
    await recordAccess({ memberId: query.member, reason: 'provision review' });
    return { status: 200, body: await provisionsOf(query.member) };
  },
  officerEdge,
);
