/** POST /v1/admin/provisions — record a provision to a third party (L5/G6, L15/G11). */
import { postProvisionRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { recordProvision } from '../features/provisions/provisions';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postProvisionRoute,
  async ({ catalogue, principal, body, headers, recordAccess }) => {
    await recordAccess({
      memberId: body.memberId,
      reason: `provision to ${body.recipient.name} for ${body.purpose} (${body.basis.type})`,
    });
    return {
      status: 201,
      body: await recordProvision(
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
