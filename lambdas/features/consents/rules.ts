/** What the catalogue's purposes allow: which are required, and what each item rests on (L1, L4/G4). */
import type { Catalogue } from '../../../policy/schema';
import { Conflict, NotFound, RuleViolated } from '../../runtime/errors';

/** Purposes that must be granted to be a member. */
export function requiredPurposes(c: Catalogue): string[] {
  return Object.entries(c.purposes)
    .filter(([, p]) => p.required)
    .map(([id]) => id);
}

/**
 * The optional purpose whose consent an item lacks, or undefined when the item may be held: an
 * item is justified by any required purpose, or by any granted optional one.
 */
export function consentMissingFor(
  c: Catalogue,
  itemId: string,
  granted: ReadonlySet<string>,
): string | undefined {
  const purposes = c.items[itemId]?.purposes ?? [];
  if (purposes.some((p) => c.purposes[p]?.required || granted.has(p))) return undefined;
  return purposes[0];
}

/** Throws 422 naming the purpose when an item may not be held without a consent not given (L1). */
export function requireConsentFor(c: Catalogue, itemId: string, granted: ReadonlySet<string>): void {
  const missing = consentMissingFor(c, itemId, granted);
  if (missing) {
    throw new RuleViolated(
      'Consent missing for an optional item',
      `"${itemId}" needs consent to "${missing}".`,
      {
        field: `items.${itemId}`,
        purpose: missing,
      },
    );
  }
}

/** Items that no purpose justifies any longer once `granted` is the set of granted purposes. */
export function unjustifiedItems(c: Catalogue, granted: ReadonlySet<string>): string[] {
  return Object.keys(c.items).filter((id) => consentMissingFor(c, id, granted) !== undefined);
}

/**
 * The items that withdrawing `purpose` leaves unjustified, the other decisions of `consents`
 * standing: how a retried withdrawal finds again what its first attempt released.
 */
export function releasedBy(
  c: Catalogue,
  consents: Readonly<Record<string, { granted: boolean }>>,
  purpose: string,
): Set<string> {
  const others = grantedPurposes(consents);
  others.delete(purpose);
  const before = new Set(unjustifiedItems(c, new Set([...others, purpose])));
  return new Set(unjustifiedItems(c, others).filter((id) => !before.has(id)));
}

/** The granted purposes of a consent map. */
export function grantedPurposes(consents: Readonly<Record<string, { granted: boolean }>>): Set<string> {
  return new Set(Object.entries(consents).flatMap(([p, s]) => (s.granted ? [p] : [])));
}

/** Checks that a member may decide on `purpose`: it exists, and a required one is never withdrawn. */
export function checkDecision(c: Catalogue, purpose: string, granted: boolean): void {
  const p = c.purposes[purpose];
  if (!p) throw new NotFound('No such purpose', 'The policy declares no purpose with this id.');
  if (p.required && !granted) {
    throw new Conflict(
      'Required purpose',
      `"${purpose}" is required for membership: withdraw the membership (DELETE /v1/me) to end it.`,
    );
  }
}
