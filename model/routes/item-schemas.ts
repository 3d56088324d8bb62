/**
 * Request schemas built from the catalogue: a profile's items decide what a body may hold, so
 * nothing outside the catalogue can be sent, let alone stored (L2/G1).
 */

import * as z from 'zod/mini';
import { LANGUAGES } from '../../policy/i18n';
import type { Catalogue, Item } from '../../policy/schema';

/** Items a member provides about themselves and that this service stores. */
export function memberItems(c: Catalogue, subject: Item['subject'] = 'member'): [string, Item][] {
  return Object.entries(c.items).filter(
    ([, item]) => item.subject === subject && item.providedBy === 'member' && item.store === 'members',
  );
}

/**
 * Text of at most `max` characters, at least one of them not white space; stored trimmed. The
 * pattern says in the OpenAPI document what the trim enforces, so a blank value is declared invalid.
 */
export function nonBlank(max: number) {
  // The length is checked before the trim, as the declared maxLength counts every character.
  return z.string().check(z.regex(/\S/, 'must not be blank'), z.maxLength(max), z.trim(), z.minLength(1));
}

/** An email address: at most 254 characters, and a local part of at most 64 (RFC 5321, 4.5.3.1). */
export function emailAddress() {
  return z
    .email()
    .check(z.maxLength(254), z.regex(/^[^@]{1,64}@/, 'must have a local part of at most 64 characters'));
}

/** The schema of one item's value. */
export function valueSchema(item: Item): z.ZodMiniType<string> {
  const f = item.format;
  switch (f.type) {
    case 'text':
      return nonBlank(f.maxLength);
    case 'email':
      return emailAddress();
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

/** Whether every sign-in method of the profile requires the item, so that a schema can say so. */
function requiredForAll(c: Catalogue, item: Item): boolean {
  return c.signIn.every((method) => item.requiredFor.includes(method));
}

/**
 * Items as a body holds them: nothing the profile does not declare; with `c`, the items every
 * sign-in method requires are required (others are checked against the caller's method).
 */
const itemsObject = (entries: [string, Item][], c?: Catalogue) =>
  z.strictObject(
    Object.fromEntries(
      entries.map(([id, item]) => [
        id,
        c && requiredForAll(c, item) ? valueSchema(item) : z.optional(valueSchema(item)),
      ]),
    ),
  );

/** Items as a correction holds them: a new value, or null to remove an item no method requires (with `c`). */
const itemChangesObject = (entries: [string, Item][], c?: Catalogue) =>
  z.strictObject(
    Object.fromEntries(
      entries.map(([id, item]) => [
        id,
        z.optional(c && requiredForAll(c, item) ? valueSchema(item) : z.nullable(valueSchema(item))),
      ]),
    ),
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

/** New values of a member's items, or null to remove an optional one. */
export function memberChangesSchema(c: Catalogue) {
  return itemChangesObject(memberItems(c));
}

/**
 * PATCH /v1/me: new values, or null to remove an optional item; and/or the language the member
 * reads the product in (emails, pages).
 */
export function correctionSchema(c: Catalogue) {
  return z
    .strictObject({
      items: z.optional(memberChangesSchema(c)),
      lang: z.optional(z.enum(LANGUAGES)),
    })
    .check(z.refine((b) => b.items !== undefined || b.lang !== undefined, 'needs items or lang'));
}

/** POST /v1/me/babies. */
export function babySchema(c: Catalogue) {
  return z.strictObject({ items: itemsObject(memberItems(c, 'baby'), c) });
}

/** PATCH /v1/me/babies/{babyId}. */
export function babyCorrectionSchema(c: Catalogue) {
  return z.strictObject({ items: itemChangesObject(memberItems(c, 'baby'), c) });
}

export { RESTRICTION_SCOPES } from './officer-vocabulary';
