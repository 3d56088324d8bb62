/** POST /v1/admin/requests/{requestId}/extension — extend a GDPR deadline, with a reason. */
import { postRequestExtensionRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { extendRequest } from '../features/requests/ledger';
import { requireRequest } from '../features/requests/store';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postRequestExtensionRoute,
  async ({ catalogue, principal, path, body, headers, recordAccess }) => {
    const request = await requireRequest(path.requestId!);
    await recordAccess({ memberId: request.memberId, requestId: request.requestId, reason: body.reason });
    return {
      status: 200,
      body: await extendRequest(
        catalogue,
        request.requestId,
        principal.memberId,
        body.months,
        body.reason,
        new Date(),
        headers['idempotency-key'],
      ),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
