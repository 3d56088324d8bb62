/** POST /v1/admin/policy-versions — publish a new policy version; every member is told at once (L18). */
import { postPolicyVersionRoute } from '../../model/routes/officer';
import { idempotentRequests } from '../adapters/idempotency';
import { publishVersion } from '../features/policy-versions/publish';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  postPolicyVersionRoute,
  async ({ catalogue, principal, body, headers, recordAccess }) => {
    await recordAccess({ reason: 'publish a policy version' });
    return {
      status: 201,
      body: await publishVersion(catalogue, principal.memberId, body, new Date(), headers['idempotency-key']),
    };
  },
  { ...officerEdge, idempotency: idempotentRequests },
);
