/**
 * POST /v1/me/corrections/{correctionId}/confirm — complete a pending correction; recipients of
 * the item are then told the corrected result (L15/G11).
 */

import { idempotentRequests } from '../adapters/idempotency';
import { confirmCorrection } from '../domain/correct';
import { propagateAfter } from '../domain/provisions';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute<{ code: string }>(
  'confirm-correction',
  async ({ catalogue, principal, path, body }) => {
    const now = new Date();
    const memberId = principal!.memberId;
    const done = await confirmCorrection(memberId, path.correctionId!, body.code, now);
    await propagateAfter(catalogue, memberId, [done.item], path.correctionId!, now);
    return { status: 200, body: done };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
