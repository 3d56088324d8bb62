/**
 * Records of processing (GDPR Art. 30) and the PIPA register, rendered from the catalogue in
 * force: one data model, shown as JSON, as HTML through the policy's own renderer, and as a CSV
 * register with one row per processing activity. Nothing here is written by hand per operator,
 * so a change of the catalogue changes the records with no edit of code.
 */

import { formatDuration, isoDuration } from './duration';
import type { Text } from './i18n';
import type { PolicyDocument, Section } from './render';
import type { Catalogue, Item, LegalBasis, RetentionClass } from './schema';
import { BASIS_LABELS, SUBJECT_LABELS } from './wording';

/** A contact of the controller, as the catalogue names it. */
export interface RecordsContact {
  readonly name: Text;
  readonly role: Text;
  readonly department?: Text;
  readonly phone?: string;
  readonly email?: string;
}

/** One processing activity: a purpose, with what it processes and where it goes. */
export interface ProcessingActivity {
  readonly purpose: string;
  readonly label: Text;
  readonly description: Text;
  readonly required: boolean;
  readonly legalBasis: LegalBasis;
  /** Categories of people whose data the purpose processes. */
  readonly dataSubjects: readonly string[];
  /** Catalogue ids of the items processed for the purpose. */
  readonly items: readonly string[];
  /** Recipients (third parties the member may consent to, then entrustees) by name. */
  readonly recipients: readonly Text[];
  /** Retention classes of those items. */
  readonly retention: readonly string[];
}

/** A retention class as the records state it. */
export interface RecordsRetention {
  readonly class: string;
  readonly label: Text;
  /** An ISO 8601 duration, or `until-withdrawal`. */
  readonly period: string;
  readonly startsAt: RetentionClass['startsAt'];
  readonly law?: Text;
  readonly use: Text;
}

/** The records of processing, as data. */
export interface RecordsOfProcessing {
  readonly controller: { readonly name: Text; readonly service: Text };
  readonly officer: RecordsContact;
  readonly otherContacts: readonly RecordsContact[];
  /** The policy version the records are rendered from. */
  readonly policy: { readonly version: string; readonly effectiveDate: string };
  readonly activities: readonly ProcessingActivity[];
  /** Categories of data subjects and of personal data, by subject. */
  readonly categories: readonly {
    readonly subject: Item['subject'];
    readonly label: Text;
    readonly items: readonly { readonly id: string; readonly label: Text; readonly retention: string }[];
  }[];
  readonly recipients: {
    /** Recipients a member consents to separately (L5/G6). */
    readonly thirdParties: readonly {
      readonly id: string;
      readonly name: Text;
      readonly contact: string;
      readonly purposes: readonly string[];
      readonly items: readonly string[];
    }[];
    /** Processors entrusted with processing. */
    readonly entrustees: readonly {
      readonly contractor: Text;
      readonly task: Text;
      readonly location: Text;
    }[];
    /** Bases other provisions may rest on; each provision is in the provision ledger. */
    readonly otherProvisionBases: readonly LegalBasis[];
  };
  readonly internationalTransfers: { readonly transfers: readonly never[]; readonly statement: string };
  readonly retention: readonly RecordsRetention[];
  readonly security: {
    readonly encryption: readonly string[];
    readonly accessControl: readonly string[];
    readonly logging: readonly string[];
  };
}

/** What the records need of the deployment that the catalogue does not say. */
export interface StackFacts {
  /** The Cognito group whose members may call officer routes. */
  readonly officerGroup: string;
}

const DATA_SUBJECTS: Record<'member' | 'baby', string> = {
  member: 'Members',
  baby: "Members' babies (data the member gives about them)",
};

/** The category of people an item is about: a baby's items are the baby's, all others the member's. */
const dataSubjectOf = (item: Item): 'member' | 'baby' => (item.subject === 'baby' ? 'baby' : 'member');

function periodOf(rc: RetentionClass): string {
  return rc.period === 'until-withdrawal' ? 'until-withdrawal' : isoDuration(rc.period);
}

function periodWords(rc: RetentionClass): string {
  if (rc.period === 'until-withdrawal') return 'until withdrawal';
  const from = { creation: 'from creation', withdrawal: 'after withdrawal', membership: 'from joining' }[
    rc.startsAt
  ];
  return `${formatDuration(rc.period)} ${from}`;
}

