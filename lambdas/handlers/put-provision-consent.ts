/**
 * PUT /v1/me/provision-consents/{recipient} — consent, separately, to providing data to a
 * recipient the policy names, or withdraw it (L5/G6); withdrawals are ledgered like any consent's.
 */
import { putProvisionConsentRoute } from '../../model/routes/member';
import { idempotentRequests } from '../adapters/idempotency';
import { memberProvisionConsent } from '../features/consents/provision-consents';
import { catalogueInForce } from '../features/policy-versions/store';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  putProvisionConsentRoute,
  async ({ catalogue: deployed, principal, path, body }) => {
    const now = new Date();
    // A decision records the policy version in force, whose recipients it reads (L1, L18).
    const catalogue = await catalogueInForce(deployed, now);
    return {
      status: 200,
      body: await memberProvisionConsent(catalogue, principal.memberId, path.recipient!, body.granted, now),
    };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
