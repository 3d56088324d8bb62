/** POST /v1/admin/breaches/{breachId}/actions — record a filing with a regulator, or close the breach. */
import { postBreachActionRoute } from '../../model/routes/breaches';
import { idempotentRequests } from '../adapters/idempotency';
import { actOnBreach } from '../features/breaches/breaches';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postBreachActionRoute,
  async ({ catalogue, principal, path, body, recordAccess }) => {
    await recordAccess({
      reason:
        body.action === 'close'
          ? (body.reason ?? 'close a breach')
          : `file breach report with ${body.regulator}`,
    });
    return {
      status: 200,
      body: await actOnBreach(catalogue, path.breachId!, principal.memberId, body, new Date()),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
