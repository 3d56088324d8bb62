/**
 * LG CNS's privacy policy as a catalogue. Source: shared/seeds/004_0877b62733ed6c97.txt
 * ("seed"), sections cited per entry; duties numbered as in POLICY-CLAUSES.md (G…).
 */
import { KOREAN_BREACH_REGULATORS } from '../regulators';
import type { CatalogueInput } from '../schema';

const password = ['password'] as const;

export const lgcns = {
  profile: 'lgcns',
  operator: {
    name: { ko: '㈜LG CNS', en: 'LG CNS Co., Ltd.' },
    service: { ko: 'LG CNS 웹 서비스', en: 'LG CNS web service' },
  },
  // The seed names no region; POLICY-CLAUSES.md L6 and the product keep everything in Seoul.
  region: 'ap-northeast-2',
  // The seed carries no effective date: this is the date the catalogue was first published.
  policy: {
    version: '1.0',
    effectiveDate: '2026-11-21',
    source: 'seed (undated); catalogue first published',
  },
  // Seed §1(1): ID and password sign-up.
  signIn: ['password'],
  items: {
    loginId: {
      label: { ko: '아이디', en: 'ID' },
      subject: 'member',
      requiredFor: [...password],
      collectedFor: [...password],
      providedBy: 'member',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: true,
      store: 'members',
      // The ID is the account's username in the user pool: taken from the verified token.
      fromSignIn: 'username',
      purposes: ['membership'],
      retention: 'member-data',
      format: { type: 'text', maxLength: 64 },
      source: 'seed §1(1) (ID: required)',
    },
    password: {
      label: { ko: '비밀번호', en: 'Password' },
      subject: 'member',
      requiredFor: [...password],
      collectedFor: [...password],
      providedBy: 'member',
      correctable: false,
      verifyOnCorrection: false,
      // One-way: held by the identity provider as a salted hash, never in this service's tables.
      encrypted: true,
      lookup: false,
      store: 'cognito',
      purposes: ['membership'],
      retention: 'member-data',
      format: { type: 'secret' },
      source: 'seed §1(1) (password: required); §10(1) (encrypted including the password)',
    },
    name: {
      label: { ko: '이름', en: 'Name' },
      subject: 'member',
      requiredFor: [...password],
      collectedFor: [...password],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['membership', 'inquiries'],
      retention: 'member-data',
      format: { type: 'text', maxLength: 100 },
      source: 'seed §1(1) (name: required)',
    },
    email: {
      label: { ko: '이메일 주소', en: 'Email address' },
      subject: 'member',
      requiredFor: [...password],
      collectedFor: [...password],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: true,
      encrypted: true,
      lookup: true,
      store: 'members',
      purposes: ['membership', 'inquiries'],
      retention: 'member-data',
      format: { type: 'email' },
      source: 'seed §1(1) (e-mail: required); §3(1)-(2); §6 (inactivity notice by e-mail)',
    },
    mobilePhone: {
      label: { ko: '휴대전화번호', en: 'Mobile phone number' },
      subject: 'member',
      requiredFor: [],
      collectedFor: [...password],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['inquiries'],
      retention: 'member-data',
      format: { type: 'phone' },
      source: 'seed §1(1) (mobile phone number: optional)',
    },
    ipAddress: {
      label: { ko: 'IP 주소', en: 'IP address' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...password],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'logs',
      purposes: ['service-history'],
      retention: 'access-logs',
      format: { type: 'ip-address' },
      source: 'seed §1(3) (IP address, automatically collected)',
    },
    accessTime: {
      label: { ko: '서비스 접속 일시', en: 'Service access date and time' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...password],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: false,
      lookup: false,
      store: 'logs',
      purposes: ['service-history'],
      retention: 'access-logs',
      format: { type: 'timestamp' },
      source: 'seed §1(3) (service access date and time)',
    },
    serviceUsageHistory: {
      label: { ko: '서비스 이용 기록', en: 'Service use history' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...password],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'logs',
      purposes: ['service-history', 'statistics'],
      retention: 'access-logs',
      format: { type: 'text', maxLength: 200 },
      source: 'seed §1(3) (service use history)',
    },
  },
  purposes: {
    membership: {
      label: { ko: '회원 가입 및 서비스 이용', en: 'Sign-up and service' },
      description: {
        ko: '고객 식별, 분실한 아이디·비밀번호 재발급.',
        en: 'Identifying a customer, and re-issuing a lost ID or password.',
      },
      required: true,
      legalBasis: 'contract',
      source: 'seed §3(1); §1(1) (information to sign up/use the service)',
    },
    inquiries: {
      label: { ko: '서비스 문의 및 상담', en: 'Service inquiry and consultation' },
      description: {
        ko: '서비스 문의에 답하기 위한 연락처로 이용.',
        en: 'Using the contact information to respond to service inquiries.',
      },
      required: true,
      legalBasis: 'contract',
      source: 'seed §3(2)',
    },
    'service-history': {
      label: { ko: '서비스 이용 기록', en: 'Recording the service use history' },
      description: {
        ko: '서비스 이용 과정에서 접속 기록을 자동으로 남김.',
        en: 'Recording access to the service, automatically, while it is used.',
      },
      required: true,
      legalBasis: 'legitimate-interests',
      source: 'seed §1(3) (purpose of collection: recording the service use history)',
    },
    statistics: {
      label: { ko: '이용자 통계 관리', en: 'User statistics management' },
      description: { ko: '서비스 품질 향상.', en: 'Improving service quality.' },
      required: false,
      legalBasis: 'consent',
      source: 'seed §3(3); §1(2) (right to refuse)',
    },
  },
  retention: {
    'member-data': {
      label: { ko: '회원 정보', en: 'Membership data' },
      period: 'until-withdrawal',
      startsAt: 'membership',
      store: 'members',
      use: { ko: '회원에게 서비스 제공.', en: 'Providing the service to the member.' },
      source: 'seed §1(1) (destroyed immediately after membership withdrawal); §5',
    },
    'access-logs': {
      label: { ko: '서비스 접속 기록', en: 'Service access logs' },
      period: { months: 6 },
      startsAt: 'creation',
      store: 'logs',
      use: { ko: '서비스 이용 기록 보관.', en: 'Recording the service use history.' },
      source: 'seed §1(3) (retention and use period: 6 months)',
    },
    'handler-access-records': {
      label: { ko: '개인정보취급자 접속기록', en: 'Records of personal-data handler access' },
      period: { years: 2 },
      startsAt: 'creation',
      store: 'logs',
      law: {
        ko: '개인정보의 안전성 확보조치 기준 제8조',
        en: 'Standards for Ensuring the Safety of Personal Information, Art. 8',
      },
      use: {
        ko: '지정된 취급자만 개인정보에 접근했음을 증명.',
        en: 'Proving that only named handlers accessed personal data.',
      },
      source: 'seed §10(3)-(4) (access control, limited handlers); Korean safety standard Art. 8',
    },
  },
  recordClasses: {
    member: 'member-data',
    accessLog: 'access-logs',
    handlerAccess: 'handler-access-records',
    // Seed §5: "without exception will be destroyed without delay".
    onWithdrawal: [],
  },
  // seed §6 (notified via an e-mail).
  noticeItem: 'email',
  inactivity: {
    // The operator's own rule since PIPA Art. 39-6 was repealed (2023-09-15); the policy still
    // promises it, so it stays on.
    enabled: true,
    authority: 'operator-policy',
    period: { years: 1 },
    action: 'destroy',
    noticeLead: { days: 30 },
    minimumNotice: { days: 30 },
    basis: 'last-sign-in',
    source: 'seed §6 (destruction for the long-term inactive user; notice 30 days before)',
  },
  suspension: {
    // The service's own routes are not this API's; here suspension stops consenting to more
    // processing of information that may be false, and lifting a restriction on it.
    blocks: ['grant-consent', 'lift-restriction'],
    source: 'the seed names no suspension; the engine offers it to the officer (POLICY-CLAUSES.md L12)',
  },
  minimumAge: 14,
  // The seed states no lead time; the product gives every profile the 7 days of L18.
  policyChange: { noticeLead: { days: 7 }, source: 'POLICY-CLAUSES.md L18 (applied to every profile)' },
  accessReview: {
    workingHours: { from: '09:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    unusualVolume: { factor: 3, historyMonths: 3, minimum: 20 },
    signOffWithin: { days: 14 },
    source:
      'seed §10(3)-(4) (access control, limited handlers); Korean safety standard Art. 8 (monthly inspection of access records)',
  },
  requestDeadlines: {
    pipa: { days: 10 },
    gdpr: { months: 1 },
    gdprMaxExtension: { months: 2 },
    source: 'seed §7 (actions taken immediately); PIPA Enforcement Decree Art. 41; GDPR Art. 12(3)',
  },
  contacts: {
    officer: {
      name: { ko: '이상윤', en: 'Lee Sangyoon' },
      role: { ko: '개인정보 보호책임자', en: 'Privacy manager' },
      department: { ko: '보안/IoT사업부', en: 'Security/IoT Unit' },
      phone: '+82-2-2099-2111',
      email: 'syoonlee@lgcns.com',
    },
    others: [
      {
        name: { ko: '이형주', en: 'Lee Hyungju' },
        role: { ko: '개인정보 보호담당자', en: 'Person in charge of privacy' },
        department: { ko: '보안/IoT사업부', en: 'Security/IoT Unit' },
        phone: '+82-2-2099-2111',
        email: 'hyungjlee@lgcns.com',
      },
    ],
    requestChannels: ['app', 'letter', 'phone', 'email'],
    complaintChannels: [
      {
        name: { ko: '개인정보침해신고센터', en: 'Report Center for Personal Information Infringement' },
        phone: '118',
        url: 'privacy.kisa.or.kr',
      },
      {
        name: { ko: '정보보호마크인증위원회', en: 'Information Protection Mark Certification Committee' },
        phone: '+82-2-580-0533~4',
        url: 'www.eprivacy.or.kr',
      },
      {
        name: {
          ko: '대검찰청 인터넷범죄수사센터',
          en: "Internet Crime Investigation Center of the Supreme Prosecutor's Office",
        },
        phone: '+82-2-3480-3600',
        url: 'www.spo.go.kr',
      },
      {
        name: {
          ko: '경찰청 사이버테러대응센터',
          en: 'Cyber Terror Response Center of the National Police Agency',
        },
        phone: '+82-2-392-0330',
        url: 'http://cyberbureau.police.go.kr',
      },
    ],
    source: 'seed §11 (privacy manager, person in charge, government agencies); §7 (letter, phone, e-mail)',
  },
  entrustment: [
    {
      contractor: { ko: 'Amazon Web Services, Inc.', en: 'Amazon Web Services, Inc.' },
      task: { ko: '시스템 운영 및 데이터 보관', en: 'System operation and data retention' },
      location: {
        ko: '대한민국 서울 (AWS 서울 리전, ap-northeast-2)',
        en: 'Seoul, South Korea (AWS Seoul Region, ap-northeast-2)',
      },
      source: 'product deployment (the seed names no entrustee)',
    },
  ],
  provision: {
    // "If the member has agreed ... personal data provision to the third party", or "required to
    // carry out the agreement regarding the provision of the ... service but it is quite difficult
    // to obtain usual consent": the service agreement, recorded with why consent is impracticable.
    bases: ['consent', 'contract'],
    source: 'seed §4',
  },
  // seed §4: the policy names no recipient, so no member is asked to consent to one and every
  // provision rests on the service agreement.
  thirdParties: {},
  // A demo configuration of the operator's own stores (`npm start` creates the table and the
  // bucket in the emulator): a usage table indexed by member, inquiry attachments, a CRM.
  silos: {
    'usage-records': {
      kind: 'dynamodb',
      label: {
        ko: '서비스 이용 기록 (운영사 테이블, 회원 인덱스)',
        en: 'Service use records (operator table, by member index)',
      },
      items: ['serviceUsageHistory'],
      table: 'lgcns-usage-records',
      partitionKey: 'recordId',
      memberIndex: { name: 'byMember', attribute: 'memberId' },
      source: 'seed §1(3) (service use history)',
    },
    'inquiry-files': {
      kind: 's3',
      label: {
        ko: '문의 첨부파일 (운영사 버킷, 버전 관리)',
        en: 'Inquiry attachments (operator bucket, versioned)',
      },
      items: ['email'],
      bucket: 'lgcns-inquiry-files',
      prefix: 'inquiries/{memberId}/',
      source: 'seed §3(2)',
    },
    crm: {
      kind: 'custom',
      label: { ko: '고객관계관리 시스템', en: 'Customer relationship system' },
      items: ['name', 'email', 'mobilePhone'],
      system: { ko: 'LG CNS CRM (운영사 운영)', en: 'LG CNS CRM (operator-run)' },
      answerWithin: { days: 3 },
      source: 'seed §3(2)',
    },
  },
  breach: {
    memberNoticeHours: 72,
    regulatorReportHours: 72,
    warnHoursBefore: 1,
    // No item of the profile is sensitive (PIPA Art. 23) or unique identification data (Art. 24).
    sensitiveItems: [],
    identificationItems: [],
    regulators: [
      ...KOREAN_BREACH_REGULATORS,
      {
        id: 'eu-supervisory-authority',
        name: {
          ko: '관할 EU 감독기관(GDPR 제55조·제56조)',
          en: 'The competent EU supervisory authority (GDPR Arts. 55-56)',
        },
        filing: {
          ko: '영향받은 회원이 거주하는 회원국 감독기관의 온라인 유출 신고서로 제출합니다.',
          en: 'Filed through the online breach form of the supervisory authority of the Member State where the affected members live.',
        },
        law: 'gdpr',
        when: { euMembers: true },
        source:
          'GDPR Art. 33(1) (72 hours), Art. 34 (members told); the seed names no EU establishment, so the authority competent for the members affected',
      },
    ],
    memberActions: {
      ko: '비밀번호를 바꾸시고, 같은 비밀번호를 쓰는 다른 서비스의 비밀번호도 바꾸어 주십시오. 저희를 사칭하는 이메일·문자·전화에 주의하시고, 링크를 누르거나 개인정보를 알려 주지 마십시오.',
      en: 'Change your password, and the password of any other service where you use the same one. Beware of emails, texts and calls claiming to be from us: do not follow their links or give them personal information.',
    },
    helpDesk: {
      ko: '피해 신고와 문의는 아래 개인정보 보호책임자에게 해 주십시오. 개인정보침해 신고센터(국번없이 118)에도 신고하실 수 있습니다.',
      en: 'Report damage and ask questions to the privacy officer below. You may also report to the Personal Information Infringement Report Center (phone 118).',
    },
    source: 'PIPA Art. 34 and Enforcement Decree Arts. 39-40; GDPR Arts. 33-34; seed §10 (safety measures)',
  },
  usageNotice: {
    // The operator declares no count at or above the thresholds; it sends the notice to every
    // member all the same. Set 'required' and restate the basis once its average over October to
    // December reaches either threshold; the stack sends the same notice either way.
    applicability: 'voluntary',
    basis: {
      ko: '전년도 말 3개월간 일일평균 100만 명 이상의 개인정보 또는 5만 명 이상의 민감정보·고유식별정보를 처리한다고 신고한 바는 없으나, 모든 회원에게 매년 이용내역을 통지합니다.',
      en: 'The operator declares no daily average over the last three months of the previous year of 1,000,000 or more members, or of 50,000 or more with sensitive or unique identification data; it notices every member of the usage of their data each year all the same.',
    },
    thresholds: { members: 1_000_000, sensitiveOrIdentification: 50_000 },
    due: { month: 1, day: 15 },
    channel: 'email',
    source: 'PIPA Art. 20-2; Enforcement Decree Art. 15-3 (annual notice of usage history)',
  },
  cookies: false,
  clauses: {
    G1: { duty: 'Minimum items only; unknown fields rejected.', source: 'seed §1(1)' },
    G2: { duty: 'Refusing an item blocks only what needs it.', source: 'seed §1(2)' },
    G3: { duty: 'IP, access time and use history kept 6 months.', source: 'seed §1(3)' },
    G4: { duty: 'Items used only for declared purposes.', source: 'seed §3' },
    G5: { duty: 'A new purpose needs a separate consent.', source: 'seed §3' },
    G6: { duty: 'Third-party provision only with consent or legal basis; recorded.', source: 'seed §4' },
    G7: { duty: 'Destroy on purpose achieved; legal retention in a separate store.', source: 'seed §5, §6' },
    G8: { duty: 'Destruction leaves nothing recoverable.', source: 'seed §6 (destruction method)' },
    G9: {
      duty: 'Inactive 1 year: destroyed after a 30-day email notice.',
      source: '§6 (long-term inactive user)',
    },
    G10: { duty: 'View, correct, delete; officer requests by letter, phone, e-mail.', source: 'seed §7' },
    G11: { duty: 'Data under correction not used or provided; third parties told.', source: 'seed §7' },
    G12: { duty: 'Deleted data cannot be retrieved or used.', source: 'seed §7' },
    G13: { duty: 'Under 14s cannot sign up.', source: 'seed §8' },
    G14: { duty: 'No cookies.', source: 'seed §9' },
    G15: { duty: 'All personal data encrypted, including the password.', source: 'seed §10(1)' },
    G16: { duty: 'Transport encrypted, backups, monitoring.', source: 'seed §10(2)' },
    G17: { duty: 'Access limited to named handlers; every access logged.', source: 'seed §10(3)-(4)' },
    G18: { duty: 'Privacy manager contacts and complaint channels published.', source: 'seed §11' },
  },
} satisfies CatalogueInput;
