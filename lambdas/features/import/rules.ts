/**
 * What an imported member must be (L1, L2/G1, G2, L11/G13, G9): one line of the operator's
 * export, checked by the same schemas and rules as joining, with the history joining cannot
 * know (when each consent was given, through which channel, under which policy version, and
 * the last sign-in the inactivity clock runs from). A problem names its line and field, never
 * the value: the report of a bad line holds no personal data.
 */
import * as z from 'zod/mini';
import { seoulDay } from '../../../model/calendar';
import { babySchema, joinSchema } from '../../../model/routes/item-schemas';
import { postPurchaseRoute } from '../../../model/routes/member';
import type { Catalogue, SignInClaim, SignInMethod } from '../../../policy/schema';
import { DomainError, type FieldProblem, InvalidInput } from '../../runtime/errors';
import { checkNewBaby, MAX_BABIES } from '../babies/rules';
import { requireConsentFor } from '../consents/rules';
import { activeBucket } from '../inactivity/rules';
import { checkJoin } from '../members/rules';
import { checkRecordValue } from '../service-records/rules';

/** The channels a consent may have been given through, as the consent history records them. */
export const IMPORT_CHANNELS = ['app', 'letter', 'phone', 'email'] as const;

/** A channel a consent was given through. */
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];

/**
 * Items one member's transaction may hold at most (DynamoDB allows 100): the profile, the data
 * key and the import marker, then lookups, consent history, babies and service records.
 */
export const TRANSACTION_LIMIT = 100;

/** A consent as the operator's records hold it. */
export interface ImportedConsent {
  readonly granted: boolean;
  readonly at: string;
  readonly channel: ImportChannel;
  readonly policyVersion: string;
}

/** A service record of the line, of a kind the catalogue's `serviceRecords` names. */
export interface ImportedRecord {
  readonly kind: string;
  /** The catalogue item the kind is stored as, and its retention class. */
  readonly itemId: string;
  readonly retentionClass: string;
  readonly createdAt: string;
  /** The record's content as the service stores it (JSON text). */
  readonly value: string;
}

/** A valid line: everything the store writes, before sealing. */
export interface ImportedMember {
  readonly memberId: string;
  readonly signInMethod: SignInMethod;
  readonly joinedAt: string;
  readonly policyVersion: string;
  readonly ageAffirmedAt: string;
  readonly lastSignInAt: string;
  /** The member's item values, in the catalogue's order, sign-in identifiers included. */
  readonly items: Readonly<Record<string, string>>;
  readonly consents: Readonly<Record<string, ImportedConsent>>;
  readonly babies: readonly {
    readonly items: Readonly<Record<string, string>>;
    readonly createdAt: string;
  }[];
  readonly records: readonly ImportedRecord[];
}

/** What checking one line gives: the member to import, or every problem found (no values). */
export type CheckedLine =
  | { readonly ok: true; readonly member: ImportedMember }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** An instant as the export gives it: ISO 8601 with a zone (Z or an offset). */
const instant = () =>
  z.string().check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
      'must be an ISO 8601 time with a zone',
    ),
    z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real time'),
  );

/** The line's envelope; items, babies and records are checked by the join schemas after it. */
function envelopeSchema(c: Catalogue) {
  return z.strictObject({
    // The sign-in account's `sub`, which is the member id everywhere (see the README).
    subject: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'must be the account subject')),
    signInMethod: z.enum(c.signIn as [SignInMethod, ...SignInMethod[]]),
    joinedAt: instant(),
    lastSignInAt: instant(),
    policyVersion: z.string().check(z.regex(/^\d+\.\d+(\.\d+)?$/, 'must be a version such as 1.0')),
    ageAffirmedAt: instant(),
    items: z.record(z.string(), z.unknown()),
    consents: z.strictObject(
      Object.fromEntries(
        Object.keys(c.purposes).map((p) => [
          p,
          z.optional(
            z.strictObject({
              granted: z.boolean(),
              at: instant(),
              channel: z.enum(IMPORT_CHANNELS),
              policyVersion: z.string().check(z.regex(/^\d+\.\d+(\.\d+)?$/, 'must be a version such as 1.0')),
            }),
          ),
        ]),
      ),
    ),
    babies: z.optional(
      z
        .array(z.strictObject({ items: z.record(z.string(), z.unknown()), createdAt: z.optional(instant()) }))
        .check(z.maxLength(MAX_BABIES)),
    ),
    records: z.optional(
      z.array(z.strictObject({ kind: z.string(), createdAt: instant(), content: z.unknown() })),
    ),
  });
}

/** The schemas of one catalogue, built once per import rather than once per line. */
export interface LineSchemas {
  readonly envelope: ReturnType<typeof envelopeSchema>;
  readonly join: ReturnType<typeof joinSchema>;
  readonly baby: ReturnType<typeof babySchema>;
  readonly purchase: ReturnType<typeof postPurchaseRoute.body>;
}

