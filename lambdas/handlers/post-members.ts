/** POST /v1/members — join (L1, L2/G1, G2, L3, L11/G13, L18). */

import { postMembersRoute } from '../../model/routes/member';
import { preferredLanguage } from '../../policy/i18n';
import { idempotentRequests } from '../adapters/idempotency';
import { join } from '../features/members/join';
import { queueMemberNotice } from '../features/policy-versions/fanout';
import { policyInForce } from '../features/policy-versions/store';
import { memberEdge } from '../http/member-edge';
import { httpRoute } from '../http/route';
import { logger } from '../runtime/logger';

export const handler = httpRoute(
  postMembersRoute,
  async ({ catalogue, principal, body, headers }) => {
    const now = new Date();
    // The member joins under the policy version in force, and the consents record it (L1, L3, L18).
    const { current, upcoming } = await policyInForce(catalogue, now);
    // The member's language: what the app's Accept-Language prefers, Korean when it names none we speak.
    const lang = preferredLanguage(headers['accept-language']);
    const joined = await join(current.catalogue, principal, body, now, lang);
    if (!upcoming?.seq) return { status: 201, body: joined };
    // L18: a change announced now reaches this member too: shown here, and emailed like everyone.
    // Best effort: the membership stands, and this answer shows the change whatever the queue does.
    await queueMemberNotice(upcoming.seq, principal.memberId, now).catch((error: Error) =>
      logger.warn('policy notice of a new member not queued', { error: error.name }),
    );
    const { version, effectiveDate, summary } = upcoming;
    return {
      status: 201,
      body: { ...joined, upcomingPolicy: { version, effectiveDate, ...(summary ? { summary } : {}) } },
    };
  },
  { ...memberEdge, idempotency: idempotentRequests },
);
