/**
 * The published privacy policy, rendered from the catalogue (L3, L17/G18). One document model,
 * three renderings (Markdown, HTML and the model itself as JSON), so the text cannot drift from
 * what the engine enforces. In Korean the sections follow the order and headings of PIPC's
 * privacy-policy writing guideline (개인정보 처리방침 작성지침), headed by the privacy labels
 * (개인정보 처리방침 라벨링) drawn from the same catalogue; English is the same structure.
 */
import { durationText } from './duration';
import { DEFAULT_LANGUAGE, type Language, listText, type Text } from './i18n';
import { particle } from './particles';
import type { Catalogue, Item, RetentionClass } from './schema';
import {
  BASIS_LABELS,
  CHANNEL_LABELS,
  METHOD_LABELS,
  PROVISION_BASIS_LABELS,
  RIGHT_LABELS,
  SERVICE_USE_LABELS,
  SUBJECT_LABELS,
} from './wording';

export { BASIS_LABELS, SUBJECT_LABELS } from './wording';

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

/** The privacy labels, in the order the labelling guideline shows them. */
export const LABEL_IDS = [
  'items',
  'purposes',
  'retention',
  'provision',
  'entrustment',
  'rights',
  'officer',
] as const;

/** One privacy label (개인정보 처리방침 라벨): an icon, a heading, and its summary from the catalogue. */
export interface PrivacyLabel {
  readonly id: (typeof LABEL_IDS)[number];
  readonly title: string;
  readonly summary: readonly string[];
  /** The section of the policy the label summarises. */
  readonly section: string;
}

