/** GET /v1/me/export — a machine-readable export, as a download (L16 portability); ledgered. */

import { getExportRoute } from '../../model/routes/member';
import { requireMemberData } from '../features/members/store';
import { exportMember } from '../features/members/view';
import { catalogueInForce } from '../features/policy-versions/store';
import { exportSummary, selfService } from '../features/requests/rights';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getExportRoute,
  async ({ catalogue: deployed, principal }) => {
    const now = new Date();
    // The export names the policy version in force (L18).
    const catalogue = await catalogueInForce(deployed, now);
    // Read first: a caller who is not (or no longer) a member gets 404 and no ledger record.
    const data = await requireMemberData(principal.memberId);
    const body = await selfService(
      catalogue,
      principal.memberId,
      'portability',
      now,
      () => exportMember(catalogue, principal.memberId, now, data),
      exportSummary,
    );
    return {
      status: 200,
      body,
      headers: {
        'content-disposition': `attachment; filename="personal-data-${now.toISOString().slice(0, 10)}.json"`,
      },
    };
  },
  memberEdge,
);
