/** GET /v1/me/export — a machine-readable export, as a download (L16 portability); ledgered. */
import { recordSelfService } from '../domain/requests';
import { exportMember } from '../domain/view';
import { httpRoute } from '../shared/http';

export const handler = httpRoute('get-export', async ({ catalogue, principal }) => {
  const now = new Date();
  const body = await exportMember(catalogue, principal!.memberId, now);
  await recordSelfService(catalogue, principal!.memberId, 'portability', 'export produced', now);
  return {
    status: 200,
    body,
    headers: {
      'content-disposition': `attachment; filename="personal-data-${now.toISOString().slice(0, 10)}.json"`,
    },
  };
});