/** The policy as a document: title, version line, labels and sections. */
export interface PolicyDocument {
  /** The language the document is written in; absent for English-only documents. */
  readonly lang?: Language;
  readonly title: string;
  readonly version: string;
  readonly effectiveDate: string;
  /** The opening paragraph, before the labels. */
  readonly intro?: string;
  readonly labels?: readonly PrivacyLabel[];
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

/** The ids of the policy's sections, in the order of PIPC's writing guideline. */
export const SECTION_IDS = [
  'purposes',
  'items',
  'retention',
  'destruction',
  'provision',
  'entrustment',
  'transfers',
  'security',
  'cookies',
  'children',
  'rights',
  'officer',
  'remedies',
  'changes',
] as const;

/** The section headings, as the guideline words them (작성지침: 처리방침의 기재사항). */
const HEADINGS: Readonly<Record<(typeof SECTION_IDS)[number], Text>> = {
  purposes: { ko: '개인정보의 처리 목적', en: 'Why we process personal data' },
  items: { ko: '처리하는 개인정보의 항목', en: 'Personal data we process' },
  retention: { ko: '개인정보의 처리 및 보유 기간', en: 'How long we process and keep it' },
  destruction: { ko: '개인정보의 파기 절차 및 방법', en: 'How we destroy it' },
  provision: { ko: '개인정보의 제3자 제공', en: 'Provision to third parties' },
  entrustment: { ko: '개인정보 처리업무의 위탁', en: 'Entrustment of processing' },
  transfers: { ko: '개인정보의 국외 이전', en: 'Transfers abroad' },
  security: { ko: '개인정보의 안전성 확보조치', en: 'Security measures' },
  cookies: {
    ko: '개인정보 자동 수집 장치의 설치·운영 및 거부에 관한 사항',
    en: 'Automatic collection devices (cookies)',
  },
  children: { ko: '만 14세 미만 아동의 개인정보 처리', en: 'Children' },
  rights: {
    ko: '정보주체와 법정대리인의 권리·의무 및 그 행사방법',
    en: 'Your rights and those of your legal representative, and how to exercise them',
  },
  officer: {
    ko: '개인정보 보호책임자 및 고충처리 부서',
    en: 'Privacy officer and the department handling your requests',
  },
  remedies: { ko: '정보주체의 권익침해에 대한 구제방법', en: 'Remedies for an infringement of your rights' },
  changes: { ko: '개인정보 처리방침의 변경', en: 'Changes to this policy' },
};

const LABEL_TITLES: Readonly<Record<PrivacyLabel['id'], Text>> = {
  items: { ko: '수집 항목', en: 'Data collected' },
  purposes: { ko: '처리 목적', en: 'Purposes' },
  retention: { ko: '보유 기간', en: 'Retention' },
  provision: { ko: '제3자 제공', en: 'Provision' },
  entrustment: { ko: '처리 위탁', en: 'Entrustment' },
  rights: { ko: '정보주체의 권리', en: 'Your rights' },
  officer: { ko: '고충처리 부서', en: 'Privacy officer' },
};

/** Words of the document that are not the catalogue's. */
const W = {
  item: { ko: '항목', en: 'Item' },
  required: { ko: '필수 여부', en: 'Required or optional' },
  purposes: { ko: '처리 목적', en: 'Purposes' },
  purpose: { ko: '목적', en: 'Purpose' },
  covers: { ko: '내용', en: 'What it covers' },
  requiredShort: { ko: '필수', en: 'Required' },
  basis: { ko: '법적 근거', en: 'Legal basis' },
  yes: { ko: '필수', en: 'Yes' },
  no: { ko: '선택', en: 'No, optional' },
  optional: { ko: '선택', en: 'Optional' },
  byService: { ko: '서비스 이용 시 자동 생성', en: 'Recorded by the service' },
  records: { ko: '보유 항목', en: 'Records' },
  keptFor: { ko: '보유 기간', en: 'Kept for' },
  keptBasis: { ko: '근거', en: 'Basis' },
  contractor: { ko: '수탁자', en: 'Contractor' },
  task: { ko: '위탁 업무', en: 'Entrusted task' },
  location: { ko: '처리 장소', en: 'Location' },
  name: { ko: '성명', en: 'Name' },
  role: { ko: '직책', en: 'Role' },
  department: { ko: '부서', en: 'Department' },
  phone: { ko: '전화', en: 'Phone' },
  email: { ko: '이메일', en: 'Email' },
  untilWithdrawal: { ko: '회원 탈퇴 시까지', en: 'Until you withdraw your membership' },
  none: { ko: '없음', en: 'None' },
} as const satisfies Record<string, Text>;

function period(rc: RetentionClass, lang: Language): string {
  if (rc.period === 'until-withdrawal') return W.untilWithdrawal[lang];
  const d = durationText(rc.period, lang);
  if (lang === 'ko') {
    return { creation: `생성일부터 ${d}`, withdrawal: `탈퇴 후 ${d}`, membership: `가입일부터 ${d}` }[
      rc.startsAt
    ];
  }
  const from = { creation: 'from creation', withdrawal: 'after withdrawal', membership: 'from joining' }[
    rc.startsAt
  ];
  return `${d} ${from}`;
}

const list = listText;

function requirement(c: Catalogue, item: Item, lang: Language): string {
  if (item.providedBy === 'service') return W.byService[lang];
  if (item.requiredFor.length === 0) return W.optional[lang];
  if (item.requiredFor.length === c.signIn.length) return W.requiredShort[lang];
  const optionalFor = item.collectedFor.filter((m) => !item.requiredFor.includes(m));
  const methods = (ms: readonly Item['requiredFor'][number][]) =>
    list(
      ms.map((m) => METHOD_LABELS[m][lang]),
      lang,
    );
  if (lang === 'ko') {
    const required = `${methods(item.requiredFor)} 필수`;
    return optionalFor.length > 0 ? `${required}, ${methods(optionalFor)} 선택` : required;
  }
  const required = `Required for ${methods(item.requiredFor)}`;
  return optionalFor.length > 0 ? `${required}; optional for ${methods(optionalFor)}` : required;
}

/** The privacy labels of a catalogue, each summarising one section from the same entries. */
function privacyLabels(c: Catalogue, lang: Language): PrivacyLabel[] {
  const collected = Object.values(c.items).filter((i) => i.providedBy === 'member');
  const required = collected.filter((i) => i.requiredFor.length > 0).map((i) => i.label[lang]);
  const optional = collected.filter((i) => i.requiredFor.length === 0).map((i) => i.label[lang]);
  const automatic = Object.values(c.items)
    .filter((i) => i.providedBy === 'service')
    .map((i) => i.label[lang]);
  const ko = lang === 'ko';
  const label = (id: PrivacyLabel['id'], section: string, summary: string[]): PrivacyLabel => ({
    id,
    title: LABEL_TITLES[id][lang],
    summary,
    section,
  });
  const recipients = Object.values(c.thirdParties).map((p) => p.name[lang]);
  const otherBases = c.provision.bases.filter((b) => b !== 'consent');
  const officer = c.contacts.officer;
  return [
    label('items', 'items', [
      `${ko ? '필수' : 'Required'}: ${list(required, lang) || W.none[lang]}`,
      `${ko ? '선택' : 'Optional'}: ${list(optional, lang) || W.none[lang]}`,
      `${ko ? '자동 수집' : 'Collected automatically'}: ${list(automatic, lang) || W.none[lang]}`,
    ]),
    label(
      'purposes',
      'purposes',
      Object.values(c.purposes).map(
        (p) => `${p.label[lang]} (${p.required ? W.yes[lang] : ko ? '선택' : 'optional'})`,
      ),
    ),
    label(
      'retention',
      'retention',
      Object.values(c.retention).map((rc) => `${rc.label[lang]}: ${period(rc, lang)}`),
    ),
    label('provision', 'provision', [
      recipients.length > 0
        ? `${ko ? '동의한 경우' : 'With your consent'}: ${list(recipients, lang)}`
        : ko
          ? '정해진 제3자 없음'
          : 'No named recipient',
      ...(otherBases.length > 0
        ? [
            `${ko ? '그 밖에는 다음 근거로만 제공' : 'Otherwise only on'}: ${list(
              otherBases.map((b) => PROVISION_BASIS_LABELS[b][lang]),
              lang,
            )}`,
          ]
        : []),
    ]),
    label(
      'entrustment',
      'entrustment',
      c.entrustment.map((e) => `${e.contractor[lang]}: ${e.task[lang]}`),
    ),
    label('rights', 'rights', [
      list(
        (['view', 'export', 'correct', 'delete', 'withdraw-consent', 'restrict', 'withdraw'] as const).map(
          (r) => RIGHT_LABELS[r][lang],
        ),
        lang,
      ),
    ]),
    label('officer', 'officer', [
      [officer.name[lang], officer.role[lang], officer.phone, officer.email]
        .filter((s): s is string => Boolean(s))
        .join(', '),
    ]),
  ];
}

/** Builds the policy document of a catalogue in `lang` (Korean unless the reader chose English). */
export function policyDocument(c: Catalogue, lang: Language = DEFAULT_LANGUAGE): PolicyDocument {
  const ko = lang === 'ko';
  const items = Object.values(c.items);
  const purposes = Object.values(c.purposes);
  const purposeLabel = (id: string) => c.purposes[id]?.label[lang] ?? id;
  const hasVault = Object.values(c.retention).some((rc) => rc.store === 'vault');
  const { contacts } = c;
  const operator = c.operator.name[lang];
  const heading = (id: (typeof SECTION_IDS)[number]) => HEADINGS[id][lang];

  const collection: Block[] = [
    {
      kind: 'paragraph',
      text: ko
        ? `${particle(operator, '은/는')} 아래 개인정보만을, 무엇을 왜 수집하는지 미리 알린 뒤에 수집합니다. 그 밖에 서비스로 보내진 정보는 저장하지 않고 거부합니다.`
        : `${operator} collects only the personal data listed here, and only after telling you what is collected and why. Anything else sent to the service is refused, not stored.`,
    },
  ];
  for (const subject of ['member', 'baby', 'service-record', 'access-log'] as const) {
    const rows = items
      .filter((i) => i.subject === subject && i.store !== 'cognito')
      .map((i) => [i.label[lang], requirement(c, i, lang), i.purposes.map(purposeLabel).join(', ')]);
    if (rows.length === 0) continue;
    collection.push({ kind: 'paragraph', text: `${SUBJECT_LABELS[subject][lang]}:` });
    collection.push({ kind: 'table', head: [W.item[lang], W.required[lang], W.purposes[lang]], rows });
  }
  const secrets = items.filter((i) => i.store === 'cognito');
  if (secrets.length > 0) {
    const names = secrets.map((i) => i.label[lang]).join(', ');
    collection.push({
      kind: 'paragraph',
      text: ko
        ? `${particle(names, '은/는')} 가입에 필요하며, 인증 서비스만이 일방향(해시) 형태로 보관합니다. 운영자는 이를 읽을 수 없고 절대 묻지 않습니다.`
        : `${names}: required to sign up, held only by the identity provider in one-way (hashed) form. The operator can never read it and will never ask you for it.`,
    });
  }
  collection.push({
    kind: 'paragraph',
    text: ko
      ? '선택 항목과 선택 목적에 대한 동의는 거부할 수 있으며, 거부해도 서비스를 계속 이용할 수 있습니다. 필수 항목을 거부하면 그것이 필요한 기능만 이용할 수 없습니다. 모든 동의와 거부는 방침 버전, 시각, 경로와 함께 기록되며 언제든 확인할 수 있습니다.'
      : 'You may refuse consent to optional items and purposes and keep using the service; refusing what is required blocks only what needs it. Every consent and refusal is recorded with the policy version, time and channel, and you can see them at any time.',
  });

  const complaintLines = contacts.complaintChannels.map((ch) =>
    [ch.name[lang], ch.phone, ch.url].filter((part): part is string => Boolean(part)).join(' — '),
  );
  const requestChannels = contacts.requestChannels
    .filter((ch) => ch !== 'app')
    .map((ch) => CHANNEL_LABELS[ch][lang]);
  const pipa = durationText(c.requestDeadlines.pipa, lang);
  const gdpr = durationText(c.requestDeadlines.gdpr, lang);
  const gdprMax = durationText(c.requestDeadlines.gdprMaxExtension, lang);

  const sections: Section[] = [
    {
      id: 'purposes',
      title: heading('purposes'),
      blocks: [
        {
          kind: 'table',
          head: [W.purpose[lang], W.covers[lang], W.requiredShort[lang], W.basis[lang]],
          rows: purposes.map((p) => [
            p.label[lang],
            p.description[lang],
            p.required ? W.yes[lang] : W.no[lang],
            BASIS_LABELS[p.legalBasis][lang],
          ]),
        },
        {
          kind: 'paragraph',
          text: ko
            ? '개인정보는 위 목적으로만 처리합니다. 새로운 목적에는 별도의 새로운 동의를 받습니다.'
            : 'Personal data is used only for these purposes. A new purpose needs your new, separate consent.',
        },
      ],
    },
    { id: 'items', title: heading('items'), blocks: collection },
    {
      id: 'retention',
      title: heading('retention'),
      blocks: [
        {
          kind: 'table',
          head: [W.records[lang], W.keptFor[lang], W.keptBasis[lang]],
          rows: Object.values(c.retention).map((rc) => [
            rc.label[lang],
            period(rc, lang),
            (rc.law ?? rc.use)[lang],
          ]),
        },
        ...(hasVault
          ? [
              {
                kind: 'paragraph',
                text: ko
                  ? '법령이 보존을 요구하는 기록은 탈퇴 시 암호화된 별도 저장소로 옮겨져 보존 목적 외에는 이용되지 않으며, 기간이 끝나면 파기됩니다.'
                  : 'Records a law requires keeping are moved at withdrawal to a separate, encrypted store, used for nothing but that retention, and destroyed when their period ends.',
              } as const,
            ]
          : []),
      ],
    },
    {
      id: 'destruction',
      title: heading('destruction'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? '탈퇴나 보유 기간 종료로 목적이 달성되면 개인정보를 지체 없이 파기합니다. 회원마다 고유한 키로 암호화하며, 그 키를 파기하면 백업을 포함한 모든 사본을 읽을 수 없게 됩니다. 파기 후에는 서명된 삭제 확인서를 드립니다.'
            : 'When the purpose is achieved (withdrawal, or the end of a retention period) your data is destroyed without delay. Each member’s data is encrypted under a key of its own; destroying that key makes every copy unreadable, backups included. You receive a signed deletion receipt.',
        },
        { kind: 'paragraph', text: inactivityText(c, lang) },
      ],
    },
    {
      id: 'provision',
      title: heading('provision'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? '정보주체가 제공받는 자와 목적에 동의하거나 법률이 요구하는 경우가 아니면 개인정보를 제3자에게 제공하지 않습니다. 모든 제공은 받는 자, 항목, 시각, 사유와 함께 기록되고 정보주체에게 공개됩니다.'
            : 'Your personal data is not given to any third party unless you consent to that recipient and purpose, or a law requires it. Every provision is recorded (recipient, items, time and reason) and shown to you.',
        },
      ],
    },
    {
      id: 'entrustment',
      title: heading('entrustment'),
      blocks: [
        {
          kind: 'table',
          head: [W.contractor[lang], W.task[lang], W.location[lang]],
          rows: c.entrustment.map((e) => [e.contractor[lang], e.task[lang], e.location[lang]]),
        },
      ],
    },
    {
      id: 'transfers',
      title: heading('transfers'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? `모든 개인정보는 ${c.region}(AWS 서울 리전)에만 저장·처리되며, 국외로 이전하지 않습니다.`
            : `All personal data is stored and processed only in ${c.region} (AWS Seoul Region); nothing is transferred abroad.`,
        },
      ],
    },
    {
      id: 'security',
      title: heading('security'),
      blocks: [
        {
          kind: 'list',
          items: ko
            ? [
                `모든 개인정보는 ${c.region}(AWS 서울)에 저장되며, AWS KMS가 보관하는 키로 항목별 AES-256-GCM 암호화됩니다.`,
                '비밀번호는 인증 서비스가 일방향으로 보관하며 운영자는 읽을 수 없습니다.',
                '전송 구간을 암호화하고, 지속적으로 백업하며, 서비스를 감시합니다.',
                '개인정보에 대한 접근은 지정된 취급자로 제한되며, 모든 접근이 기록됩니다.',
              ]
            : [
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
      title: heading('cookies'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? '서비스는 쿠키를 설치하지 않으며 수집하지도 않습니다. 개인정보 처리 화면의 로그인 토큰은 브라우저 탭의 세션 저장소(sessionStorage)에만 보관되며, 탭을 닫으면 삭제됩니다.'
            : "The service sets no cookies and collects none. The privacy pages keep your sign-in token in the browser tab's session storage only, and it is gone when you close the tab.",
        },
      ],
    },
    {
      id: 'children',
      title: heading('children'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? `만 ${c.minimumAge}세 이상만 가입할 수 있습니다. 만 ${c.minimumAge}세 미만 아동의 가입이 확인되면 지체 없이 회원 자격을 해지하며, 아동이나 법정대리인도 해지를 요청하거나 앱에서 탈퇴할 수 있습니다. 타인의 정보 등 허위 정보를 입력하면 회원 자격이 정지될 수 있습니다. ${suspensionText(c, lang)}`
            : `You must be ${c.minimumAge} or older to join. A membership found to belong to a child under ${c.minimumAge} is terminated without delay; the child or a guardian can also ask for termination or withdraw in the app. False information, such as someone else's, can get a membership suspended: ${suspensionText(c, lang)}`,
        },
      ],
    },
    {
      id: 'rights',
      title: heading('rights'),
      blocks: [
        {
          kind: 'list',
          items: ko
            ? [
                '본인에 관한 모든 정보를 열람·정정하고, 기계가 읽을 수 있는 형태로 내려받을 수 있습니다.',
                '언제든 앱에서 동의를 철회하고 회원 탈퇴를 할 수 있습니다.',
                '처리정지를 요구하거나 처리에 반대할 수 있습니다. 정정 요청이 처리되는 동안 해당 정보는 이용하거나 제공하지 않으며, 잘못된 정보가 이미 제3자에게 제공되었다면 정정 결과를 그 제3자에게 알립니다.',
                `${requestChannels.length > 0 ? `${particle(list(requestChannels, lang), '으로/로')} ` : ''}개인정보 보호책임자에게 요청할 수 있으며, 본인 확인 후 처리합니다. 법정대리인도 같은 방법으로 요청할 수 있습니다.`,
                `한국 법에 따라 ${pipa} 이내에, GDPR에 따라 ${gdpr} 이내에 답합니다(최대 ${gdprMax} 연장 가능하며, 그 사유를 알려드립니다).`,
                '유럽연합의 회원은 개인정보 감독기구에 민원을 제기할 수 있습니다.',
              ]
            : [
                'View everything held about you, correct it, and export it in a machine-readable form.',
                'Withdraw any consent, and withdraw your membership, at any time in the app.',
                'Restrict or object to processing. While a correction is pending, the data under correction is not used or provided; if wrong data was already provided to a third party, that party is told the corrected result.',
                `Ask the privacy officer by ${list(requestChannels, lang)}; we act after verifying your identity. A legal representative may ask the same way.`,
                `We answer within ${pipa} under Korean law, or within ${gdpr} under the GDPR (extendable by up to ${gdprMax}, with the reason told to you).`,
                'Members in the European Union may lodge a complaint with a data-protection supervisory authority.',
              ],
        },
      ],
    },
    {
      id: 'officer',
      title: heading('officer'),
      blocks: [
        {
          kind: 'table',
          head: [W.name[lang], W.role[lang], W.department[lang], W.phone[lang], W.email[lang]],
          rows: [contacts.officer, ...contacts.others].map((p) => [
            p.name[lang],
            p.role[lang],
            p.department?.[lang] ?? '',
            p.phone ?? '',
            p.email ?? '',
          ]),
        },
      ],
    },
    {
      id: 'remedies',
      title: heading('remedies'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? '개인정보 침해에 대한 신고나 상담이 필요하면 아래 기관에 문의할 수 있습니다:'
            : 'To report or consult about an infringement of personal data:',
        },
        { kind: 'list', items: complaintLines },
      ],
    },
    {
      id: 'changes',
      title: heading('changes'),
      blocks: [
        {
          kind: 'paragraph',
          text: ko
            ? `이 방침이 바뀌면 시행 ${durationText(c.policyChange.noticeLead, lang)} 전까지 공지하고 모든 회원에게 이메일로 알립니다.`
            : `A change is announced at least ${durationText(c.policyChange.noticeLead, lang)} before it takes effect, and every member is emailed.`,
        },
      ],
    },
  ];
  return {
    lang,
    title: ko ? `${c.operator.service.ko} 개인정보 처리방침` : `${c.operator.service.en} privacy policy`,
    version: c.policy.version,
    effectiveDate: c.policy.effectiveDate,
    intro: ko
      ? `${particle(operator, '은/는')} 「개인정보 보호법」 제30조에 따라 정보주체의 개인정보를 보호하고 이와 관련한 고충을 신속하고 원활하게 처리할 수 있도록 다음과 같이 개인정보 처리방침을 수립·공개합니다.`
      : `${operator} publishes this privacy policy under Article 30 of the Personal Information Protection Act, to protect your personal data and to handle your requests about it promptly.`,
    labels: privacyLabels(c, lang),
    sections,
  };
}

