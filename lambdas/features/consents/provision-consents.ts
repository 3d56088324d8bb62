/**
 * A member's separate consent to each recipient the catalogue names (L5/G6): the only consent a
 * provision on the consent basis rests on. Granting is a use of the service a suspension may
 * block (L12); withdrawing is a right, always open, and refuses every later provision to it.
 */
import type { Text } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { NotFound } from '../../runtime/errors';
import { type Channel, type ConsentState, requireMemberData } from '../members/store';
import { refuseIfBlocked } from '../members/suspension';
import { provisionConsentWithdrawalSummary, selfService } from '../requests/rights';
import { writeProvisionConsent } from './store';

/** The outcome of a decision on a recipient. */
export interface ProvisionConsentResult {
  readonly recipient: string;
  readonly name: Text;
  readonly purposes: readonly string[];
  readonly items: readonly string[];
  readonly granted: boolean;
  readonly at: string;
}

/** The recipient `recipient` names, or 404 when the catalogue declares none with that id. */
export function recipientOf(c: Catalogue, recipient: string) {
  const party = Object.hasOwn(c.thirdParties, recipient) ? c.thirdParties[recipient] : undefined;
  if (!party) throw new NotFound('No such recipient', 'The policy names no recipient with this id.');
  return party;
}

/**
 * Records a decision on providing to one recipient, with the channel it came through. A repeat
 * of the decision in force records nothing new, so a retried request is harmless.
 */
export async function decideProvisionConsent(
  c: Catalogue,
  memberId: string,
  recipient: string,
  granted: boolean,
  now: Date,
  channel: Channel = 'app',
): Promise<ProvisionConsentResult> {
  const party = recipientOf(c, recipient);
  const data = await requireMemberData(memberId);
  if (granted) refuseIfBlocked(c, data.profile.status, 'grant-consent');
  const view = { recipient, name: party.name, purposes: party.purposes, items: party.items };
  const current = data.profile.provisionConsents?.[recipient];
  if (current ? current.granted === granted : !granted) {
    return { ...view, granted, at: current?.at ?? data.profile.joinedAt };
  }
  const state: ConsentState = { granted, at: now.toISOString(), policyVersion: c.policy.version, channel };
  await writeProvisionConsent(data.profile, recipient, state);
  return { ...view, granted, at: state.at };
}

/**
 * A member's own decision on a recipient: a grant is recorded as a decision, a withdrawal as a
 * rights request in the ledger too (L14/G10), like a withdrawal of consent to a purpose.
 */
export function memberProvisionConsent(
  c: Catalogue,
  memberId: string,
  recipient: string,
  granted: boolean,
  now: Date,
): Promise<ProvisionConsentResult> {
  const decide = () => decideProvisionConsent(c, memberId, recipient, granted, now);
  if (granted) return decide();
  return selfService(c, memberId, 'consent-withdrawal', now, decide, provisionConsentWithdrawalSummary);
}
