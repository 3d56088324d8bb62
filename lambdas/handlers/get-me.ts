/** GET /v1/me — everything held about the member (L14/G10). */
import { viewMember } from '../domain/view';
import { httpRoute } from '../shared/http';

export const handler = httpRoute('get-me', async ({ catalogue, principal }) => ({
  status: 200,
  body: await viewMember(catalogue, principal!.memberId, new Date()),
}));
