/**
 * Joining (L1, L2/G1, G2, L3, L11/G13): the catalogue decides which items the sign-in method
 * requires, which purposes must be granted, and what may be collected at all. Everything is
 * sealed before it is written, and the whole membership is written in one transaction.
 */

import { seoulDay } from '../../../model/calendar';
import { inactivityBucket } from '../../../model/members-table';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { blindIndex } from '../../adapters/blind-index';
import { newDataKey, rememberDataKey } from '../../adapters/data-keys';
import type { Principal } from '../../runtime/principal';
import { activeBucket } from '../inactivity/rules';
import { outboxPut } from '../lifecycle/store';
import { checkJoin, type JoinRequest } from './rules';
import { type ConsentState, itemBinding, putMembership, sealItems } from './store';

/** What joining returns: identifiers and decisions, never personal data. */
export interface JoinResult {
  readonly memberId: string;
  readonly joinedAt: string;
  readonly policyVersion: string;
  readonly consents: Readonly<Record<string, boolean>>;
}

/** Creates the membership of the token's subject, who reads the product in `lang`. */
export async function join(
  c: Catalogue,
  principal: Principal,
  req: JoinRequest,
  now: Date,
  lang: Language = DEFAULT_LANGUAGE,
): Promise<JoinResult> {
  const values = checkJoin(c, principal, req);
  const { memberId } = principal;
  const at = now.toISOString();
  const lookupIds = Object.keys(values).filter((id) => c.items[id]?.lookup);
  const lookups = Object.fromEntries(
    await Promise.all(
      lookupIds.map(async (id) => [id, await blindIndex(c.profile, id, values[id]!)] as const),
    ),
  );
  const dataKey = await newDataKey(memberId);

  const consents: Record<string, ConsentState> = Object.fromEntries(
    Object.keys(c.purposes).map((p) => [
      p,
      { granted: req.consents?.[p] === true, at, policyVersion: c.policy.version, channel: 'app' as const },
    ]),
  );
  await putMembership(
    {
      memberId,
      status: 'active',
      signInMethod: principal.method,
      joinedAt: at,
      policyVersion: c.policy.version,
      items: sealItems(dataKey.plaintext, (id) => itemBinding(memberId, id), values),
      consents,
      ageAffirmation: { affirmed: true, minimumAge: c.minimumAge, at, policyVersion: c.policy.version },
      lookups,
      lastSignInAt: at,
      lastSignInDay: seoulDay(now),
      lang,
      // The sparse inactivity index finds the member on the day their notice falls due (G9).
      inactiveOn: inactivityBucket(activeBucket(c.inactivity, now), memberId),
    },
    dataKey.wrapped,
    now,
    // Its lifecycle event commits with the membership, or neither does.
    [
      outboxPut('MemberJoined', memberId, now, {
        consented: Object.keys(consents).filter((p) => consents[p]!.granted),
      }),
    ],
  );
  rememberDataKey(memberId, dataKey.plaintext);
  return {
    memberId,
    joinedAt: at,
    policyVersion: c.policy.version,
    consents: Object.fromEntries(Object.entries(consents).map(([p, s]) => [p, s.granted])),
  };
}
