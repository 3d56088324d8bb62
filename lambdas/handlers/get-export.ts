/** GET /v1/me/export — a machine-readable export, as a download (L16 portability); ledgered. */
import { catalogueInForce } from '../domain/policy-versions';
import { selfService } from '../domain/requests';
import { exportMember } from '../domain/view';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute(
  'get-export',
  async ({ catalogue: deployed, principal }) => {
    const now = new Date();
    // The export names the policy version in force (L18).
    const catalogue = await catalogueInForce(deployed, now);
    const body = await selfService(
      catalogue,
      principal!.memberId,
      'portability',
      now,
      () => exportMember(catalogue, principal!.memberId, now),
      () => 'export produced',
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
