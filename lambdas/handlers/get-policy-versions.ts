/** GET /v1/admin/policy-versions — every published version, its status and its notices' progress (L18). */
import { getPolicyVersionsRoute } from '../../model/routes/officer';
import { describeVersions } from '../features/policy-versions/describe';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getPolicyVersionsRoute,
  async ({ catalogue, recordAccess }) => {
    await recordAccess({ reason: 'list policy versions' });
    return { status: 200, body: await describeVersions(catalogue, new Date()) };
  },
  officerEdge,
);