/** The words of the document frame in each language. */
const FRAME = {
  version: (v: string, d: string, lang: Language) =>
    lang === 'ko' ? `버전 ${v}, 시행일 ${d}.` : `Version ${v}, effective ${d}.`,
  announcement: (next: UpcomingDocument, lang: Language) =>
    lang === 'ko'
      ? `새 버전(${next.version})은 ${next.effectiveDate}부터 시행됩니다. 아래에 전문을 싣습니다.`
      : `A new version, ${next.version}, takes effect on ${next.effectiveDate}. It is shown in full below this one.`,
  upcoming: (next: UpcomingDocument, lang: Language) =>
    lang === 'ko'
      ? `예정: 버전 ${next.version}, 시행일 ${next.effectiveDate}`
      : `Upcoming: version ${next.version}, effective ${next.effectiveDate}`,
  changes: { ko: '변경 내용:', en: 'What changes:' },
  labels: { ko: '개인정보 처리 라벨', en: 'Privacy labels' },
} as const;

/** Text symbols of the labels for Markdown, where no image is drawn. */
const LABEL_SYMBOLS: Readonly<Record<PrivacyLabel['id'], string>> = {
  items: '▦',
  purposes: '◎',
  retention: '◷',
  provision: '⇄',
  entrustment: '⚙',
  rights: '✔',
  officer: '☎',
};

