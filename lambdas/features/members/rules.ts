/**
 * What the catalogue decides about a membership: what joining requires (L1, L2/G1, G2, L3,
 * L11/G13), and how each item, consent and retention class is described to the member who
 * views it (L14/G10).
 */

import { isoDuration } from '../../../policy/duration';
import type { Text } from '../../../policy/i18n';
import type { Catalogue, RetentionClass, SignInClaim, SignInMethod } from '../../../policy/schema';
import { Conflict, Forbidden, InvalidInput, RuleViolated } from '../../runtime/errors';
import { requireConsentFor, requiredPurposes } from '../consents/rules';

/** Pending corrections that have not expired: each freezes its item (L15/G11). */
export function liveCorrections<Correction extends { readonly expiresAt: number }>(
  data: { readonly corrections: readonly Correction[] },
  now: Date,
): Correction[] {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return data.corrections.filter((c) => c.expiresAt > nowSeconds);
}

/** The validated join body. */
export interface JoinRequest {
  readonly items: Readonly<Record<string, string | undefined>>;
  readonly consents?: Readonly<Record<string, boolean | undefined>>;
  readonly ageAffirmation?: boolean;
  readonly policyVersion: string;
}

/** The caller as joining needs it: how they signed in, and the identifiers the token carries. */
export interface JoiningCaller {
  readonly method: SignInMethod;
  readonly signInIds: Readonly<Partial<Record<SignInClaim, string>>>;
}

/**
 * The identifiers the sign-in provider knows (G1, L2), from the verified token: a value the
 * member sent must equal the token's, so nobody declares another account's identifier; one left
 * out is taken from the token. Throws 422 naming the item on a mismatch or a token without it.
 */
function signInIdentifiers(c: Catalogue, caller: JoiningCaller, items: JoinRequest['items']) {
  const values: Record<string, string> = {};
  for (const [id, item] of Object.entries(c.items)) {
    if (!item.fromSignIn || !item.collectedFor.includes(caller.method)) continue;
    const known = caller.signInIds[item.fromSignIn];
    const sent = items[id];
    if (known === undefined) {
      throw new RuleViolated(
        'Identifier not in your sign-in',
        `"${id}" is taken from your sign-in, and your token does not carry it. Sign in again and retry. Nothing was stored.`,
        { field: `items.${id}` },
      );
    }
    if (sent !== undefined && sent !== known) {
      throw new RuleViolated(
        'Identifier does not match your sign-in',
        `"${id}" must be your own, as your sign-in states it: leave it out to use it, or send the same value. Nothing was stored.`,
        { field: `items.${id}` },
      );
    }
    values[id] = known;
  }
  return values;
}

/**
 * Checks a join request against the catalogue for `caller`; returns the item values to hold,
 * or throws the first problem a client must fix.
 */
export function checkJoin(c: Catalogue, caller: JoiningCaller, req: JoinRequest): Record<string, string> {
  const { method } = caller;
  if (req.ageAffirmation !== true) {
    throw new Forbidden(
      'Age requirement not met',
      `Members must be ${c.minimumAge} or older: affirm it with "ageAffirmation": true. Nothing was stored.`,
    );
  }
  if (req.policyVersion !== c.policy.version) {
    throw new Conflict(
      'Outdated policy',
      `The notice shown was version ${req.policyVersion}; the policy in force is ${c.policy.version} (GET /v1/policy).`,
    );
  }
  const values: Record<string, string> = {};
  const errors: { field: string; problem: string }[] = [];
  for (const [id, value] of Object.entries(req.items)) {
    if (value === undefined) continue;
    if (!c.items[id]?.collectedFor.includes(method))
      errors.push({ field: `items.${id}`, problem: `not collected for ${method} sign-in` });
    // Identifiers the sign-in knows are checked against the token below.
    else if (!c.items[id]?.fromSignIn) values[id] = value;
  }
  for (const [id, item] of Object.entries(c.items)) {
    if (
      item.store === 'members' &&
      item.subject === 'member' &&
      item.requiredFor.includes(method) &&
      !item.fromSignIn &&
      !(id in values)
    ) {
      errors.push({ field: `items.${id}`, problem: `required for ${method} sign-in` });
    }
  }
  if (errors.length > 0) throw new InvalidInput(errors);
  Object.assign(values, signInIdentifiers(c, caller, req.items));
  const granted = new Set(Object.entries(req.consents ?? {}).flatMap(([p, g]) => (g ? [p] : [])));
  for (const purpose of requiredPurposes(c)) {
    if (!granted.has(purpose)) {
      throw new RuleViolated('Required consent missing', `The purpose "${purpose}" is required to join.`, {
        purpose,
      });
    }
  }
  for (const id of Object.keys(values)) requireConsentFor(c, id, granted);
  // In the catalogue's order, whichever way each value came.
  return Object.fromEntries(Object.keys(c.items).flatMap((id) => (id in values ? [[id, values[id]!]] : [])));
}

