/** GET /v1/admin/access-records — handler access records by officer, member and time (G17). */
import { getAccessRecordsRoute } from '../../model/routes/officer';
import { listAccessRecords, verifyChain } from '../features/access-records/access-records';
import { officerEdge } from '../http/officer-edge';
import { httpRoute } from '../http/route';

export const handler = httpRoute(
  getAccessRecordsRoute,
  async ({ query, recordAccess }) => {
    // Reading the records is itself an access to whoever they name.
    await recordAccess({
      ...(query.member ? { memberId: query.member } : {}),
      reason: 'access record review',
    });
    const listed = await listAccessRecords({
      ...(query.officer ? { officer: query.officer } : {}),
      ...(query.member ? { member: query.member } : {}),
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
    });
    // Checked after the listing, so the report covers every record just shown (and this read's own).
    return {
      status: 200,
      body: query.verify === 'true' ? { ...listed, chain: await verifyChain() } : listed,
    };
  },
  officerEdge,
);