/** The records of processing of catalogue `c`. */
export function recordsOfProcessing(c: Catalogue, stack: StackFacts): RecordsOfProcessing {
  const items = Object.entries(c.items);
  const entrustees = c.entrustment.map(({ contractor, task, location }) => ({ contractor, task, location }));
  const activities = Object.entries(c.purposes).map(([purpose, p]): ProcessingActivity => {
    const used = items.filter(([, item]) => item.purposes.includes(purpose));
    const subjects = [...new Set(used.map(([, item]) => dataSubjectOf(item)))];
    return {
      purpose,
      label: p.label,
      description: p.description,
      required: p.required,
      legalBasis: p.legalBasis,
      dataSubjects: subjects.map((s) => DATA_SUBJECTS[s]),
      items: used.map(([id]) => id),
      recipients: [
        ...Object.values(c.thirdParties)
          .filter((t) => t.purposes.includes(purpose))
          .map((t) => t.name),
        ...entrustees.map((e) => e.contractor),
      ],
      retention: [...new Set(used.map(([, item]) => item.retention))],
    };
  });
  const categories = (['member', 'baby', 'service-record', 'access-log'] as const)
    .map((subject) => ({
      subject,
      label: SUBJECT_LABELS[subject],
      items: items
        .filter(([, item]) => item.subject === subject)
        .map(([id, item]) => ({ id, label: item.label, retention: item.retention })),
    }))
    .filter((category) => category.items.length > 0);
  // The records are the officer's register, kept in English; the JSON carries every language.
  const encrypted = items.filter(([, i]) => i.encrypted).map(([, i]) => i.label.en);
  const handlerAccess = c.retention[c.recordClasses.handlerAccess]!;
  const accessLog = c.retention[c.recordClasses.accessLog]!;
  return {
    controller: { ...c.operator },
    officer: { ...c.contacts.officer },
    otherContacts: c.contacts.others.map((o) => ({ ...o })),
    policy: { version: c.policy.version, effectiveDate: c.policy.effectiveDate },
    activities,
    categories,
    recipients: {
      thirdParties: Object.entries(c.thirdParties).map(([id, t]) => ({
        id,
        name: t.name,
        contact: t.contact,
        purposes: [...t.purposes],
        items: [...t.items],
      })),
      entrustees,
      otherProvisionBases: c.provision.bases.filter((b) => b !== 'consent'),
    },
    internationalTransfers: {
      transfers: [],
      statement: `None. Personal data is stored and processed only in ${c.region} (AWS Seoul Region, South Korea); nothing is transferred to a third country or an international organisation.`,
    },
    retention: Object.entries(c.retention).map(([id, rc]) => ({
      class: id,
      label: rc.label,
      period: periodOf(rc),
      startsAt: rc.startsAt,
      ...(rc.law ? { law: rc.law } : {}),
      use: rc.use,
    })),
    security: {
      encryption: [
        `Envelope encryption per member: ${encrypted.join(', ')} are encrypted field by field (AES-256-GCM) under a data key of the member's own, itself encrypted under an AWS KMS key in ${c.region}.`,
        "Crypto-shredding: destroying a member's data key makes every copy of their data unreadable, backups included.",
        'Tables, queues and the photo store are encrypted at rest under customer-managed KMS keys; lookups use keyed blind indexes (HMAC), never plaintext; transport is TLS.',
      ],
      accessControl: [
        'Members sign in through Amazon Cognito; each member reaches only their own data.',
        `Officer routes are open only to the Cognito group "${stack.officerGroup}", whose members must sign in with TOTP multi-factor authentication.`,
        'Each function is granted only the actions and resources it uses (least privilege).',
      ],
      logging: [
        `Every officer access to personal data is recorded (officer, member, action, stated reason, source IP) in an append-only, hash-chained record, kept ${periodWords(handlerAccess)}.`,
        `Members' use of the API is recorded in the access log, kept ${periodWords(accessLog)}.`,
      ],
    },
  };
}

/** The register's columns: one row per processing activity (GDPR Art. 30(1) (a)-(g)). */
export const REGISTER_HEAD = [
  'Controller',
  'Privacy officer',
  'Purpose',
  'Legal basis',
  'Data subjects',
  'Personal data',
  'Recipients',
  'International transfers',
  'Retention',
  'Security measures',
] as const;

function contactLine(p: RecordsContact): string {
  return [p.name.en, p.role.en, p.department?.en, p.phone, p.email]
    .filter((s): s is string => Boolean(s))
    .join(', ');
}

