/** POST /v1/members — join (L1, L2/G1, G2, L3, L11/G13). */
import { idempotentRequests } from '../adapters/idempotency';
import { join } from '../features/members/join';
import type { JoinRequest } from '../features/members/rules';
import { catalogueInForce } from '../features/policy-versions/store';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute<JoinRequest>(
  'post-members',
  async ({ catalogue, principal, body }) => {
    const now = new Date();
    // The member joins under the policy version in force, and the consents record it (L1, L3, L18).
    return { status: 201, body: await join(await catalogueInForce(catalogue, now), principal!, body, now) };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
