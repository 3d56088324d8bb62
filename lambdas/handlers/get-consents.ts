/**
 * GET /v1/me/consents — every purpose, its legal basis, the decision and its history (L1, L16),
 * and the decision on each recipient the policy names (L5/G6).
 */
import { getConsentsRoute } from '../../model/routes/member';
import { consentViews, recipientConsentViews } from '../features/members/rules';
import { requireMemberData } from '../features/members/store';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getConsentsRoute,
  async ({ catalogue, principal }) => {
    const data = await requireMemberData(principal.memberId);
    return {
      status: 200,
      body: { consents: consentViews(catalogue, data), recipients: recipientConsentViews(catalogue, data) },
    };
  },
  memberEdge,
);
