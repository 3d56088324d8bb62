/** PATCH /v1/me — correct items; verified ones become pending corrections (L15/G11). */
import { correctMember } from '../domain/correct';
import { httpRoute } from '../shared/http';

type Body = { items: Record<string, string | null | undefined> };

export const handler = httpRoute<Body>('patch-me', async ({ catalogue, principal, body }) => ({
  status: 200,
  body: await correctMember(catalogue, principal!.memberId, body.items, new Date()),
}));
