/** POST /v1/me/babies — register a baby. */
import { postBabyRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { addBaby } from '../features/babies/babies';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postBabyRoute,
  async ({ catalogue, principal, body, headers }) => ({
    status: 201,
    body: await addBaby(catalogue, principal.memberId, body.items, new Date(), headers['idempotency-key']),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
