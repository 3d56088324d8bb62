/** POST /v1/admin/requests — log a request received by letter, phone or email (L14/G10). */
import { postRequestRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { requireMemberData } from '../features/members/store';
import { logOfflineRequest } from '../features/requests/ledger';
import { withArticle } from '../features/requests/rules';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postRequestRoute,
  async ({ catalogue, principal, body, headers, recordAccess }) => {
    await recordAccess({
      memberId: body.memberId,
      reason: `intake of ${withArticle(body.type)} request by ${body.channel}`,
    });
    await requireMemberData(body.memberId);
    return {
      status: 201,
      body: await logOfflineRequest(
        catalogue,
        principal.memberId,
        body,
        new Date(),
        headers['idempotency-key'],
      ),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
