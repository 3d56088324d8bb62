/** DELETE /v1/me — withdraw; returns the signed deletion receipt (L7/G7, L8/G8/G12, L9, L10); ledgered. */
import { deleteMeRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { selfService, withdrawalSummary } from '../features/requests/rights';
import { withdraw } from '../features/withdrawal/withdraw';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  deleteMeRoute,
  async ({ catalogue, principal }) => {
    const now = new Date();
    const signed = await selfService(
      catalogue,
      principal.memberId,
      'deletion',
      now,
      () => withdraw(catalogue, principal.memberId, now, 'member'),
      withdrawalSummary,
    );
    return { status: 200, body: signed };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
