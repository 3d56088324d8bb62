/** POST /v1/me/corrections/{correctionId}/confirm — complete a pending correction. */
import { confirmCorrection } from '../domain/correct';
import { httpRoute } from '../shared/http';

export const handler = httpRoute<{ code: string }>(
  'confirm-correction',
  async ({ principal, path, body }) => ({
    status: 200,
    body: await confirmCorrection(principal!.memberId, path.correctionId!, body.code, new Date()),
  }),
);
