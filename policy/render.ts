/**
 * The published privacy policy, rendered from the catalogue (L3, L17/G18). One document model,
 * two renderings (Markdown and HTML), so the text cannot drift from what the engine enforces.
 */
import { formatDuration } from './duration';
import type { Catalogue, Item, LegalBasis, RetentionClass, ServiceUse, SignInMethod } from './schema';

/** A block of the policy document. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | {
      readonly kind: 'table';
      readonly head: readonly string[];
      readonly rows: readonly (readonly string[])[];
    };

/** A numbered section of the policy document. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** The policy as a document: title, version line and sections. */
export interface PolicyDocument {
  readonly title: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly sections: readonly Section[];
  /** An announced change (L18): the version that takes effect next, in full, with its summary. */
  readonly upcoming?: UpcomingDocument;
}

/** The document of an announced version, with the summary of changes its notice gave. */
export type UpcomingDocument = Omit<PolicyDocument, 'upcoming'> & { readonly summary: string };

/** `current` with the announced version `next` attached (L18). */
export function withUpcoming(current: PolicyDocument, next: PolicyDocument, summary: string): PolicyDocument {
  const { upcoming: _, ...rest } = next;
  return { ...current, upcoming: { ...rest, summary } };
}

const methodLabels: Record<SignInMethod, string> = {
  google: 'Google sign-in',
  apple: 'Apple sign-in',
  password: 'ID and password sign-up',
};

/** How each legal basis reads in the policy and the records of processing. */
export const BASIS_LABELS: Record<LegalBasis, string> = {
  consent: 'Consent of the member',
  contract: 'Conclusion and performance of the contract with the member',
  'legal-obligation': 'Compliance with a legal obligation',
  'vital-interests': 'Vital interests of the member',
  'legitimate-interests':
    "The operator's legitimate interests, where the member's rights do not outweigh them",
};

/** How each subject of items reads in the policy and the records of processing. */
export const SUBJECT_LABELS: Record<Item['subject'], string> = {
  member: 'About you',
  baby: 'About your baby',
  'service-record': 'Records of your use of the service',
  'access-log': 'Collected automatically when you use the service',
};

function period(rc: RetentionClass): string {
  if (rc.period === 'until-withdrawal') return 'Until you withdraw your membership';
  const from = { creation: 'from creation', withdrawal: 'after withdrawal', membership: 'from joining' }[
    rc.startsAt
  ];
  return `${formatDuration(rc.period)} ${from}`;
}

function requirement(c: Catalogue, item: Item): string {
  if (item.providedBy === 'service') return 'Recorded by the service';
  if (item.requiredFor.length === 0) return 'Optional';
  if (item.requiredFor.length === c.signIn.length) return 'Required';
  const optionalFor = item.collectedFor.filter((m) => !item.requiredFor.includes(m));
  const required = `Required for ${item.requiredFor.map((m) => methodLabels[m]).join(', ')}`;
  return optionalFor.length > 0
    ? `${required}; optional for ${optionalFor.map((m) => methodLabels[m]).join(', ')}`
    : required;
}