/** Builds the schemas lines are checked with. */
export function lineSchemas(c: Catalogue): LineSchemas {
  return {
    envelope: envelopeSchema(c),
    join: joinSchema(c),
    baby: babySchema(c),
    purchase: postPurchaseRoute.body(),
  };
}

/** Zod issues as field problems: the path and what is wrong, never the input. */
function issuesOf(prefix: string, issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
    return {
      field: path || '(line)',
      problem: issue.code === 'unrecognized_keys' ? `unknown field${keys}` : issue.message,
    };
  });
}

/** A domain error from the join rules as field problems; their texts never hold values. */
function problemsOf(error: unknown, fallbackField: string): FieldProblem[] {
  if (error instanceof InvalidInput) return [...error.errors];
  if (error instanceof DomainError) {
    const { field: named, purpose } = error.extra;
    const field =
      typeof named === 'string' ? named : typeof purpose === 'string' ? `consents.${purpose}` : fallbackField;
    return [{ field, problem: error.detail ?? error.title }];
  }
  throw error;
}

/**
 * Checks one line of the export against the catalogue at `now`: the items as joining checks
 * them (the sign-in identifiers are the account's own, so the line's values stand for the
 * token's), babies and records as their routes check them, and times that are in order and
 * not in the future.
 */
export function checkLine(c: Catalogue, schemas: LineSchemas, text: string, now: Date): CheckedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: say only that it is not JSON.
    return { ok: false, problems: [{ field: '(line)', problem: 'not a JSON object' }] };
  }
  const envelope = schemas.envelope.safeParse(raw);
  if (!envelope.success) return { ok: false, problems: issuesOf('', envelope.error.issues) };
  const line = envelope.data;
  const problems: FieldProblem[] = [];
  const later = (field: string, at: string, than: string, what: string) => {
    if (Date.parse(at) < Date.parse(than)) problems.push({ field, problem: `must not be before ${what}` });
  };
  for (const [field, at] of [
    ['joinedAt', line.joinedAt],
    ['lastSignInAt', line.lastSignInAt],
    ['ageAffirmedAt', line.ageAffirmedAt],
  ] as const) {
    if (Date.parse(at) > now.getTime()) problems.push({ field, problem: 'must not be in the future' });
  }
  later('lastSignInAt', line.lastSignInAt, line.joinedAt, 'joinedAt');
  for (const [purpose, consent] of Object.entries(line.consents)) {
    if (consent && Date.parse(consent.at) > now.getTime())
      problems.push({ field: `consents.${purpose}.at`, problem: 'must not be in the future' });
  }

  const granted = Object.fromEntries(Object.entries(line.consents).map(([p, s]) => [p, s?.granted === true]));
  const joinBody = schemas.join.safeParse({
    items: line.items,
    consents: granted,
    ageAffirmation: true,
    policyVersion: c.policy.version,
  });
  if (!joinBody.success)
    return { ok: false, problems: [...problems, ...issuesOf('', joinBody.error.issues)] };
  const body = joinBody.data as { items: Record<string, string | undefined> };

  // The account is the operator's own: its identifiers are the line's values of the items the
  // sign-in knows, as a verified token would carry them.
  const signInIds: Partial<Record<SignInClaim, string>> = {};
  for (const [id, item] of Object.entries(c.items)) {
    const value = body.items[id];
    if (item.fromSignIn && item.collectedFor.includes(line.signInMethod) && value !== undefined)
      signInIds[item.fromSignIn] = value;
  }
  let items: Record<string, string>;
  try {
    items = checkJoin(
      c,
      { method: line.signInMethod, signInIds },
      { items: body.items, consents: granted, ageAffirmation: true, policyVersion: c.policy.version },
    );
  } catch (error) {
    return { ok: false, problems: [...problems, ...problemsOf(error, 'items')] };
  }
  const grantedSet = new Set(Object.entries(granted).flatMap(([p, g]) => (g ? [p] : [])));

  const babies: { items: Record<string, string>; createdAt: string }[] = [];
  for (const [index, baby] of (line.babies ?? []).entries()) {
    const field = `babies.${index}`;
    const parsed = schemas.baby.safeParse({ items: baby.items });
    if (!parsed.success) {
      problems.push(...issuesOf(field, parsed.error.issues));
      continue;
    }
    const values = Object.fromEntries(
      Object.entries(parsed.data.items as Record<string, string | undefined>).flatMap(([id, v]) =>
        v === undefined ? [] : [[id, v]],
      ),
    );
    try {
      checkNewBaby(c, line.signInMethod, index, values);
      for (const id of Object.keys(values)) {
        if (!c.items[id]?.collectedFor.includes(line.signInMethod))
          throw new InvalidInput([
            { field: `items.${id}`, problem: `not collected for ${line.signInMethod} sign-in` },
          ]);
        requireConsentFor(c, id, grantedSet);
      }
    } catch (error) {
      problems.push(...problemsOf(error, 'items').map((p) => ({ ...p, field: `${field}.${p.field}` })));
      continue;
    }
    const createdAt = baby.createdAt ?? line.joinedAt;
    if (Date.parse(createdAt) > now.getTime())
      problems.push({ field: `${field}.createdAt`, problem: 'must not be in the future' });
    babies.push({ items: values, createdAt });
  }

  const records: ImportedRecord[] = [];
  for (const [index, record] of (line.records ?? []).entries()) {
    const field = `records.${index}`;
    const itemId = (c.serviceRecords as Readonly<Record<string, string | undefined>> | undefined)?.[
      record.kind
    ];
    if (!itemId) {
      problems.push({ field: `${field}.kind`, problem: 'not a kind of record this profile keeps' });
      continue;
    }
    const content = schemas.purchase.safeParse(record.content);
    if (!content.success) {
      problems.push(...issuesOf(`${field}.content`, content.error.issues));
      continue;
    }
    const item = c.items[itemId]!;
    const value = JSON.stringify(content.data);
    try {
      checkRecordValue(item, value);
    } catch (error) {
      problems.push(...problemsOf(error, 'content').map((p) => ({ ...p, field: `${field}.content` })));
      continue;
    }
    if (Date.parse(record.createdAt) > now.getTime())
      problems.push({ field: `${field}.createdAt`, problem: 'must not be in the future' });
    records.push({
      kind: record.kind,
      itemId,
      retentionClass: item.retention,
      createdAt: record.createdAt,
      value,
    });
  }

  const lookups = Object.keys(items).filter((id) => c.items[id]?.lookup).length;
  const written = 3 + lookups + Object.keys(c.purposes).length + babies.length + records.length;
  if (written > TRANSACTION_LIMIT)
    problems.push({
      field: 'records',
      problem: `too many records for one member: at most ${TRANSACTION_LIMIT - written + records.length}`,
    });
  if (problems.length > 0) return { ok: false, problems };

  const consents = Object.fromEntries(
    Object.keys(c.purposes).map((p) => {
      const held = line.consents[p];
      // A purpose the export does not mention was never granted: recorded as refused at joining.
      const state: ImportedConsent = held
        ? { granted: held.granted, at: held.at, channel: held.channel, policyVersion: held.policyVersion }
        : { granted: false, at: line.joinedAt, channel: 'app', policyVersion: line.policyVersion };
      return [p, state];
    }),
  );
  return {
    ok: true,
    member: {
      memberId: line.subject,
      signInMethod: line.signInMethod,
      joinedAt: line.joinedAt,
      policyVersion: line.policyVersion,
      ageAffirmedAt: line.ageAffirmedAt,
      lastSignInAt: line.lastSignInAt,
      items,
      consents,
      babies,
      records,
    },
  };
}