/** The register as a table: {@link REGISTER_HEAD}, then one row per activity. */
export function registerRows(c: Catalogue, r: RecordsOfProcessing): string[][] {
  const controller = `${r.controller.name.en} (${r.controller.service.en})`;
  const security = [...r.security.encryption, ...r.security.accessControl, ...r.security.logging].join(' ');
  return r.activities.map((a) => [
    controller,
    contactLine(r.officer),
    `${a.label.en}: ${a.description.en}`,
    BASIS_LABELS[a.legalBasis].en,
    a.dataSubjects.join('; '),
    a.items.map((id) => c.items[id]?.label.en ?? id).join('; '),
    a.recipients.map((name) => name.en).join('; '),
    'None',
    a.retention
      .map((id) => `${c.retention[id]?.label.en ?? id}: ${periodWords(c.retention[id]!)}`)
      .join('; '),
    security,
  ]);
}

/** The records as a document the policy's HTML renderer shows. */
export function recordsDocument(c: Catalogue, r: RecordsOfProcessing): PolicyDocument {
  const sections: Section[] = [
    {
      id: 'controller',
      title: 'Controller and privacy officer',
      blocks: [
        {
          kind: 'table',
          head: ['Name', 'Role', 'Department', 'Phone', 'Email'],
          rows: [
            [r.controller.name.en, `Controller (${r.controller.service.en})`, '', '', ''],
            ...[r.officer, ...r.otherContacts].map((p) => [
              p.name.en,
              p.role.en,
              p.department?.en ?? '',
              p.phone ?? '',
              p.email ?? '',
            ]),
          ],
        },
      ],
    },
    {
      id: 'activities',
      title: 'Processing activities',
      blocks: [
        { kind: 'table', head: REGISTER_HEAD.slice(2), rows: registerRows(c, r).map((row) => row.slice(2)) },
      ],
    },
    {
      id: 'categories',
      title: 'Categories of data subjects and personal data',
      blocks: r.categories.flatMap((cat) => [
        { kind: 'paragraph', text: `${cat.label.en}:` } as const,
        {
          kind: 'table',
          head: ['Item', 'Retention class'],
          rows: cat.items.map((i) => [i.label.en, c.retention[i.retention]?.label.en ?? i.retention]),
        } as const,
      ]),
    },
    {
      id: 'recipients',
      title: 'Recipients',
      blocks: [
        {
          kind: 'table',
          head: ['Recipient', 'Role', 'Purposes or task', 'Location'],
          rows: [
            ...r.recipients.thirdParties.map((t) => [
              t.name.en,
              'Third party (separate consent of the member)',
              t.purposes.map((p) => c.purposes[p]?.label.en ?? p).join('; '),
              '',
            ]),
            ...r.recipients.entrustees.map((e) => [
              e.contractor.en,
              'Entrustee (processor)',
              e.task.en,
              e.location.en,
            ]),
          ],
        },
        ...(r.recipients.otherProvisionBases.length > 0
          ? [
              {
                kind: 'paragraph',
                text: `Provisions on other bases (${r.recipients.otherProvisionBases.map((b) => BASIS_LABELS[b].en).join('; ')}) are each recorded in the provision ledger with recipient, items and reference.`,
              } as const,
            ]
          : []),
      ],
    },
    {
      id: 'transfers',
      title: 'International transfers',
      blocks: [{ kind: 'paragraph', text: r.internationalTransfers.statement }],
    },
    {
      id: 'retention',
      title: 'Retention',
      blocks: [
        {
          kind: 'table',
          head: ['Records', 'Kept for', 'Basis'],
          rows: Object.values(c.retention).map((rc) => [rc.label.en, periodWords(rc), (rc.law ?? rc.use).en]),
        },
      ],
    },
    {
      id: 'security',
      title: 'Security measures',
      blocks: [
        { kind: 'paragraph', text: 'Encryption:' },
        { kind: 'list', items: r.security.encryption },
        { kind: 'paragraph', text: 'Access control:' },
        { kind: 'list', items: r.security.accessControl },
        { kind: 'paragraph', text: 'Logging:' },
        { kind: 'list', items: r.security.logging },
      ],
    },
  ];
  return {
    title: `${r.controller.name.en}: records of processing (GDPR Art. 30) and personal data register (PIPA)`,
    version: r.policy.version,
    effectiveDate: r.policy.effectiveDate,
    sections,
  };
}

/** One CSV field (RFC 4180), with a cell a spreadsheet would run as a formula made inert. */
function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) && !/^[+-][\d\s().-]+$/.test(value) ? `'${value}` : value;
  return `"${inert.replace(/"/g, '""')}"`;
}

/** A table as CSV (RFC 4180: CRLF line ends, every field quoted). */
export function renderCsv(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[head, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
