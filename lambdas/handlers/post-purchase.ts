/** POST /v1/me/purchases — record a purchase; kept as a payment record for its legal period (L10). */
import { idempotentRequests } from '../adapters/idempotency';
import { type Purchase, recordPurchase } from '../domain/service-records';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute<Purchase>(
  'post-purchase',
  async ({ catalogue, principal, body, headers }) => ({
    status: 201,
    body: await recordPurchase(catalogue, principal!.memberId, body, new Date(), headers['idempotency-key']),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
