/**
 * The rules of provision to third parties (L5/G6) and correction propagation (L15/G11), pure:
 * whether a provision may be made, and what a recipient is told when provided data is corrected.
 */

import type { PROVISION_LEGAL_BASES } from '../../../model/routes/officer';
import type { Catalogue } from '../../../policy/schema';
import { Conflict, RuleViolated } from '../../runtime/errors';
import { grantedPurposes } from '../consents/rules';
import { liveCorrections } from '../members/rules';

/** What the officer asks to provide. */
export interface ProvisionRequest {
  readonly memberId: string;
  readonly recipient: { readonly name: string; readonly contact: string };
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis:
    | { readonly type: 'consent' }
    | { readonly type: (typeof PROVISION_LEGAL_BASES)[number]; readonly reference: string };
}

/** What the rules read of a member: the profile's items, consents and restriction, and pending corrections. */
export interface ProvisionSubject {
  readonly profile: {
    readonly items: Readonly<Record<string, string>>;
    readonly consents: Readonly<Record<string, { readonly granted: boolean }>>;
    readonly restriction?: { readonly scope: string };
  };
  readonly corrections: readonly { readonly itemId: string; readonly expiresAt: number }[];
}

/**
 * Why a provision may not be made, or undefined when it may. Pure, so every rule is testable
 * against any catalogue: consent must cover the recipient and purpose, frozen items and
 * restricted members are refused, and only items the member holds can be provided.
 */
export function provisionRefusal(
  c: Catalogue,
  data: ProvisionSubject,
  request: ProvisionRequest,
  now: Date,
): Conflict | RuleViolated | undefined {
  const restriction = data.profile.restriction;
  if (restriction && (restriction.scope === 'all' || restriction.scope === 'provision')) {
    return new Conflict('Processing restricted', 'The member restricted provision (L16).');
  }
  const frozen = new Set(liveCorrections(data, now).map((p) => p.itemId));
  const underCorrection = request.items.filter((id) => frozen.has(id));
  if (underCorrection.length > 0) {
    return new Conflict(
      'Item under correction',
      `Items under correction are not provided: ${underCorrection.join(', ')} (L15/G11).`,
      { field: 'items' },
    );
  }
  const missing = request.items.filter((id) => data.profile.items[id] === undefined);
  if (missing.length > 0) {
    return new RuleViolated('Item not held', `Not held: ${missing.join(', ')}.`, { field: 'items' });
  }
  if (request.basis.type === 'consent') {
    const party = Object.values(c.thirdParties).find((p) => p.name === request.recipient.name);
    const purpose = c.purposes[request.purpose];
    const granted = grantedPurposes(data.profile.consents).has(request.purpose);
    if (
      !party ||
      !party.purposes.includes(request.purpose) ||
      purpose?.legalBasis !== 'consent' ||
      !granted
    ) {
      return new RuleViolated(
        'No consent to this provision',
        'The member has not consented to providing to this recipient for this purpose; record a legal basis instead, or ask for consent (L5/G6).',
        { field: 'basis' },
      );
    }
    const outside = request.items.filter((id) => !party.items.includes(id));
    if (outside.length > 0) {
      return new RuleViolated(
        'Items outside the consent',
        `The consent to this recipient does not cover: ${outside.join(', ')}.`,
        { field: 'items' },
      );
    }
  }
  return undefined;
}

/**
 * The email telling a recipient the corrected values of items it was provided: each item by
 * its label with its value now, or `(removed)`.
 */
export function correctionNoticeText(
  c: Catalogue,
  notice: { readonly provisionIds: readonly string[]; readonly items: readonly string[] },
  values: Readonly<Record<string, string>>,
): { subject: string; text: string } {
  const lines = notice.items.map((id) => `${c.items[id]?.label ?? id}: ${values[id] ?? '(removed)'}`);
  return {
    subject: `${c.operator.service}: correction of personal data we provided to you`,
    text: [
      `${c.operator.name} provided you personal data of one of our members (provision ${notice.provisionIds.join(', ')}).`,
      'The member has since corrected it. The corrected values are:',
      '',
      ...lines,
      '',
      'Please replace the data you hold with these values.',
    ].join('\n'),
  };
}
