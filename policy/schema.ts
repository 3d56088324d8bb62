/**
 * The shape of a policy catalogue: everything the engine needs to know about one operator's
 * privacy policy, as data. No AWS imports: the catalogue feeds the CDK app, the handlers and
 * the local stack alike.
 */
import * as z from 'zod/mini';
import { atLeastMonths, atMostMonths } from './duration';
import { LANGUAGES } from './i18n';

/** AWS Seoul: the only region the product stores or processes personal data in (L6). */
export const SEOUL_REGION = 'ap-northeast-2';

/** The shortest inactivity period a catalogue may state, in months. */
export const MIN_INACTIVITY_MONTHS = 6;
/** The longest inactivity period a catalogue may state, in months (3 years). */
export const MAX_INACTIVITY_MONTHS = 36;

/**
 * The thresholds of the annual usage notice (PIPA Art. 20-2; Enforcement Decree Art. 15-3(1)):
 * an operator holding the personal information of this many members, or the sensitive or unique
 * identification information of this many, on average over the last three months of the
 * previous year, must notice each member once a year.
 */
export const USAGE_NOTICE_THRESHOLDS = { members: 1_000_000, sensitiveOrIdentification: 50_000 } as const;

/**
 * Whether a profile sends the annual usage notice: `required` (the operator's counts meet a
 * threshold), `voluntary` (below them, sent anyway) or `not-subject` (not sent: no job).
 */
export const usageNoticeApplicabilities = ['required', 'voluntary', 'not-subject'] as const;

/** Days of the week, as working hours name them. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The ways a member signs in. */
export const signInMethods = ['google', 'apple', 'password'] as const;

/** The legal bases a purpose may rest on. */
export const legalBases = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'legitimate-interests',
] as const;

/**
 * The bases a provision to a third party may rest on (L5/G6); each catalogue allows those its
 * policy names. Every basis but `consent` is recorded with the reference it rests on.
 */
export const provisionBases = [
  'consent',
  'legal-obligation',
  'contract',
  'vital-interests',
  'legitimate-interests',
] as const;

/** Where an item lives: on the member record, on a baby, in a service record, or in the access log. */
export const itemSubjects = ['member', 'baby', 'service-record', 'access-log'] as const;

/**
 * The privacy rights a member exercises through the API. No catalogue can make a suspension
 * block one (L14/G10, L16): suspension for false information stops the use of the service,
 * never the member's rights, and correcting is the way out of it.
 */
export const privacyRights = [
  'view',
  'export',
  'correct',
  'delete',
  'withdraw-consent',
  'restrict',
  'withdraw',
] as const;

/** Uses of the service through the API, which a catalogue may declare blocked while suspended (L12). */
export const serviceUses = ['add-baby', 'purchase', 'grant-consent', 'lift-restriction'] as const;

/**
 * Identifiers the sign-in provider already knows, as the verified token carries them: the
 * user-pool username (ID-and-password accounts), or the federated identity's user id (e.g. the
 * Apple member number).
 */
export const signInClaims = ['username', 'provider-user-id'] as const;

/**
 * The stores the engine knows. `vault` holds what a law requires keeping after the purpose ends;
 * `photos` is the stack's image bucket, where each image item is an object of its own.
 */
export const stores = ['members', 'vault', 'logs', 'cognito', 'photos'] as const;

/** The image types a photo item may accept (checked on the upload's signed request and at download). */
export const imageMediaTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** The largest image any catalogue may accept: 5 MiB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * The catalogue's schemas, built on first use: a function validates a catalogue only when an
 * officer publishes a version (bundles take their profile validated at build time), so building
 * them at every cold start would cost time, and keep zod in functions that need none of it.
 */
