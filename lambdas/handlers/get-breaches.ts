/** GET /v1/admin/breaches — every breach with its clocks and notices (PIPA Art. 34). */
import { getBreachesRoute } from '../../model/routes/breaches';
import { listBreachViews } from '../features/breaches/breaches';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getBreachesRoute,
  async ({ catalogue, recordAccess }) => {
    await recordAccess({ reason: 'list breaches' });
    return { status: 200, body: { breaches: await listBreachViews(catalogue, new Date()) } };
  },
  officerEdge,
);