/**
 * The inactivity bucket of an imported member: the day their notice falls due from the
 * imported last sign-in (G9), or today when that day has passed, so the next daily run finds
 * them (its lookback is bounded) and the notice still precedes destruction by the minimum notice.
 */
export function importedBucket(c: Catalogue, lastSignInAt: Date, now: Date): string {
  const due = activeBucket(c.inactivity, lastSignInAt);
  const today = seoulDay(now);
  return due < today ? today : due;
}

/** The counts and problems of an import, as the final report states them: no personal data. */
export interface ImportReport {
  /** Lines read (blank lines are not counted). */
  readonly lines: number;
  readonly imported: number;
  /** Members already there: imported by an earlier run, or joined on their own. */
  readonly skipped: number;
  /** Bad lines, by line number (from 1), each with its fields and problems. */
  readonly bad: readonly { readonly line: number; readonly problems: readonly FieldProblem[] }[];
  /** Lines a dependency failed for (throttling, an outage): nothing of them was written; rerun. */
  readonly failed: readonly number[];
  /** Set when the run stopped early (time budget): the line to resume from. */
  readonly resumeFromLine?: number;
}

/** Formats the report as the command line prints it. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `${r.lines} line(s): ${r.imported} imported, ${r.skipped} skipped (already there), ${r.bad.length} bad, ${r.failed.length} failed`,
    ...r.bad.map((b) => `  line ${b.line}: ${b.problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`),
  ];
  if (r.failed.length > 0)
    lines.push(`  failed (a dependency; nothing written, rerun to import): lines ${r.failed.join(', ')}`);
  if (r.resumeFromLine !== undefined)
    lines.push(`  stopped early: rerun, it resumes at line ${r.resumeFromLine}`);
  return `${lines.join('\n')}\n`;
}
