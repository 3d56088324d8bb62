/** GET /v1/me/consents — every purpose, its legal basis, the decision and its history (L1, L16). */
import { requireMemberData } from '../domain/member-store';
import { consentViews } from '../domain/view';
import { httpRoute } from '../shared/http';
import { memberEdge } from '../shared/member-edge';

export const handler = httpRoute(
  'get-consents',
  async ({ catalogue, principal }) => ({
    status: 200,
    body: { consents: consentViews(catalogue, await requireMemberData(principal!.memberId)) },
  }),
  memberEdge,
);
