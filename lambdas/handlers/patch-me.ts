/**
 * PATCH /v1/me — correct items; verified ones become pending corrections (L15/G11). Recipients
 * of corrected items are told the corrected result; the request goes in the ledger. `lang`
 * changes the language the member reads the product in.
 */
import { patchMeRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { correctMember } from '../features/corrections/correct';
import { propagateAfter } from '../features/provisions/provisions';
import { correctionSummary, selfService } from '../features/requests/rights';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';
import { requestScopedId } from '../runtime/request-ids';

export const handler = httpRoute(
  patchMeRoute,
  async ({ catalogue, principal, body, headers }) => {
    const now = new Date();
    const memberId = principal.memberId;
    const key = headers['idempotency-key'];
    // A change of language alone corrects no personal data: no rights request goes in the ledger.
    if (body.items === undefined) {
      return { status: 200, body: await correctMember(catalogue, memberId, {}, now, key, body.lang) };
    }
    const result = await selfService(
      catalogue,
      memberId,
      'correction',
      now,
      () => correctMember(catalogue, memberId, body.items ?? {}, now, key, body.lang),
      correctionSummary,
    );
    // Named by the Idempotency-Key, so a re-run of this request reaches no recipient twice.
    await propagateAfter(
      catalogue,
      memberId,
      result.corrected,
      requestScopedId('correction', memberId, key),
      now,
    );
    return { status: 200, body: result };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
