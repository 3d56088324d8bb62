/** POST /v1/admin/provisions — record a provision to a third party (L5/G6, L15/G11). */
import { idempotentRequests } from '../adapters/idempotency';
import { recordProvision } from '../features/provisions/provisions';
import type { ProvisionRequest } from '../features/provisions/rules';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute<ProvisionRequest>(
  'post-provision',
  async ({ catalogue, principal, body, headers, recordAccess }) => {
    await recordAccess({
      memberId: body.memberId,
      reason: `provision to ${body.recipient.name} for ${body.purpose} (${body.basis.type})`,
    });
    return {
      status: 201,
      body: await recordProvision(
        catalogue,
        principal!.memberId,
        body,
        new Date(),
        headers['idempotency-key'],
      ),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
