/** GET /v1/me — everything held about the member (L14/G10); the request goes in the ledger. */
import { selfService } from '../domain/requests';
import { viewMember } from '../domain/view';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute(
  'get-me',
  async ({ catalogue, principal }) => {
    const now = new Date();
    const view = await selfService(
      catalogue,
      principal!.memberId,
      'access',
      now,
      () => viewMember(catalogue, principal!.memberId, now),
      () => 'member view produced',
    );
    return { status: 200, body: view };
  },
  memberEdge,
);