function defineSchemas() {
  /** Identifiers used as keys inside a catalogue: lower camel or kebab case, no spaces. */
  const id = z.string().check(z.regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a lower-case identifier'));
  const text = z.string().check(z.minLength(1));
  /**
   * A text a person reads, in every language (policy/i18n.ts): a missing translation fails
   * validation at its own key, e.g. `items.email.label.en`.
   */
  const translation = z
    .string({ error: (issue) => (issue.input === undefined ? 'missing translation' : undefined) })
    .check(z.minLength(1));
  const localizedText = z.strictObject({ ko: translation, en: translation });
  /** A sentence pointer into the operator's source policy, e.g. "seed ch. 2 §3-9". */
  const source = z.string().check(z.minLength(3));
  const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 09:00'));
  const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'));

  /** A calendar duration. Months and years follow the calendar (Jan 31 + 1 month = Feb 28). */
  const durationSchema = z
    .strictObject({
      years: z.optional(z.int().check(z.minimum(0), z.maximum(50))),
      months: z.optional(z.int().check(z.minimum(0), z.maximum(600))),
      days: z.optional(z.int().check(z.minimum(0), z.maximum(20_000))),
    })
    .check(z.refine((d) => (d.years ?? 0) + (d.months ?? 0) + (d.days ?? 0) > 0, 'must be longer than zero'));

  const formatSchema = z.union([
    z.strictObject({ type: z.literal('text'), maxLength: z.int().check(z.minimum(1), z.maximum(4096)) }),
    z.strictObject({ type: z.literal('email') }),
    z.strictObject({ type: z.literal('phone') }),
    z.strictObject({ type: z.literal('url') }),
    /** An image the member uploads to the photos store; the item's value is a reference to it. */
    z.strictObject({
      type: z.literal('image'),
      mediaTypes: z.array(z.enum(imageMediaTypes)).check(z.minLength(1)),
      maxBytes: z.int().check(z.minimum(1), z.maximum(MAX_IMAGE_BYTES)),
    }),
    z.strictObject({ type: z.literal('enum'), values: z.array(id).check(z.minLength(1)) }),
    z.strictObject({ type: z.literal('ip-address') }),
    z.strictObject({ type: z.literal('timestamp') }),
    z.strictObject({ type: z.literal('secret') }),
  ]);

  const itemSchema = z.strictObject({
    label: localizedText,
    subject: z.enum(itemSubjects),
    /** Sign-in methods for which the member must provide the item to join. */
    requiredFor: z.array(z.enum(signInMethods)),
    /** Sign-in methods for which the item may be collected at all (a superset of requiredFor). */
    collectedFor: z.array(z.enum(signInMethods)),
    /** Who provides it: the member, or the service records it automatically. */
    providedBy: z.enum(['member', 'service']),
    correctable: z.boolean(),
    /** Correcting it needs a verification step; until then the item is frozen (L15/G11). */
    verifyOnCorrection: z.boolean(),
    /** Encrypted field by field before it reaches storage (L13/G15). */
    encrypted: z.boolean(),
    /** Looked up through a keyed blind index (never plaintext). */
    lookup: z.boolean(),
    store: z.enum(stores),
    /**
     * The sign-in provider knows this identifier: it is taken from the verified token, and a
     * value the member sends must equal it (G1, L2), so nobody can declare another's.
     */
    fromSignIn: z.optional(z.enum(signInClaims)),
    purposes: z.array(id).check(z.minLength(1)),
    retention: id,
    format: formatSchema,
    source,
  });

  const purposeSchema = z.strictObject({
    label: localizedText,
    description: localizedText,
    /** Required purposes must be granted to join; optional ones may be refused (L1, G2). */
    required: z.boolean(),
    legalBasis: z.enum(legalBases),
    source,
  });

  const retentionClassSchema = z.strictObject({
    label: localizedText,
    /** A calendar duration, or kept only while the member is a member. */
    period: z.union([durationSchema, z.literal('until-withdrawal')]),
    /** The moment the period starts to run. */
    startsAt: z.enum(['creation', 'withdrawal', 'membership']),
    store: z.enum(stores),
    /** The law that requires keeping it, when one does. */
    law: z.optional(localizedText),
    /** What the retained copy may be used for, and nothing else (L7/G7). */
    use: localizedText,
    /** For classes created at withdrawal: the items kept, and whether the membership record is. */
    keeps: z.optional(z.strictObject({ items: z.array(id), membership: z.boolean() })),
    source,
  });

  /** A physical resource name of the operator's (table, bucket, attribute): no spaces, no wildcards. */
  const resourceName = z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a resource name'));
  const attribute = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'must be an attribute name'));
  /**
   * What every silo declares: what it is, which catalogue items it holds, and the policy's
   * sentence. `items` also decides what a consent withdrawal asks of it: a custom system erases
   * the released items it holds; a table or bucket (one record set per member) is erased only
   * when every item it holds is released, and is otherwise kept, untouched, on the record.
   */
  const siloBase = { label: localizedText, items: z.array(id).check(z.minLength(1)), source };
  const siloSchema = z.union([
    /** An operator's DynamoDB table, found by the member id in its partition key or a GSI. */
    z.strictObject({
      kind: z.literal('dynamodb'),
      ...siloBase,
      table: resourceName,
      partitionKey: attribute,
      sortKey: z.optional(attribute),
      /** A GSI whose partition key holds the member id; without it, the partition key does. */
      memberIndex: z.optional(z.strictObject({ name: resourceName, attribute })),
    }),
    /** An operator's S3 bucket; each member's objects under a prefix naming the member id. */
    z.strictObject({
      kind: z.literal('s3'),
      ...siloBase,
      bucket: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')),
      prefix: z
        .string()
        .check(
          z.regex(
            /^[A-Za-z0-9!_.*'()/-]*\{memberId\}[A-Za-z0-9!_.*'()/-]*\/$/,
            'must contain {memberId} and end with /',
          ),
        ),
    }),
    /** A system the stack cannot reach: told by an event (ids only), it answers through the callback route. */
    z.strictObject({
      kind: z.literal('custom'),
      ...siloBase,
      /** Who runs the system, as the receipt names it. */
      system: localizedText,
      /** How long it may take to answer before the request shows as lagging and the alarm sees it. */
      answerWithin: durationSchema,
    }),
  ]);

  const contactSchema = z.strictObject({
    name: localizedText,
    role: localizedText,
    department: z.optional(localizedText),
    phone: z.optional(text),
    email: z.optional(z.email()),
    /** The language this contact reads the product's emails in (the officer's digest); Korean if absent. */
    lang: z.optional(z.enum(LANGUAGES)),
  });

  const channelSchema = z.strictObject({
    name: localizedText,
    phone: z.optional(text),
    url: z.optional(text),
  });

  /**
   * When a regulator must be told of a breach: any one condition that holds is enough. Unset
   * conditions never hold.
   */
  const breachTriggerSchema = z.strictObject({
    /** This many affected members or more. */
    minMembers: z.optional(z.int().check(z.minimum(1))),
    /** Any item of `breach.sensitiveItems` leaked. */
    sensitiveItems: z.optional(z.literal(true)),
    /** Any item of `breach.identificationItems` leaked. */
    identificationItems: z.optional(z.literal(true)),
    /** The cause was an attack from outside (hacking, illegal access). */
    outsideAttack: z.optional(z.literal(true)),
    /** Members the GDPR protects are among the affected. */
    euMembers: z.optional(z.literal(true)),
  });

  /** A regulator a breach is reported to, with the law it reports under and how to file. */
  const regulatorSchema = z.strictObject({
    id,
    name: localizedText,
    /** Where and how the report is filed. */
    filing: localizedText,
    law: z.enum(['pipa', 'gdpr']),
    when: breachTriggerSchema,
    source,
  });

  const catalogueSchema = z.strictObject({
    profile: id,
    operator: z.strictObject({ name: localizedText, service: localizedText }),
    region: z.literal(SEOUL_REGION),
    policy: z.strictObject({
      version: z.string().check(z.regex(/^\d+\.\d+(\.\d+)?$/, 'must be a version such as 1.0')),
      effectiveDate: isoDate,
      source,
    }),
    signIn: z.array(z.enum(signInMethods)).check(z.minLength(1)),
    items: z.record(id, itemSchema),
    purposes: z.record(id, purposeSchema),
    retention: z.record(id, retentionClassSchema),
    /** Which retention class applies to what the engine itself writes. */
    recordClasses: z.strictObject({
      member: id,
      accessLog: id,
      handlerAccess: id,
      /** Records created on withdrawal (withdrawn email, contract/withdrawal record); may be empty. */
      onWithdrawal: z.array(id),
    }),
    /**
     * Records the service creates while the member is active, by kind: the service-record item each
     * kind is stored as (its retention class applies from creation). A kind without an item has no
     * route in the profile.
     */
    serviceRecords: z.optional(z.strictObject({ purchases: z.optional(id) })),
    /** The item notices are emailed to (inactivity, policy changes, restriction lifted). */
    noticeItem: id,
    /**
     * The operator's own inactivity rule (G9). It is the operator's policy, not a duty of law: the
     * PIPA duty to destroy or separate the data of members inactive for a year (Art. 39-6) was
     * repealed with effect from 2023-09-15. A profile may switch it off (`enabled: false`): then
     * the stack has no inactivity job, and nobody is noticed or destroyed for inactivity.
     */
    inactivity: z.strictObject({
      enabled: z.boolean(),
      /** Whose rule it is: always the operator's own policy, as the rendered policy says. */
      authority: z.literal('operator-policy'),
      /** At least 6 and at most 3 years, whatever day it starts on. */
      period: durationSchema.check(
        z.refine(
          (d) => atLeastMonths(d, MIN_INACTIVITY_MONTHS) && atMostMonths(d, MAX_INACTIVITY_MONTHS),
          `must be between ${MIN_INACTIVITY_MONTHS} months and ${MAX_INACTIVITY_MONTHS / 12} years`,
        ),
      ),
      /**
       * What the end of the period does: `destroy`, as a withdrawal would (personal data destroyed,
       * crypto-shredded), the records a law requires (`recordClasses.onWithdrawal`) separated into
       * the vault for their own periods.
       */
      action: z.literal('destroy'),
      noticeLead: durationSchema,
      /** The minimum time between the notice and destruction, whatever the notice's date. */
      minimumNotice: durationSchema,
      basis: z.literal('last-sign-in'),
      source,
    }),
    /**
     * What a suspension for false information blocks (L12): uses of the service only, so the
     * schema cannot name a privacy right here.
     */
    suspension: z.strictObject({ blocks: z.array(z.enum(serviceUses)), source }),
    minimumAge: z.int().check(z.minimum(14), z.maximum(21)),
    policyChange: z.strictObject({ noticeLead: durationSchema, source }),
    /**
     * The monthly review of handler access records (Korean safety standard Art. 8): the working
     * hours outside which an officer's action is listed, what makes an officer's month unusual
     * against their own history, and how long the privacy officer has to sign the review off.
     */
    accessReview: z.strictObject({
      /** Asia/Seoul working hours (from inclusive, to exclusive) on the listed weekdays. */
      workingHours: z.strictObject({
        from: clockTime,
        to: clockTime,
        days: z.array(z.enum(weekdays)).check(z.minLength(1)),
      }),
      /**
       * A month is unusual when an officer's records exceed `factor` times their mean over the
       * `historyMonths` months before it, and number at least `minimum`.
       */
      unusualVolume: z.strictObject({
        factor: z.number().check(z.minimum(1)),
        historyMonths: z.int().check(z.minimum(1), z.maximum(12)),
        minimum: z.int().check(z.minimum(1)),
      }),
      /** From the first day of the next month: after it, an unreviewed month is overdue. */
      signOffWithin: durationSchema,
      source,
    }),
    requestDeadlines: z.strictObject({
      pipa: durationSchema,
      gdpr: durationSchema,
      gdprMaxExtension: durationSchema,
      source,
    }),
    contacts: z.strictObject({
      officer: contactSchema,
      others: z.array(contactSchema),
      requestChannels: z.array(z.enum(['app', 'letter', 'phone', 'email'])).check(z.minLength(1)),
      complaintChannels: z.array(channelSchema).check(z.minLength(1)),
      source,
    }),
    entrustment: z.array(
      z.strictObject({ contractor: localizedText, task: localizedText, location: localizedText, source }),
    ),
    /**
     * What a provision to a third party may rest on (L5/G6): `consent` (the member's separate
     * consent to the recipient), or a basis recorded with its reference.
     */
    provision: z.strictObject({
      bases: z.array(z.enum(provisionBases)).check(z.minLength(1)),
      source,
    }),
    /**
     * The recipients a member can consent to (L5/G6), by id: the member consents to each one
     * separately (PUT /v1/me/provision-consents/{recipient}), and that consent covers providing
     * `items` to it for `purposes` (each item declared for one of them). Empty when
     * the policy names no recipient.
     */
    thirdParties: z.record(
      id,
      z.strictObject({
        name: localizedText,
        contact: z.email(),
        purposes: z.array(id).check(z.minLength(1)),
        items: z.array(id).check(z.minLength(1)),
        source,
      }),
    ),
    /**
     * The operator's other stores holding members' data (issue 15): erasure (withdrawal, and a
     * consent withdrawal for the items it releases) and export reach them through the silo
     * queue; each function is granted exactly what its silos need.
     */
    silos: z.record(id, siloSchema),
    /**
     * Personal-data breaches (PIPA Art. 34, Enforcement Decree Arts. 39-40; GDPR Arts. 33-34): the
     * clocks, which items count as sensitive or identification data, and the regulators in order
     * (the first PIPA regulator whose conditions hold is the one reported to; every GDPR one whose
     * conditions hold is too).
     */
    breach: z.strictObject({
      /** Hours from discovery within which each affected member must be told. */
      memberNoticeHours: z.int().check(z.minimum(1), z.maximum(72)),
      /** Hours from discovery within which the regulator must have the report. */
      regulatorReportHours: z.int().check(z.minimum(1), z.maximum(72)),
      /** Hours before a deadline at which an unmet clock raises the near-deadline alarm. */
      warnHoursBefore: z.int().check(z.minimum(1), z.maximum(24)),
      /** Sensitive data (PIPA Art. 23; GDPR Art. 9) among the catalogue's items. */
      sensitiveItems: z.array(id),
      /** Unique identification data (PIPA Art. 24) among the catalogue's items. */
      identificationItems: z.array(id),
      regulators: z.array(regulatorSchema).check(z.minLength(1)),
      /** What a member can do to reduce the harm, told in every notice. */
      memberActions: localizedText,
      /** Where members report damage and ask questions: the officer, and this desk. */
      helpDesk: localizedText,
      source,
    }),
    /**
     * The annual notice of usage history (PIPA Art. 20-2; Enforcement Decree Art. 15-3): whether
     * the operator sends it and on what basis, the statutory thresholds it is judged by, and the
     * Seoul day from which each year's run is due. The applicability is declared, with its basis,
     * rather than counted: the decree's average over the last three months of the previous year
     * is the operator's figure to state, not a scan of the members table to repeat every year.
     * Each notice covers the previous calendar year (Asia/Seoul) and goes by email to `noticeItem`.
     */
    usageNotice: z.strictObject({
      applicability: z.enum(usageNoticeApplicabilities),
      /** Why: the counts the operator declares against the thresholds, as the officer states them. */
      basis: localizedText,
      /** At most the decree's figures: a catalogue may be stricter than the law, never laxer. */
      thresholds: z.strictObject({
        members: z
          .int()
          .check(
            z.minimum(1),
            z.maximum(
              USAGE_NOTICE_THRESHOLDS.members,
              `must be at most ${USAGE_NOTICE_THRESHOLDS.members} (Enforcement Decree Art. 15-3(1))`,
            ),
          ),
        sensitiveOrIdentification: z
          .int()
          .check(
            z.minimum(1),
            z.maximum(
              USAGE_NOTICE_THRESHOLDS.sensitiveOrIdentification,
              `must be at most ${USAGE_NOTICE_THRESHOLDS.sensitiveOrIdentification} (Enforcement Decree Art. 15-3(1))`,
            ),
          ),
      }),
      /**
       * The Seoul month and day each year's run is due from; the daily job starts it on the first
       * run on or after that day. Days past the 28th are refused, so every month has the day.
       */
      due: z.strictObject({
        month: z.int().check(z.minimum(1), z.maximum(12)),
        day: z.int().check(z.minimum(1), z.maximum(28, 'must be at most 28, a day every month has')),
      }),
      /** By email to the catalogue's `noticeItem`. */
      channel: z.literal('email'),
      source,
    }),
    cookies: z.literal(false),
    /** The duties of POLICY-CLAUSES.md that bind this profile, each traced to its seed. */
    clauses: z.record(z.string().check(z.regex(/^[LG]\d+$/)), z.strictObject({ duty: text, source })),
  });
  return {
    durationSchema,
    itemSchema,
    purposeSchema,
    retentionClassSchema,
    siloSchema,
    regulatorSchema,
    catalogueSchema,
  };
}

