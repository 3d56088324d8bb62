/**
 * Consent per purpose (L1, G2, L4/G4/G5). Required purposes are the membership itself; an
 * optional one can be granted or withdrawn at any time, and withdrawing it destroys the items
 * that only it justified, on the member and on every baby.
 */
import type { Catalogue } from '../../../policy/schema';
import { type Channel, type ConsentState, requireMemberData } from '../members/store';
import { refuseIfBlocked } from '../members/suspension';
import { erasePhotoItems } from '../photos/photos';
import { type ConsentSilos, startConsentSiloErasure } from '../silos/fanout';
import { checkDecision, grantedPurposes, releasedBy, unjustifiedItems } from './rules';
import { writeConsentDecision } from './store';

/** The outcome of a consent decision. */
export interface ConsentResult {
  readonly purpose: string;
  readonly granted: boolean;
  readonly at: string;
  /** Items destroyed because no purpose justifies them any longer. */
  readonly destroyed: string[];
  /** A withdrawal that released items the operator's silos hold: their request and its state. */
  readonly silos?: ConsentSilos;
}

/**
 * Records a decision on one purpose for a member, with the channel it came through (L1): `app`
 * for the member's own, the request's channel when the officer acts on a letter, call or email.
 */
export async function decideConsent(
  c: Catalogue,
  memberId: string,
  purpose: string,
  granted: boolean,
  now: Date,
  channel: Channel = 'app',
): Promise<ConsentResult> {
  checkDecision(c, purpose, granted);
  const data = await requireMemberData(memberId);
  // Withdrawing is a right a suspension never blocks; granting is a use of the service (L12).
  if (granted) refuseIfBlocked(c, data.profile.status, 'grant-consent');
  const current = data.profile.consents[purpose];
  // The decision stands already: a repeat (or a retried request) records nothing new, and a
  // withdrawal resumes its silo request (a crash may have left it unopened or unqueued).
  if (current && current.granted === granted) {
    const silos = granted
      ? undefined
      : await startConsentSiloErasure(
          c,
          { memberId, purpose, at: current.at, channel: current.channel },
          releasedBy(c, data.profile.consents, purpose),
        );
    return { purpose, granted, at: current.at, destroyed: [], ...(silos ? { silos } : {}) };
  }
  const at = now.toISOString();
  const state: ConsentState = { granted, at, policyVersion: c.policy.version, channel };
  const doomed = new Set(
    unjustifiedItems(c, grantedPurposes({ ...data.profile.consents, [purpose]: state })),
  );
  const memberDoomed = Object.keys(data.profile.items).filter((id) => doomed.has(id));
  const babies = data.babies.flatMap((baby) => {
    const ids = Object.keys(baby.items).filter((id) => doomed.has(id));
    return ids.length > 0 ? [[baby, ids] as const] : [];
  });
  // Photos first: a failure leaves the decision to make again, never photos without consent.
  // Only those this withdrawal leaves unjustified: others could not be uploaded at all.
  const before = new Set(unjustifiedItems(c, grantedPurposes(data.profile.consents)));
  const released = new Set([...doomed].filter((id) => !before.has(id)));
  const photos = granted
    ? []
    : await erasePhotoItems(
        c,
        memberId,
        data.babies.map((b) => b.babyId),
        released,
      );
  await writeConsentDecision(data.profile, purpose, state, memberDoomed, babies);
  // After the decision, so silos erase only what a recorded withdrawal released; a failure here
  // answers 503 and the retried withdrawal finds the decision standing and resumes above.
  const silos = granted
    ? undefined
    : await startConsentSiloErasure(c, { memberId, purpose, at, channel }, released);
  return {
    purpose,
    granted,
    at,
    destroyed: [...new Set([...memberDoomed, ...babies.flatMap(([, ids]) => ids), ...photos])],
    ...(silos ? { silos } : {}),
  };
}
