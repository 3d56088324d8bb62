/** GET /v1/admin/breaches/{breachId} — one breach, its clocks and the ledger of its steps. */
import { getBreachRoute } from '../../model/routes/breaches';
import { breachDetail } from '../features/breaches/breaches';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getBreachRoute,
  async ({ catalogue, path, recordAccess }) => {
    await recordAccess({ reason: 'read a breach' });
    return { status: 200, body: await breachDetail(catalogue, path.breachId!, new Date()) };
  },
  officerEdge,
);