type Schemas = ReturnType<typeof defineSchemas>;
let schemas: Schemas | undefined;

/** The schema of a whole catalogue, for validating one written as data. */
export function catalogueSchema(): Schemas['catalogueSchema'] {
  schemas ??= defineSchemas();
  return schemas.catalogueSchema;
}

/** A catalogue as written in a profile file, before validation. */
export type CatalogueInput = z.input<Schemas['catalogueSchema']>;
/** A validated catalogue. */
export type Catalogue = z.output<Schemas['catalogueSchema']>;
export type Duration = z.output<Schemas['durationSchema']>;
export type Item = z.output<Schemas['itemSchema']>;
export type Purpose = z.output<Schemas['purposeSchema']>;
export type RetentionClass = z.output<Schemas['retentionClassSchema']>;
/** A regulator a breach may be reported to. */
export type Regulator = z.output<Schemas['regulatorSchema']>;
/** The catalogue's annual usage notice (PIPA Art. 20-2). */
export type UsageNoticeRule = z.output<Schemas['catalogueSchema']>['usageNotice'];
/** One of the operator's data stores holding members' data. */
export type Silo = z.output<Schemas['siloSchema']>;
/** The kind of a silo: `dynamodb`, `s3` or `custom`. */
export type SiloKind = Silo['kind'];
export type SignInMethod = (typeof signInMethods)[number];
/** An image type a photo item may accept. */
export type ImageMediaType = (typeof imageMediaTypes)[number];
/** Where in the verified token an identifier the provider knows is. */
export type SignInClaim = (typeof signInClaims)[number];
export type LegalBasis = (typeof legalBases)[number];
/** A privacy right exercised through the API. */
export type PrivacyRight = (typeof privacyRights)[number];
/** A basis a provision to a third party may rest on. */
export type ProvisionBasis = (typeof provisionBases)[number];
/** A use of the service a suspension may block. */
export type ServiceUse = (typeof serviceUses)[number];
