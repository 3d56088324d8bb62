/** POST /v1/me/purchases — record a purchase; kept as a payment record for its legal period (L10). */
import { postPurchaseRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { recordPurchase } from '../features/service-records/service-records';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postPurchaseRoute,
  async ({ catalogue, principal, body, headers }) => ({
    status: 201,
    body: await recordPurchase(catalogue, principal.memberId, body, new Date(), headers['idempotency-key']),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
