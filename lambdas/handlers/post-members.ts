/** POST /v1/members — join (L1, L2/G1, G2, L3, L11/G13). */
import { idempotentRequests } from '../adapters/idempotency';
import { type JoinRequest, join } from '../domain/join';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute<JoinRequest>(
  'post-members',
  async ({ catalogue, principal, body }) => ({
    status: 201,
    body: await join(catalogue, principal!, body, new Date()),
  }),
  { ...memberEdge, idempotency: idempotentRequests },
);
