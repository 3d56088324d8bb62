/** DELETE /v1/me — withdraw; returns the signed deletion receipt (L7/G7, L8/G8/G12, L9, L10); ledgered. */
import { recordSelfService } from '../domain/requests';
import { withdraw } from '../domain/withdraw';
import { httpRoute } from '../shared/http';

export const handler = httpRoute('delete-me', async ({ catalogue, principal }) => {
  const now = new Date();
  const signed = await withdraw(catalogue, principal!.memberId, now);
  await recordSelfService(
    catalogue,
    principal!.memberId,
    'deletion',
    `withdrawn; receipt ${signed.receipt.receiptId}`,
    now,
  );
  return { status: 200, body: signed };
});