/** Builds the policy document of a catalogue. */
export function policyDocument(c: Catalogue): PolicyDocument {
  const items = Object.values(c.items);
  const purposes = Object.values(c.purposes);
  const purposeLabel = (id: string) => c.purposes[id]?.label ?? id;
  const hasVault = Object.values(c.retention).some((rc) => rc.store === 'vault');
  const { contacts } = c;

  const collection: Block[] = [
    {
      kind: 'paragraph',
      text: `${c.operator.name} collects only the personal data listed here, and only after telling you what is collected and why. Anything else sent to the service is refused, not stored.`,
    },
  ];
  for (const subject of ['member', 'baby', 'service-record', 'access-log'] as const) {
    const rows = items
      .filter((i) => i.subject === subject && i.store !== 'cognito')
      .map((i) => [i.label, requirement(c, i), i.purposes.map(purposeLabel).join(', ')]);
    if (rows.length === 0) continue;
    collection.push({ kind: 'paragraph', text: `${SUBJECT_LABELS[subject]}:` });
    collection.push({ kind: 'table', head: ['Item', 'Required or optional', 'Purposes'], rows });
  }
  const secrets = items.filter((i) => i.store === 'cognito');
  if (secrets.length > 0) {
    collection.push({
      kind: 'paragraph',
      text: `${secrets.map((i) => i.label).join(', ')}: required to sign up, held only by the identity provider in one-way (hashed) form. The operator can never read it and will never ask you for it.`,
    });
  }
  collection.push({
    kind: 'paragraph',
    text: 'You may refuse consent to optional items and purposes and keep using the service; refusing what is required blocks only what needs it. Every consent and refusal is recorded with the policy version, time and channel, and you can see them at any time.',
  });

  const sections: Section[] = [
    { id: 'collection', title: 'Personal data we collect', blocks: collection },
    {
      id: 'purposes',
      title: 'Why we use it, and on what legal basis',
      blocks: [
        {
          kind: 'table',
          head: ['Purpose', 'What it covers', 'Required', 'Legal basis'],
          rows: purposes.map((p) => [
            p.label,
            p.description,
            p.required ? 'Yes' : 'No, optional',
            BASIS_LABELS[p.legalBasis],
          ]),
        },
        {
          kind: 'paragraph',
          text: 'Personal data is used only for these purposes. A new purpose needs your new, separate consent.',
        },
      ],
    },
    {
      id: 'provision',
      title: 'Provision to third parties',
      blocks: [
        {
          kind: 'paragraph',
          text: 'Your personal data is not given to any third party unless you consent to that recipient and purpose, or a law requires it. Every provision is recorded (recipient, items, time and reason) and shown to you.',
        },
      ],
    },
    {
      id: 'entrustment',
      title: 'Entrustment of processing',
      blocks: [
        {
          kind: 'table',
          head: ['Contractor', 'Entrusted task', 'Location'],
          rows: c.entrustment.map((e) => [e.contractor, e.task, e.location]),
        },
      ],
    },
    {
      id: 'retention',
      title: 'How long we keep it',
      blocks: [
        {
          kind: 'table',
          head: ['Records', 'Kept for', 'Basis'],
          rows: Object.values(c.retention).map((rc) => [rc.label, period(rc), rc.law ?? rc.use]),
        },
        ...(hasVault
          ? [
              {
                kind: 'paragraph',
                text: 'Records a law requires keeping are moved at withdrawal to a separate, encrypted store, used for nothing but that retention, and destroyed when their period ends.',
              } as const,
            ]
          : []),
      ],
    },
    {
      id: 'destruction',
      title: 'Destruction',
      blocks: [
        {
          kind: 'paragraph',
          text: 'When the purpose is achieved (withdrawal, or the end of a retention period) your data is destroyed without delay. Each member’s data is encrypted under a key of its own; destroying that key makes every copy unreadable, backups included. You receive a signed deletion receipt.',
        },
        { kind: 'paragraph', text: inactivityText(c) },
      ],
    },
    {
      id: 'rights',
      title: 'Your rights and how to exercise them',
      blocks: [
        {
          kind: 'list',
          items: [
            'View everything held about you, correct it, and export it in a machine-readable form.',
            'Withdraw any consent, and withdraw your membership, at any time in the app.',
            'Restrict or object to processing. While a correction is pending, the data under correction is not used or provided; if wrong data was already provided to a third party, that party is told the corrected result.',
            `Ask the privacy officer by ${contacts.requestChannels.filter((ch) => ch !== 'app').join(', ')}; we act after verifying your identity.`,
            `We answer within ${formatDuration(c.requestDeadlines.pipa)} under Korean law, or within ${formatDuration(c.requestDeadlines.gdpr)} under the GDPR (extendable by up to ${formatDuration(c.requestDeadlines.gdprMaxExtension)}, with the reason told to you).`,
            'Members in the European Union may lodge a complaint with a data-protection supervisory authority.',
          ],
        },
      ],
    },
    {
      id: 'minors',
      title: 'Children',
      blocks: [
        {
          kind: 'paragraph',
          text: `You must be ${c.minimumAge} or older to join. A membership found to belong to a child under ${c.minimumAge} is terminated without delay; the child or a guardian can also ask for termination or withdraw in the app. False information, such as someone else's, can get a membership suspended: ${suspensionText(c)}`,
        },
      ],
    },
    {
      id: 'security',
      title: 'Security',
      blocks: [
        {
          kind: 'list',
          items: [
            `All personal data is stored in ${c.region} (AWS Seoul) and encrypted field by field with AES-256-GCM under keys held in AWS KMS.`,
            'Passwords are held one-way by the identity provider; the operator can never read them.',
            'Transport is encrypted; data is backed up continuously; the service is monitored.',
            'Access to personal data is limited to named handlers, and every access is recorded.',
          ],
        },
      ],
    },
    {
      id: 'cookies',
      title: 'Cookies',
      blocks: [{ kind: 'paragraph', text: 'The service sets no cookies and collects none.' }],
    },
    {
      id: 'contacts',
      title: 'Contacts',
      blocks: [
        {
          kind: 'table',
          head: ['Name', 'Role', 'Department', 'Phone', 'Email'],
          rows: [contacts.officer, ...contacts.others].map((p) => [
            p.name,
            p.role,
            p.department ?? '',
            p.phone ?? '',
            p.email ?? '',
          ]),
        },
        { kind: 'paragraph', text: 'To report or consult about an infringement of personal data:' },
        {
          kind: 'list',
          items: contacts.complaintChannels.map((ch) =>
            [ch.name, ch.phone, ch.url].filter((part): part is string => Boolean(part)).join(' — '),
          ),
        },
      ],
    },
    {
      id: 'changes',
      title: 'Changes to this policy',
      blocks: [
        {
          kind: 'paragraph',
          text: `A change is announced at least ${formatDuration(c.policyChange.noticeLead)} before it takes effect, and every member is emailed.`,
        },
      ],
    },
  ];
  return {
    title: `${c.operator.service} privacy policy`,
    version: c.policy.version,
    effectiveDate: c.policy.effectiveDate,
    sections,
  };
}

