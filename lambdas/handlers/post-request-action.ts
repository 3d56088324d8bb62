/** POST /v1/admin/requests/{requestId}/actions — fulfil a verified request (L14/G10, L16). */
import { postRequestActionRoute } from '../../model/routes/officer';
import { actOnRequest, type RequestAction } from '../features/officer/officer';
import { catalogueInForce } from '../features/policy-versions/store';
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
      return `${body.action} answering a ${type} request`;
  }
}

export const handler = httpRoute(
  postRequestActionRoute,
  async ({ catalogue, principal, path, body, recordAccess }) => {
    const request = await requireRequest(path.requestId!);
    await recordAccess({
      memberId: request.memberId,
      requestId: request.requestId,
      reason: reasonOf(body, request.type),
    });
    const now = new Date();
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
