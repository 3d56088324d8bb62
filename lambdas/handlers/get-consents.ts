/** GET /v1/me/consents — every purpose, its legal basis, the decision and its history (L1, L16). */
import { getConsentsRoute } from '../../model/routes/member';
import { consentViews } from '../features/members/rules';
import { requireMemberData } from '../features/members/store';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getConsentsRoute,
  async ({ catalogue, principal }) => ({
    status: 200,
    body: { consents: consentViews(catalogue, await requireMemberData(principal.memberId)) },
  }),
  memberEdge,
);
