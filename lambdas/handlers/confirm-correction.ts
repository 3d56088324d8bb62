/**
 * POST /v1/me/corrections/{correctionId}/confirm — complete a pending correction; recipients of
 * the item are then told the corrected result (L15/G11).
 */

import { confirmCorrectionRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { confirmCorrection } from '../features/corrections/correct';
import { propagateAfter } from '../features/provisions/provisions';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  confirmCorrectionRoute,
  async ({ catalogue, principal, path, body }) => {
    const now = new Date();
    const memberId = principal.memberId;
    const done = await confirmCorrection(memberId, path.correctionId!, body.code, now);
    await propagateAfter(catalogue, memberId, [done.item], path.correctionId!, now);
    return { status: 200, body: done };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