const markdownCell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdownSections(sections: readonly Section[], depth: number): string[] {
  const out: string[] = [];
  const hashes = '#'.repeat(depth);
  sections.forEach((section, n) => {
    out.push(`${hashes} ${n + 1}. ${section.title}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'paragraph') out.push(block.text, '');
      else if (block.kind === 'list') out.push(...block.items.map((i) => `- ${i}`), '');
      else {
        out.push(
          `| ${block.head.map(markdownCell).join(' | ')} |`,
          `|${block.head.map(() => ' --- |').join('')}`,
        );
        out.push(...block.rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`), '');
      }
    }
  });
  return out;
}

/** The line announcing a change, above the policy in force. */
function announcement(next: UpcomingDocument): string {
  return `A new version, ${next.version}, takes effect on ${next.effectiveDate}. It is shown in full below this one.`;
}

/** The policy as Markdown; an announced version follows the one in force. */
export function renderMarkdown(doc: PolicyDocument): string {
  const out = [`# ${doc.title}`, '', `Version ${doc.version}, effective ${doc.effectiveDate}.`, ''];
  if (doc.upcoming) out.push(`> ${announcement(doc.upcoming)}`, '');
  out.push(...markdownSections(doc.sections, 2));
  const next = doc.upcoming;
  if (next) {
    out.push('---', '', `## Upcoming: version ${next.version}, effective ${next.effectiveDate}`, '');
    out.push('What changes:', '', next.summary, '');
    out.push(...markdownSections(next.sections, 3));
  }
  return out.join('\n');
}

