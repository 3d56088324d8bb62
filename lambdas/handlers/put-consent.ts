/** PUT /v1/me/consents/{purpose} — grant or withdraw an optional purpose (L1, G2); withdrawals are ledgered. */
import { putConsentRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { decideConsent } from '../features/consents/consents';
import { catalogueInForce } from '../features/policy-versions/store';
import { consentWithdrawalSummary, selfService } from '../features/requests/rights';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  putConsentRoute,
  async ({ catalogue: deployed, principal, path, body }) => {
    const now = new Date();
    // A decision records the policy version in force (L1, L18).
    const catalogue = await catalogueInForce(deployed, now);
    const decide = () => decideConsent(catalogue, principal.memberId, path.purpose!, body.granted, now);
    // Withdrawals are rights requests; a grant is a decision, recorded in the consent history.
    const result = body.granted
      ? await decide()
      : await selfService(
          catalogue,
          principal.memberId,
          'consent-withdrawal',
          now,
          decide,
          consentWithdrawalSummary,
        );
    return { status: 200, body: result };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
