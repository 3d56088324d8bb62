/**
 * Loading a catalogue: shape validation, then the cross-references a schema cannot express.
 * Every failure names the profile and the entry at fault, in one line.
 */
import type * as z from 'zod/mini';
import { lgcns } from './profiles/lgcns';
import { littleone } from './profiles/littleone';
import { type Catalogue, type CatalogueInput, catalogueSchema } from './schema';

/** The profiles that ship with the product. A third operator adds a file and a line here. */
export const profiles = { littleone, lgcns } as const satisfies Record<string, CatalogueInput>;
/** The name of a shipped profile. */
export type ProfileName = keyof typeof profiles;

/** A catalogue that cannot be used, with the entry at fault in its message. */
export class CatalogueError extends Error {
  override name = 'CatalogueError';
  constructor(
    message: string,
    /** The entry at fault, e.g. `items.email.purposes`; `(root)` for the catalogue as a whole. */
    readonly entry = '(root)',
  ) {
    super(message);
  }
}

/**
 * A path segment as it may be shown: catalogue ids and indexes as they are, anything else
 * (a key that is not an id could be anything a client sent) replaced.
 */
function shownKey(key: PropertyKey): string {
  const text = String(key);
  return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : '<invalid key>';
}

/** Whether `name` is one of the shipped profiles. */
export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(profiles, name);
}

/** Validates a catalogue written as data; throws {@link CatalogueError} naming the bad entry. */
export function parseCatalogue(input: unknown, label = 'catalogue'): Catalogue {
  const parsed = catalogueSchema().safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.map(shownKey).join('.') : '(root)';
    const detail =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map(shownKey).join(', ')}`
        : describe(issue);
    throw new CatalogueError(`${label}: invalid entry ${where}: ${detail}`, where);
  }
  const problems = crossReferenceProblems(parsed.data);
  // Each problem starts with the entry it is about, e.g. "items.email.purposes names …".
  if (problems.length > 0) {
    throw new CatalogueError(`${label}: ${problems[0]}`, problems[0]!.split(/[ :]/)[0]!);
  }
  return parsed.data;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `needs at least ${issue.minimum} characters`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `allows at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return issue.code;
  }
}

