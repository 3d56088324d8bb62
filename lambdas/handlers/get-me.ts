/** GET /v1/me — everything held about the member (L14/G10); the request goes in the ledger. */

import { hasPhotos } from '../../model/photos';
import { getMeRoute } from '../../model/routes/member';
import { requireMemberData } from '../features/members/store';
import { viewMember } from '../features/members/view';
import { photosOf } from '../features/photos/photos';
import { selfService, viewSummary } from '../features/requests/rights';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getMeRoute,
  async ({ catalogue, principal }) => {
    const now = new Date();
    // Read first: a caller who is not (or no longer) a member gets 404 and no ledger record.
    const data = await requireMemberData(principal.memberId);
    const view = await selfService(
      catalogue,
      principal.memberId,
      'access',
      now,
      async () => ({
        ...(await viewMember(catalogue, principal.memberId, now, undefined, data)),
        // What the photos bucket holds of the member and the babies (L14).
        ...(hasPhotos(catalogue) ? { photos: await photosOf(catalogue, data) } : {}),
      }),
      viewSummary,
    );
    return { status: 200, body: view };
  },
  memberEdge,
);
