/** POST /v1/admin/requests/{requestId}/actions — fulfil a verified request (L14/G10, L16). */
import { postRequestActionRoute } from '../../model/routes/officer';
import { actOnRequest, type RequestAction } from '../features/officer/officer';
import { catalogueInForce } from '../features/policy-versions/store';
import { actionRefusal, claimRefusal, withArticle } from '../features/requests/rules';
import { requireRequest } from '../features/requests/store';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

/** What the access record says the action was for: the officer's own words where there are any. */
function reasonOf(body: RequestAction, type: string): string {
  switch (body.action) {
    case 'export':
      return body.downloadReason;
    case 'refuse':
      return `refused: ${body.reason}`;
    default:
      return `${body.action} answering ${withArticle(type)} request`;
  }
}

export const handler = httpRoute(
  postRequestActionRoute,
  async ({ catalogue, principal, path, body, recordAccess }) => {
    const request = await requireRequest(path.requestId!);
    const now = new Date();
    // G17: an action refused before it touches the member says so in its access record.
    const refusal = claimRefusal(request, now) ?? actionRefusal(request.type, body.action);
    await recordAccess({
      memberId: request.memberId,
      requestId: request.requestId,
      reason: refusal
        ? `refused, nothing done (${refusal.title}): ${body.action} on ${withArticle(request.type)} request`
        : reasonOf(body, request.type),
      // The monthly review lists each download with its reason (Korean safety standard Art. 8).
      ...(!refusal && body.action === 'export' ? { download: true } : {}),
    });
    if (refusal) throw refusal;
    // Exports and consent withdrawals state the policy version in force (L18).
    const inForce = await catalogueInForce(catalogue, now);
    const outcome = await actOnRequest(inForce, request, principal.memberId, body, now);
    return {
      status: 200,
      body: outcome,
      ...(body.action === 'export'
        ? {
            headers: {
              'content-disposition': `attachment; filename="personal-data-${request.requestId}-${now.toISOString().slice(0, 10)}.json"`,
            },
          }
        : {}),
    };
  },
  officerEdge,
);