/**
 * The labels' icons as inline SVG paths (24×24, drawn for this product): a form, a target, a
 * clock, two arrows, a gear-like cog, a check shield and a person.
 */
const LABEL_ICONS: Readonly<Record<PrivacyLabel['id'], string>> = {
  items: '<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M8 8h8M8 12h8M8 16h5"/>',
  purposes: '<circle cx="12" cy="12" r="8"/><circle cx="12" cy="12" r="4"/><circle cx="12" cy="12" r="1"/>',
  retention: '<circle cx="12" cy="12" r="8"/><path d="M12 7v5l3 2"/>',
  provision: '<path d="M4 8h13l-3-3M20 16H7l3 3"/>',
  entrustment:
    '<circle cx="12" cy="12" r="3"/><path d="M12 3v3M12 18v3M3 12h3M18 12h3M6 6l2 2M16 16l2 2M6 18l2-2M16 8l2-2"/>',
  rights: '<path d="M12 3l7 3v5c0 5-3 8-7 10-4-2-7-5-7-10V6z"/><path d="M9 12l2 2 4-4"/>',
  officer: '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-6 8-6s8 2 8 6"/>',
};

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

function markdownLabels(labels: readonly PrivacyLabel[], lang: Language): string[] {
  const out = [`## ${FRAME.labels[lang]}`, ''];
  for (const label of labels) {
    out.push(`- ${LABEL_SYMBOLS[label.id]} **${label.title}**: ${label.summary.join('; ')}`);
  }
  out.push('');
  return out;
}

