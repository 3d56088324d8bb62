/** POST /v1/admin/breaches — record a personal-data breach; both clocks and the member notices start (PIPA Art. 34). */
import { postBreachRoute } from '../../model/routes/breaches';
import { idempotentRequests } from '../adapters/idempotency';
import { recordBreach } from '../features/breaches/breaches';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postBreachRoute,
  async ({ catalogue, principal, body, headers, recordAccess }) => {
    await recordAccess({ reason: body.reason });
    return {
      status: 201,
      body: await recordBreach(catalogue, principal.memberId, body, new Date(), headers['idempotency-key']),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