/** The references between entries that must resolve, and the rules that join them. */
function crossReferenceProblems(c: Catalogue): string[] {
  const problems: string[] = [];
  for (const [itemId, item] of Object.entries(c.items)) {
    const at = `items.${itemId}`;
    for (const p of item.purposes) {
      if (!c.purposes[p]) problems.push(`${at}.purposes names unknown purpose "${p}"`);
    }
    const retention = c.retention[item.retention];
    if (!retention) problems.push(`${at}.retention names unknown retention class "${item.retention}"`);
    for (const m of item.requiredFor) {
      if (!item.collectedFor.includes(m))
        problems.push(`${at}.requiredFor has "${m}" missing from collectedFor`);
    }
    for (const m of item.collectedFor) {
      if (!c.signIn.includes(m))
        problems.push(`${at}.collectedFor has "${m}", not a sign-in method of the profile`);
    }
    if (item.verifyOnCorrection && !item.correctable) {
      problems.push(`${at}.verifyOnCorrection needs correctable: true`);
    }
    if (item.store !== 'cognito' && item.format.type === 'secret') {
      problems.push(`${at} is a secret: only the identity provider may store it (store: "cognito")`);
    }
    if (item.fromSignIn && (item.correctable || item.providedBy !== 'member' || item.subject !== 'member')) {
      problems.push(
        `${at}.fromSignIn: an identifier from the sign-in is a member item that cannot be corrected`,
      );
    }
    if ((item.format.type === 'image') !== (item.store === 'photos')) {
      problems.push(`${at}: images, and only images, are kept in the photos store`);
    }
    if (item.store === 'photos' && (item.subject === 'service-record' || item.subject === 'access-log')) {
      problems.push(`${at}: a photo is the member's or a baby's`);
    }
    if (item.lookup && !item.encrypted) problems.push(`${at}.lookup needs encrypted: true (blind index)`);
    if (item.providedBy === 'member' && item.store === 'members' && !item.encrypted) {
      problems.push(`${at} is personal data provided by the member: it must be encrypted (L13/G15)`);
    }
  }
  for (const [classId, rc] of Object.entries(c.retention)) {
    for (const item of rc.keeps?.items ?? []) {
      if (!c.items[item]) problems.push(`retention.${classId}.keeps names unknown item "${item}"`);
    }
    if (rc.store === 'vault' && rc.period === 'until-withdrawal') {
      problems.push(`retention.${classId}: a vault class needs a period, not "until-withdrawal"`);
    }
  }
  const { recordClasses: rc } = c;
  for (const [role, classId] of [
    ['member', rc.member],
    ['accessLog', rc.accessLog],
    ['handlerAccess', rc.handlerAccess],
    ...rc.onWithdrawal.map((id) => ['onWithdrawal', id] as const),
  ] as const) {
    const cls = c.retention[classId];
    if (!cls) problems.push(`recordClasses.${role} names unknown retention class "${classId}"`);
    else if (role === 'onWithdrawal' && (!cls.keeps || cls.store !== 'vault')) {
      problems.push(`retention.${classId}: a class created at withdrawal needs store "vault" and "keeps"`);
    } else if (role !== 'member' && cls.period === 'until-withdrawal') {
      problems.push(`recordClasses.${role}: class "${classId}" needs a period`);
    }
  }
  for (const [kind, itemId] of Object.entries(c.serviceRecords ?? {})) {
    if (itemId === undefined) continue;
    const item = c.items[itemId];
    if (!item) problems.push(`serviceRecords.${kind} names unknown item "${itemId}"`);
    else if (item.subject !== 'service-record' || item.providedBy !== 'service')
      problems.push(`serviceRecords.${kind}: item "${itemId}" must be a service record the service provides`);
  }
  for (const subject of ['member', 'baby'] as const) {
    const photos = Object.keys(c.items).filter(
      (id) => c.items[id]!.store === 'photos' && c.items[id]!.subject === subject,
    );
    if (photos.length > 1) problems.push(`items: ${photos.join(', ')}: at most one photo per ${subject}`);
  }
  for (const list of ['sensitiveItems', 'identificationItems'] as const) {
    for (const itemId of c.breach[list]) {
      if (!c.items[itemId]) problems.push(`breach.${list} names unknown item "${itemId}"`);
    }
  }
  const regulatorIds = c.breach.regulators.map((r) => r.id);
  if (new Set(regulatorIds).size !== regulatorIds.length) problems.push('breach.regulators: ids must differ');
  for (const r of c.breach.regulators) {
    if (Object.keys(r.when).length === 0) problems.push(`breach.regulators.${r.id}.when names no condition`);
  }
  const notice = c.items[c.noticeItem];
  if (!notice) problems.push(`noticeItem names unknown item "${c.noticeItem}"`);
  else if (notice.format.type !== 'email')
    problems.push(`noticeItem "${c.noticeItem}" must be an email item`);
  const requiredPurposes = Object.values(c.purposes).filter((p) => p.required);
  if (requiredPurposes.length === 0) problems.push('purposes: at least one purpose must be required');
  for (const [purposeId, p] of Object.entries(c.purposes)) {
    if (!p.required && p.legalBasis !== 'consent') {
      problems.push(`purposes.${purposeId}: an optional purpose rests on consent`);
    }
  }
  if (Object.keys(c.thirdParties).length > 0 && !c.provision.bases.includes('consent'))
    problems.push('thirdParties: recipients a member consents to need "consent" in provision.bases');
  for (const [partyId, party] of Object.entries(c.thirdParties)) {
    for (const p of party.purposes) {
      if (!c.purposes[p]) problems.push(`thirdParties.${partyId}.purposes names unknown purpose "${p}"`);
    }
    for (const item of party.items) {
      const declared = c.items[item];
      if (!declared) problems.push(`thirdParties.${partyId}.items names unknown item "${item}"`);
      else if (!party.purposes.some((p) => declared.purposes.includes(p)))
        problems.push(`thirdParties.${partyId}.items: "${item}" is declared for none of its purposes`);
    }
  }
  for (const [siloId, silo] of Object.entries(c.silos)) {
    for (const item of silo.items) {
      if (!c.items[item]) problems.push(`silos.${siloId}.items names unknown item "${item}"`);
    }
  }
  return problems;
}

const cache = new Map<string, Catalogue>();

/** The validated catalogue of a shipped profile; throws naming the profile when unknown. */
export function loadCatalogue(name: string): Catalogue {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!isProfileName(name)) {
    throw new CatalogueError(`unknown profile "${name}": choose one of ${Object.keys(profiles).join(', ')}`);
  }
  // A function's bundle holds its stack's profile only (lib/bundling.ts), the others undefined.
  const input: CatalogueInput | undefined = profiles[name];
  if (input === undefined) throw new CatalogueError(`profile "${name}" is not in this bundle`);
  // Bundles take the profile as the data it is: the bundler validated it before bundling it, so
  // a cold start need not do it again.
  const catalogue =
    process.env.CATALOGUE_VALIDATED_AT_BUILD === 'true'
      ? (input as Catalogue)
      : parseCatalogue(input, `profile ${name}`);
  cache.set(name, catalogue);
  return catalogue;
}