/** The policy as Markdown; an announced version follows the one in force. */
export function renderMarkdown(doc: PolicyDocument): string {
  const lang = doc.lang ?? 'en';
  const out = [`# ${doc.title}`, '', FRAME.version(doc.version, doc.effectiveDate, lang), ''];
  if (doc.upcoming) out.push(`> ${FRAME.announcement(doc.upcoming, lang)}`, '');
  if (doc.intro) out.push(doc.intro, '');
  if (doc.labels) out.push(...markdownLabels(doc.labels, lang));
  out.push(...markdownSections(doc.sections, 2));
  const next = doc.upcoming;
  if (next) {
    out.push('---', '', `## ${FRAME.upcoming(next, lang)}`, '');
    out.push(FRAME.changes[lang], '', next.summary, '');
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

function htmlLabels(labels: readonly PrivacyLabel[], lang: Language): string[] {
  const items = labels.map(
    (label) =>
      `<li class="label" id="label-${label.id}"><a href="#${label.section}"><svg viewBox="0 0 24 24" width="32" height="32" role="img" aria-label="${html(label.title)}" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${LABEL_ICONS[label.id]}</svg><strong>${html(label.title)}</strong></a>${label.summary.map((s) => `<span>${html(s)}</span>`).join('')}</li>`,
  );
  return [
    `<nav aria-labelledby="labels-title"><h2 id="labels-title">${html(FRAME.labels[lang])}</h2>`,
    `<ul class="labels">${items.join('')}</ul></nav>`,
  ];
}

/** The look of the labels, added to the page only where labels are drawn. */
const LABELS_CSS =
  '.labels{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.75rem}.label{border:1px solid #ccc;border-radius:.5rem;padding:.6rem}.label a{display:flex;align-items:center;gap:.4rem;color:inherit}.label span{display:block;font-size:.9rem}';

/**
 * The published policy as a standalone HTML page, with its privacy labels drawn as icons of our
 * own (inline SVG, nothing fetched); an announced version follows the one in force.
 */
export function renderPolicyHtml(doc: PolicyDocument): string {
  return renderHtml(doc, { css: LABELS_CSS, labels: htmlLabels });
}

/**
 * A document as a standalone HTML page (the records of processing use it too); an announced
 * version follows the one in force. Labels are drawn only through {@link renderPolicyHtml}, so
 * a function that renders no policy bundles no icons.
 */
export function renderHtml(
  doc: PolicyDocument,
  drawn?: {
    readonly css: string;
    readonly labels: (labels: readonly PrivacyLabel[], lang: Language) => string[];
  },
): string {
  const lang = doc.lang ?? 'en';
  const body: string[] = [
    `<h1>${html(doc.title)}</h1>`,
    `<p>${html(FRAME.version(doc.version, doc.effectiveDate, lang))}</p>`,
  ];
  const next = doc.upcoming;
  if (next) {
    body.push(`<aside><p><a href="#upcoming">${html(FRAME.announcement(next, lang))}</a></p></aside>`);
  }
  if (doc.intro) body.push(`<p>${html(doc.intro)}</p>`);
  if (doc.labels && drawn) body.push(...drawn.labels(doc.labels, lang));
  body.push(...htmlSections(doc.sections, 'h2', ''));
  if (next) {
    body.push(
      '<article id="upcoming">',
      `<h2>${html(FRAME.upcoming(next, lang))}</h2>`,
      `<p>${html(FRAME.changes[lang])}</p>`,
      ...next.summary.split(/\n{2,}/).map((p) => `<p>${html(p)}</p>`),
      ...htmlSections(next.sections, 'h3', 'upcoming-'),
      '</article>',
    );
  }
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(doc.title)}</title>`,
    `<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}${drawn?.css ?? ''}</style>`,
    '</head>',
    `<body>${body.join('\n')}</body>`,
    '</html>',
  ].join('\n');
}

/** What a suspension stops, and that it never stops the member's rights (L12, L14/G10, L16). */
function suspensionText(c: Catalogue, lang: Language): string {
  const blocks = c.suspension.blocks.map((use) => SERVICE_USE_LABELS[use][lang]);
  if (lang === 'ko') {
    const stops =
      blocks.length > 0
        ? `정지되면 ${particle(list(blocks, lang), '이/가')} 중단되지만`
        : '정지되어도 이 서비스의 이용은 중단되지 않으며';
    return `${stops}, 정보주체의 권리는 중단되지 않습니다: 정보의 열람·내려받기·정정(정정이 정지에서 벗어나는 방법입니다), 동의 철회, 처리정지·반대, 탈퇴는 계속 할 수 있습니다.`;
  }
  const stops = blocks.length > 0 ? `it stops ${blocks.join(', ')}` : 'it stops no use of this service';
  return `${stops}, never your rights: you can still view, export and correct your data (correcting it is the way out of a suspension), withdraw consent, restrict or object to processing, and withdraw.`;
}

/**
 * The inactivity rule in the operator's words: its own policy, which no law requires since the
 * PIPA duty was repealed (2023-09-15), or that there is none when the profile switches it off.
 */
export function inactivityText(c: Catalogue, lang: Language = DEFAULT_LANGUAGE): string {
  const rule = c.inactivity;
  const ko = lang === 'ko';
  if (!rule.enabled) {
    return ko
      ? '장기 미이용을 이유로 회원 자격을 종료하지 않습니다. 회원 자격과 정보는 탈퇴하거나 위 보유 기간이 끝날 때까지 유지됩니다.'
      : 'We do not end memberships for inactivity: your membership and your data stay until you withdraw or a retention period above ends.';
  }
  const kept = c.recordClasses.onWithdrawal.map((id) => c.retention[id]?.label[lang] ?? id);
  const periodWords = durationText(rule.period, lang);
  const lead = durationText(rule.noticeLead, lang);
  if (ko) {
    const separated =
      kept.length > 0
        ? ` 법령이 보존을 요구하는 기록(${kept.join('; ')})은 다른 용도로 쓰지 않는 저장소에 분리 보관하고 기간이 끝나면 파기합니다.`
        : '';
    return `회사 자체 정책에 따라(2023년 9월 15일 이후 법령상 의무는 아닙니다) ${periodWords} 동안 로그인하지 않으면 회원 자격이 종료되고, 탈퇴와 같이 모든 개인정보가 파기됩니다.${separated} 파기 ${lead} 전에 무엇이 언제 파기되는지 이메일로 알립니다. 기간은 마지막 로그인부터 계산하며, 다시 로그인하면 중단됩니다. 이 기간의 변경은 방침의 변경으로서 다른 변경과 같이 미리 공지합니다.`;
  }
  const separated =
    kept.length > 0
      ? ` The records a law requires us to keep (${kept.join('; ')}) are separated into a store used for nothing else and destroyed when their period ends.`
      : '';
  return `By our own rule (no law requires it since 15 September 2023), if you do not sign in for ${periodWords}, your membership ends and all your personal data is destroyed, as at a withdrawal.${separated} ${lead} before, we email you what will be destroyed and when. The clock runs from your last sign-in; signing in again stops it. A change of this period is a change of this policy, announced in advance like any other.`;
}
