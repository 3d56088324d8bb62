/** POST /v1/me/purchases — record a purchase; kept as a payment record for its legal period (L10). */
import { type Purchase, recordPurchase } from '../domain/service-records';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<Purchase>(
  'post-purchase',
  async ({ catalogue, principal, body, headers }) => ({
    status: 201,
    body: await recordPurchase(catalogue, principal!.memberId, body, new Date(), headers['idempotency-key']),
  }),
);
