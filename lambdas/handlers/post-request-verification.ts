/** POST /v1/admin/requests/{requestId}/verification — record identity-verification evidence. */

import { postRequestVerificationRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { verifyRequest } from '../features/requests/ledger';
import { requireRequest } from '../features/requests/store';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postRequestVerificationRoute,
  async ({ principal, path, body, recordAccess }) => {
    const request = await requireRequest(path.requestId!);
    await recordAccess({
      memberId: request.memberId,
      requestId: request.requestId,
      reason: `identity verified: ${body.method}`,
    });
    return {
      status: 200,
      body: await verifyRequest(request.requestId, principal.memberId, body, new Date()),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
