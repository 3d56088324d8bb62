/** PUT /v1/me/consents/{purpose} — grant or withdraw an optional purpose (L1, G2); withdrawals are ledgered. */
import { decideConsent } from '../domain/consents';
import { recordSelfService } from '../domain/requests';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<{ granted: boolean }>(
  'put-consent',
  async ({ catalogue, principal, path, body }) => {
    const now = new Date();
    const result = await decideConsent(catalogue, principal!.memberId, path.purpose!, body.granted, now);
    if (!body.granted) {
      await recordSelfService(
        catalogue,
        principal!.memberId,
        'consent-withdrawal',
        `consent withdrawn: ${result.purpose}; destroyed: ${result.destroyed.length} items`,
        now,
      );
    }
    return { status: 200, body: result };
  },
);
