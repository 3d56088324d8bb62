/** DELETE /v1/me/babies/{babyId} — delete a baby. */
import { idempotentRequests } from '../adapters/idempotency';
import { deleteBaby } from '../domain/babies';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute(
  'delete-baby',
  async ({ principal, path }) => {
    await deleteBaby(principal!.memberId, path.babyId!);
    return { status: 204 };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
