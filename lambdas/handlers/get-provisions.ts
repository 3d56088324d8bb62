/** GET /v1/admin/provisions?member= — a member's provisions and the correction notices sent. */
import { provisionsOf } from '../domain/provisions';
import { httpRoute } from '../shared/http';
import { officerEdge } from '../shared/officer-edge';

export const handler = httpRoute<never, { member: string }>(
  'get-provisions',
  async ({ query, recordAccess }) => {
    await recordAccess({ memberId: query.member, reason: 'provision review' });
    return { status: 200, body: await provisionsOf(query.member) };
  },
  officerEdge,
);