const html = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function htmlSections(sections: readonly Section[], heading: 'h2' | 'h3', idPrefix: string): string[] {
  const body: string[] = [];
  sections.forEach((section, n) => {
    body.push(
      `<section id="${html(idPrefix + section.id)}">`,
      `<${heading}>${n + 1}. ${html(section.title)}</${heading}>`,
    );
    for (const block of section.blocks) {
      if (block.kind === 'paragraph') body.push(`<p>${html(block.text)}</p>`);
      else if (block.kind === 'list')
        body.push(`<ul>${block.items.map((i) => `<li>${html(i)}</li>`).join('')}</ul>`);
      else {
        const head = `<thead><tr>${block.head.map((h) => `<th scope="col">${html(h)}</th>`).join('')}</tr></thead>`;
        const rows = block.rows
          .map((r) => `<tr>${r.map((cell) => `<td>${html(cell)}</td>`).join('')}</tr>`)
          .join('');
        body.push(`<table>${head}<tbody>${rows}</tbody></table>`);
      }
    }
    body.push('</section>');
  });
  return body;
}

/** The policy as a standalone HTML page; an announced version follows the one in force. */
export function renderHtml(doc: PolicyDocument): string {
  const body: string[] = [
    `<h1>${html(doc.title)}</h1>`,
    `<p>Version ${html(doc.version)}, effective ${html(doc.effectiveDate)}.</p>`,
  ];
  const next = doc.upcoming;
  if (next) body.push(`<aside><p><a href="#upcoming">${html(announcement(next))}</a></p></aside>`);
  body.push(...htmlSections(doc.sections, 'h2', ''));
  if (next) {
    body.push(
      '<article id="upcoming">',
      `<h2>Upcoming: version ${html(next.version)}, effective ${html(next.effectiveDate)}</h2>`,
      '<p>What changes:</p>',
      ...next.summary.split(/\n{2,}/).map((p) => `<p>${html(p)}</p>`),
      ...htmlSections(next.sections, 'h3', 'upcoming-'),
      '</article>',
    );
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(doc.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}</style>',
    '</head>',
    `<body>${body.join('\n')}</body>`,
    '</html>',
  ].join('\n');
}

/** How each use of the service a suspension may block reads in the policy. */
const serviceUseLabels: Record<ServiceUse, string> = {
  'add-baby': 'adding babies',
  purchase: 'recording purchases',
  'grant-consent': 'consenting to further purposes',
  'lift-restriction': 'lifting a restriction of processing',
};

/** What a suspension stops, and that it never stops the member's rights (L12, L14/G10, L16). */
function suspensionText(c: Catalogue): string {
  const blocks = c.suspension.blocks.map((use) => serviceUseLabels[use]);
  const stops = blocks.length > 0 ? `it stops ${blocks.join(', ')}` : 'it stops no use of this service';
  return `${stops}, never your rights: you can still view, export and correct your data (correcting it is the way out of a suspension), withdraw consent, restrict or object to processing, and withdraw.`;
}

/**
 * The inactivity rule in the operator's words: its own policy, which no law requires since the
 * PIPA duty was repealed (2023-09-15), or that there is none when the profile switches it off.
 */
export function inactivityText(c: Catalogue): string {
  const rule = c.inactivity;
  if (!rule.enabled) {
    return 'We do not end memberships for inactivity: your membership and your data stay until you withdraw or a retention period above ends.';
  }
  const kept = c.recordClasses.onWithdrawal.map((id) => c.retention[id]?.label ?? id);
  const separated =
    kept.length > 0
      ? ` The records a law requires us to keep (${kept.join('; ')}) are separated into a store used for nothing else and destroyed when their period ends.`
      : '';
  return `By our own rule (no law requires it since 15 September 2023), if you do not sign in for ${formatDuration(rule.period)}, your membership ends and all your personal data is destroyed, as at a withdrawal.${separated} ${formatDuration(rule.noticeLead)} before, we email you what will be destroyed and when. The clock runs from your last sign-in; signing in again stops it. A change of this period is a change of this policy, announced in advance like any other.`;
}
