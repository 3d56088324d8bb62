/** DELETE /v1/me/babies/{babyId} — delete a baby. */
import { idempotentRequests } from '../adapters/idempotency';
import { deleteBaby } from '../features/babies/babies';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  'delete-baby',
  async ({ principal, path }) => {
    await deleteBaby(principal!.memberId, path.babyId!);
    return { status: 204 };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
