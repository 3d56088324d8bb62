/** DELETE /v1/me — withdraw; returns the signed deletion receipt (L7/G7, L8/G8/G12, L9, L10). */
import { withdraw } from '../domain/withdraw';
import { httpRoute } from '../shared/http';

export const handler = httpRoute('delete-me', async ({ catalogue, principal }) => ({
  status: 200,
  body: await withdraw(catalogue, principal!.memberId, new Date()),
}));
