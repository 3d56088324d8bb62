/** PATCH /v1/me/babies/{babyId} — correct a baby's items. */
import { patchBabyRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { correctBaby } from '../features/babies/babies';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  patchBabyRoute,
  async ({ catalogue, principal, path, body }) => ({
    status: 200,
    body: await correctBaby(catalogue, principal.memberId, path.babyId!, body.items),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
