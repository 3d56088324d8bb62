/** GET /v1/admin/requests — the request ledger, by status, member and deadline. */
import { listRequests } from '../features/requests/ledger';
import type { RequestStatus } from '../features/requests/rules';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

type Query = { status?: RequestStatus; overdue?: 'true' | 'false'; member?: string };

export const handler = httpRoute<never, Query>(
  'get-requests',
  async ({ query, recordAccess }) => {
    await recordAccess({
      ...(query.member ? { memberId: query.member } : {}),
      reason: 'request ledger review',
    });
    const overdue = query.overdue === undefined ? undefined : query.overdue === 'true';
    return {
      status: 200,
      body: {
        requests: await listRequests(
          {
            ...(query.status ? { status: query.status } : {}),
            ...(overdue !== undefined ? { overdue } : {}),
            ...(query.member ? { member: query.member } : {}),
          },
          new Date(),
        ),
      },
    };
  },
  officerEdge,
);
