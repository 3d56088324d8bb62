/** DELETE /v1/me/babies/{babyId} — delete a baby. */
import { deleteBaby } from '../domain/babies';
import { httpRoute } from '../shared/http';

export const handler = httpRoute('delete-baby', async ({ principal, path }) => {
  await deleteBaby(principal!.memberId, path.babyId!);
  return { status: 204 };
});
