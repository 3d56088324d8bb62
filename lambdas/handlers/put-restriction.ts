/** PUT /v1/me/restriction — restrict or object to processing (L16). */
import { restrict } from '../domain/restriction';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<{ scope: string; reason: string }>(
  'put-restriction',
  async ({ principal, body }) => ({
    status: 200,
    body: await restrict(principal!.memberId, body.scope, body.reason, new Date()),
  }),
);
