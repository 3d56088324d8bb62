/** PUT /v1/me/restriction — restrict or object to processing (L16); ledgered. */
import { recordSelfService } from '../domain/requests';
import { restrict } from '../domain/restriction';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<{ scope: string; reason: string }>(
  'put-restriction',
  async ({ catalogue, principal, body }) => {
    const now = new Date();
    const result = await restrict(principal!.memberId, body.scope, body.reason, now);
    await recordSelfService(catalogue, principal!.memberId, 'restriction', `restricted: ${body.scope}`, now);
    return { status: 200, body: result };
  },
);