/** One item as the member sees it. */
export interface ItemView {
  readonly id: string;
  readonly label: Text;
  readonly value: string;
  /** `under-correction`: frozen until the pending correction completes (L15/G11). */
  readonly state: 'held' | 'under-correction';
  readonly purposes: readonly { id: string; label: Text; legalBasis: string }[];
  readonly retention: { class: string; label: Text; period: string };
}

/** A retention period as the member reads it: an ISO 8601 duration, or `until-withdrawal`. */
export function periodOf(rc: RetentionClass): string {
  return rc.period === 'until-withdrawal' ? rc.period : isoDuration(rc.period);
}

/** Opened item values labelled by the catalogue; items it no longer declares are left out. */
export function describeItems(
  c: Catalogue,
  values: Record<string, string>,
  frozen: ReadonlySet<string>,
): ItemView[] {
  return Object.entries(values)
    .filter(([id]) => c.items[id])
    .map(([id, value]) => {
      const item = c.items[id]!;
      const rc = c.retention[item.retention]!;
      return {
        id,
        label: item.label,
        value,
        state: frozen.has(id) ? 'under-correction' : 'held',
        purposes: item.purposes.map((p) => ({
          id: p,
          label: c.purposes[p]!.label,
          legalBasis: c.purposes[p]!.legalBasis,
        })),
        retention: { class: item.retention, label: rc.label, period: periodOf(rc) },
      };
    });
}

/** A consent decision as it is held, on the profile or in the history. */
interface HeldConsent {
  readonly granted: boolean;
  readonly at: string;
  readonly policyVersion: string;
  readonly channel: string;
}

/** What the consent views read of a member: the decisions in force and their history. */
export interface ConsentFacts {
  readonly profile: {
    readonly joinedAt: string;
    readonly policyVersion: string;
    readonly consents: Readonly<Record<string, HeldConsent>>;
  };
  readonly consentHistory: readonly (HeldConsent & { sk: string; purpose: string; event: string })[];
}

/** A purpose with the member's decision on it. */
export interface ConsentView {
  readonly purpose: string;
  readonly label: Text;
  readonly required: boolean;
  readonly legalBasis: string;
  readonly granted: boolean;
  readonly at: string;
  readonly policyVersion: string;
  readonly channel: string;
  readonly history: { granted: boolean; at: string; policyVersion: string; channel: string; event: string }[];
}

/** The consents of a member with their history, newest first. */
export function consentViews(c: Catalogue, data: ConsentFacts): ConsentView[] {
  return Object.entries(c.purposes).map(([purpose, p]) => {
    const state = data.profile.consents[purpose];
    return {
      purpose,
      label: p.label,
      required: p.required,
      legalBasis: p.legalBasis,
      granted: state?.granted ?? false,
      at: state?.at ?? data.profile.joinedAt,
      policyVersion: state?.policyVersion ?? data.profile.policyVersion,
      channel: state?.channel ?? 'app',
      history: data.consentHistory
        .filter((h) => h.purpose === purpose)
        .sort((a, b) => b.sk.localeCompare(a.sk))
        .map((h) => ({
          granted: h.granted,
          at: h.at,
          policyVersion: h.policyVersion,
          channel: h.channel,
          event: h.event,
        })),
    };
  });
}

/** The member's decision on one recipient the catalogue names, with its history (L5/G6). */
export type RecipientConsentView = ReturnType<typeof recipientConsentViews>[number];

/** The member's decision on each recipient the catalogue names, with its history (L5/G6). */
export function recipientConsentViews(
  c: Catalogue,
  data: ConsentFacts & {
    readonly profile: { readonly provisionConsents?: Readonly<Record<string, HeldConsent>> };
  },
) {
  return Object.entries(c.thirdParties).map(([recipient, party]) => {
    const state = data.profile.provisionConsents?.[recipient];
    return {
      recipient,
      name: party.name,
      purposes: party.purposes,
      items: party.items,
      granted: state?.granted ?? false,
      ...(state ? { at: state.at, policyVersion: state.policyVersion, channel: state.channel } : {}),
      history: data.consentHistory
        .filter((h) => h.purpose === `recipient:${recipient}`)
        .sort((a, b) => b.sk.localeCompare(a.sk))
        .map((h) => ({ granted: h.granted, at: h.at, policyVersion: h.policyVersion, channel: h.channel })),
    };
  });
}

/** The retention classes that apply to a member, with their periods. */
export function retentionViews(c: Catalogue) {
  return Object.entries(c.retention).map(([id, rc]) => ({
    class: id,
    label: rc.label,
    period: periodOf(rc),
    ...(rc.law ? { law: rc.law } : {}),
  }));
}
