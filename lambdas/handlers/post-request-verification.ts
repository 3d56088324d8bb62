/** POST /v1/admin/requests/{requestId}/verification — record identity-verification evidence. */
import { idempotentRequests } from '../adapters/idempotency';
import type { VERIFICATION_METHODS } from '../api/officer-routes';
import { requireRequest, verifyRequest } from '../domain/requests';
import { httpRoute } from '../shared/http';
import { officerEdge } from '../shared/officer-edge';

type Body = { method: (typeof VERIFICATION_METHODS)[number]; reference: string };

export const handler = httpRoute<Body>(
  'post-request-verification',
  async ({ principal, path, body, recordAccess }) => {
    const request = await requireRequest(path.requestId!);
    await recordAccess({
      memberId: request.memberId,
      requestId: request.requestId,
      reason: `identity verified: ${body.method}`,
    });
    return {
      status: 200,
      body: await verifyRequest(request.requestId, principal!.memberId, body, new Date()),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
