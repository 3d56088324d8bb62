/**
 * PATCH /v1/me — correct items; verified ones become pending corrections (L15/G11). Recipients
 * of corrected items are told the corrected result; the request goes in the ledger.
 */
import { randomUUID } from 'node:crypto';
import { correctMember } from '../domain/correct';
import { propagateCorrection } from '../domain/provisions';
import { recordSelfService } from '../domain/requests';
import { httpRoute } from '../shared/http';

type Body = { items: Record<string, string | null | undefined> };

export const handler = httpRoute<Body>('patch-me', async ({ catalogue, principal, body }) => {
  const now = new Date();
  const memberId = principal!.memberId;
  const result = await correctMember(catalogue, memberId, body.items, now);
  await propagateCorrection(catalogue, memberId, result.corrected, randomUUID(), now);
  await recordSelfService(
    catalogue,
    memberId,
    'correction',
    `corrected: ${result.corrected.join(',') || '-'}; removed: ${result.removed.join(',') || '-'}; pending: ${result.pending.map((p) => p.item).join(',') || '-'}`,
    now,
  );
  return { status: 200, body: result };
});
