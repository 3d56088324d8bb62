/** POST /v1/receipts/verify — whether a deletion receipt is genuine and unaltered. */
import { verifyReceiptRoute } from '../../model/routes/member';
import { verify } from '../adapters/receipt-signer';
import { httpRoute } from '../http/route';

export const handler = httpRoute(verifyReceiptRoute, async ({ body }) => ({
  status: 200,
  body: { valid: await verify(body.receipt, body.signature) },
}));
