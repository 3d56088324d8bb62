/** PUT /v1/me/consents/{purpose} — grant or withdraw an optional purpose (L1, G2). */
import { decideConsent } from '../domain/consents';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<{ granted: boolean }>(
  'put-consent',
  async ({ catalogue, principal, path, body }) => ({
    status: 200,
    body: await decideConsent(catalogue, principal!.memberId, path.purpose!, body.granted, new Date()),
  }),
);
