/** GET /v1/admin/requests — the request ledger, by status, member and deadline. */
import { getRequestsRoute } from '../../model/routes/officer';
import { listRequests } from '../features/requests/ledger';
import { laggingSilos, type SiloOutcome } from '../features/silos/rules';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getRequestsRoute,
  async ({ catalogue, query, recordAccess }) => {
    await recordAccess({
      ...(query.member ? { memberId: query.member } : {}),
      reason: 'request ledger review',
    });
    const overdue = query.overdue === undefined ? undefined : query.overdue === 'true';
    const now = new Date();
    const requests = await listRequests(
      {
        ...(query.status ? { status: query.status } : {}),
        ...(overdue !== undefined ? { overdue } : {}),
        ...(query.member ? { member: query.member } : {}),
      },
      now,
    );
    // A withdrawal's silo part names the silos that lag, so the officer sees them at once.
    return {
      status: 200,
      body: {
        requests: requests.map((r) => {
          const { silos } = r as { silos?: Record<string, SiloOutcome> };
          return silos ? { ...r, laggingSilos: laggingSilos(catalogue, silos, now) } : r;
        }),
      },
    };
  },
  officerEdge,
);
