/**
 * Request schemas built from the catalogue: a profile's items decide what a body may hold, so
 * nothing outside the catalogue can be sent, let alone stored (L2/G1).
 */
import * as z from 'zod/mini';
import type { Catalogue, Item } from '../../policy/schema';

/** Items a member provides about themselves and that this service stores. */
export function memberItems(c: Catalogue, subject: Item['subject'] = 'member'): [string, Item][] {
  return Object.entries(c.items).filter(
    ([, item]) => item.subject === subject && item.providedBy === 'member' && item.store === 'members',
  );
}

/** The schema of one item's value. */
export function valueSchema(item: Item): z.ZodMiniType<string> {
  const f = item.format;
  switch (f.type) {
    case 'text':
      return z.string().check(z.trim(), z.minLength(1), z.maxLength(f.maxLength));
    case 'email':
      return z.email().check(z.maxLength(254));
    case 'phone':
      return z.string().check(z.regex(/^\+?[0-9][0-9 -]{6,19}$/, 'must be a phone number'));
    case 'url':
      return z.url({ protocol: /^https$/ }).check(z.maxLength(2048));
    case 'enum':
      return z.enum(f.values as [string, ...string[]]);
    default:
      // Secrets, IP addresses and timestamps are never accepted from a client.
      return z.never() as unknown as z.ZodMiniType<string>;
  }
}

/** Items as a body holds them: each optional, and nothing the profile does not declare. */
const itemsObject = (entries: [string, Item][]) =>
  z.strictObject(Object.fromEntries(entries.map(([id, item]) => [id, z.optional(valueSchema(item))])));

/** Items as a correction holds them: a new value, or null to remove an optional item. */
const itemChangesObject = (entries: [string, Item][]) =>
  z.strictObject(
    Object.fromEntries(entries.map(([id, item]) => [id, z.optional(z.nullable(valueSchema(item)))])),
  );

/** POST /v1/members: items, a decision per purpose, the age affirmation, the policy version shown. */
export function joinSchema(c: Catalogue) {
  return z.strictObject({
    items: itemsObject(memberItems(c)),
    consents: z.optional(
      z.strictObject(Object.fromEntries(Object.keys(c.purposes).map((p) => [p, z.optional(z.boolean())]))),
    ),
    ageAffirmation: z.optional(z.boolean()),
    policyVersion: z.string().check(z.maxLength(20)),
  });
}

/** PATCH /v1/me: new values, or null to remove an optional item. */
export function correctionSchema(c: Catalogue) {
  return z.strictObject({ items: itemChangesObject(memberItems(c)) });
}

/** POST /v1/me/babies. */
export function babySchema(c: Catalogue) {
  return z.strictObject({ items: itemsObject(memberItems(c, 'baby')) });
}

/** PATCH /v1/me/babies/{babyId}. */
export function babyCorrectionSchema(c: Catalogue) {
  return z.strictObject({ items: itemChangesObject(memberItems(c, 'baby')) });
}

/** The scopes of a restriction or objection (L16). */
export const RESTRICTION_SCOPES = ['all', 'provision', 'optional-purposes'] as const;
