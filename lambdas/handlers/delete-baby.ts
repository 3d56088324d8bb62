/** DELETE /v1/me/babies/{babyId} — delete a baby. */
import { deleteBabyRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { deleteBaby } from '../features/babies/babies';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  deleteBabyRoute,
  async ({ catalogue, principal, path }) => {
    await deleteBaby(catalogue, principal.memberId, path.babyId!);
    return { status: 204 };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
