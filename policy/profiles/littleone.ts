/**
 * Littleone's privacy policy as a catalogue. Source: shared/seeds/000_fc822bf98eb0b9b0.txt
 * ("seed"), chapters cited per entry; duties numbered as in POLICY-CLAUSES.md (L…).
 */
import { KOREAN_BREACH_REGULATORS } from '../regulators';
import type { CatalogueInput } from '../schema';

const both = ['google', 'apple'] as const;
/** The photo types the app sends (JPEG, PNG, WebP), each at most 5 MiB. */
const photoTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const littleone = {
  profile: 'littleone',
  operator: {
    name: { ko: '주식회사 리틀원', en: 'Littleone Inc.' },
    service: { ko: '리틀원', en: 'Littleone' },
  },
  // Seed ch. 5: "physical storage location: Seoul" (AWS Seoul Region).
  region: 'ap-northeast-2',
  policy: { version: '1.0', effectiveDate: '2021-03-28', source: 'seed ch. 8 §7 (effective date)' },
  // Seed ch. 2 §5-9: Google and Apple account registration members.
  signIn: ['google', 'apple'],
  items: {
    userName: {
      label: { ko: '사용자 이름', en: 'User name' },
      subject: 'member',
      requiredFor: [...both],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['membership', 'service-delivery'],
      retention: 'member-data',
      format: { type: 'text', maxLength: 100 },
      source: 'seed ch. 2 §3-4 (required: user name)',
    },
    relationshipToBaby: {
      label: { ko: '아기와의 관계', en: 'Relationship with the baby' },
      subject: 'member',
      requiredFor: ['google'],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['service-delivery'],
      retention: 'member-data',
      format: { type: 'enum', values: ['mom', 'dad', 'family', 'babysitter', 'other'] },
      // Listed for both account kinds in ch. 2 §6 and §9; L2 requires it of Google members only.
      source: 'seed ch. 2 §5-6, §9 (mom/dad/family/babysitter, etc.)',
    },
    appleMemberNumber: {
      label: { ko: 'Apple 회원번호', en: 'Apple member number' },
      subject: 'member',
      requiredFor: ['apple'],
      collectedFor: ['apple'],
      providedBy: 'member',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: true,
      store: 'members',
      // Apple's user id of the member, as the federated identity in the verified token carries it.
      fromSignIn: 'provider-user-id',
      purposes: ['membership'],
      retention: 'member-data',
      format: { type: 'text', maxLength: 255 },
      source: 'seed ch. 2 §7-8 (Apple member number)',
    },
    email: {
      label: { ko: '이메일 주소', en: 'Email address' },
      subject: 'member',
      requiredFor: ['apple'],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: true,
      encrypted: true,
      lookup: true,
      store: 'members',
      purposes: ['membership', 'service-delivery'],
      retention: 'member-data',
      format: { type: 'email' },
      // Google members may give one through the customer center (collection method 3); ch. 7 §3
      // asks members to keep a reachable email address, which inactivity notices go to.
      source: 'seed ch. 2 §8 (Apple: email); collection method 3; ch. 7 §3',
    },
    userProfilePhoto: {
      label: { ko: '사용자 프로필 사진', en: "User's profile photo" },
      subject: 'member',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      // An object of its own in the photos bucket, encrypted there under the members key.
      store: 'photos',
      purposes: ['profile-photos'],
      retention: 'member-data',
      format: { type: 'image', mediaTypes: [...photoTypes], maxBytes: 5 * 1024 * 1024 },
      source: 'seed ch. 2 §12, §14 (optional information)',
    },
    babyNickname: {
      label: { ko: '아기 이름(애칭)', en: "Baby's name (nickname)" },
      subject: 'baby',
      requiredFor: [...both],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['service-delivery'],
      retention: 'member-data',
      format: { type: 'text', maxLength: 50 },
      source: 'seed ch. 2 §10-11 (baby: name (nickname))',
    },
    babyGender: {
      label: { ko: '아기 성별', en: "Baby's gender" },
      subject: 'baby',
      requiredFor: [...both],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['service-delivery'],
      retention: 'member-data',
      format: { type: 'enum', values: ['female', 'male', 'undisclosed'] },
      source: 'seed ch. 2 §10-11 (baby: gender)',
    },
    babyProfilePhoto: {
      label: { ko: '아기 프로필 사진', en: "Baby's profile photo" },
      subject: 'baby',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'member',
      correctable: true,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      // An object of its own in the photos bucket, encrypted there under the members key.
      store: 'photos',
      purposes: ['profile-photos'],
      retention: 'member-data',
      format: { type: 'image', mediaTypes: [...photoTypes], maxBytes: 5 * 1024 * 1024 },
      source: 'seed ch. 2 §12-13 (optional information)',
    },
    purchaseHistory: {
      label: { ko: '서비스 내 상품 구매 내역', en: 'Product purchase history in the service' },
      subject: 'service-record',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'members',
      purposes: ['service-delivery'],
      retention: 'payment-records',
      format: { type: 'text', maxLength: 1000 },
      source: 'seed ch. 2 §6, §9 (product purchase history); ch. 6 table (payment records, 5 years)',
    },
    serviceUsageHistory: {
      label: { ko: '서비스 이용 기록', en: 'Service usage history' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'logs',
      purposes: ['abuse-prevention', 'statistics'],
      retention: 'service-visit-records',
      format: { type: 'text', maxLength: 200 },
      source: 'seed ch. 2 §6, §9 (service usage history); collection method 2',
    },
    ipAddress: {
      label: { ko: 'IP 주소', en: 'IP address' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: true,
      lookup: false,
      store: 'logs',
      purposes: ['abuse-prevention'],
      retention: 'service-visit-records',
      format: { type: 'ip-address' },
      source: 'seed collection method 2 (automatically collected service information); ch. 6 table',
    },
    accessTime: {
      label: { ko: '서비스 접속 일시', en: 'Service access date and time' },
      subject: 'access-log',
      requiredFor: [],
      collectedFor: [...both],
      providedBy: 'service',
      correctable: false,
      verifyOnCorrection: false,
      encrypted: false,
      lookup: false,
      store: 'logs',
      purposes: ['abuse-prevention'],
      retention: 'service-visit-records',
      format: { type: 'timestamp' },
      source: 'seed collection method 2; ch. 6 table (records of service visits)',
    },
  },
  purposes: {
    membership: {
      label: { ko: '회원 관리', en: 'Member management' },
      description: {
        ko: '회원 가입 및 동의 여부 확인, 본인 확인, 부정 이용 방지.',
        en: 'Verification of membership and consent, verification of identity, prevention of fraudulent use.',
      },
      required: true,
      legalBasis: 'contract',
      source: 'seed ch. 3 §1, §2.1',
    },
    'service-delivery': {
      label: { ko: '서비스 제공 및 문의 응대', en: 'Service delivery and inquiries' },
      description: {
        ko: '각종 서비스 제공, 문의·불만 처리, 공지사항 전달.',
        en: 'Various service offerings, answering inquiries or complaints, and delivering notifications.',
      },
      required: true,
      legalBasis: 'contract',
      source: 'seed ch. 3 §2.2',
    },
    'abuse-prevention': {
      label: { ko: '부정 이용 방지', en: 'Prevention of abuse' },
      description: {
        ko: '계정 도용 등 서비스의 원활한 운영을 방해하는 행위의 방지 및 제재.',
        en: 'Preventing and sanctioning actions that interfere with the operation of the service, such as account theft.',
      },
      required: true,
      legalBasis: 'legitimate-interests',
      source: 'seed ch. 3 §2.3',
    },
    statistics: {
      label: { ko: '서비스 통계 및 개선', en: 'Service statistics and improvement' },
      description: {
        ko: '접속 빈도 파악, 서비스 이용 통계, 서비스 개선.',
        en: 'Access frequency and usage statistics, and improving the service.',
      },
      required: false,
      legalBasis: 'consent',
      source: 'seed ch. 3 §1, §2.4',
    },
    'new-service-development': {
      label: { ko: '신규 서비스 개발', en: 'New service development' },
      description: { ko: '신규 서비스 및 상품 개발.', en: 'Developing new services and offerings.' },
      required: false,
      legalBasis: 'consent',
      source: 'seed ch. 3 §1, §2.2',
    },
    'profile-photos': {
      label: { ko: '프로필 사진', en: 'Profile photos' },
      description: {
        ko: '앱에서 회원과 아기의 프로필 사진 표시.',
        en: "Showing the member's and the baby's profile photos in the app.",
      },
      required: false,
      legalBasis: 'consent',
      source: 'seed ch. 2 §12-14 (optional information); ch. 1 §6 (right to refuse)',
    },
  },
  retention: {
    'member-data': {
      label: { ko: '회원 정보', en: 'Membership data' },
      period: 'until-withdrawal',
      startsAt: 'membership',
      store: 'members',
      use: { ko: '회원에게 서비스 제공.', en: 'Providing the service to the member.' },
      source: 'seed ch. 5 §8.1 (until the user withdraws membership)',
    },
    'withdrawn-email': {
      label: { ko: '탈퇴 회원의 이메일', en: 'Email of a withdrawn member' },
      period: { years: 1 },
      startsAt: 'withdrawal',
      store: 'vault',
      use: {
        ko: '탈퇴와 관련한 고객 문의 응대.',
        en: 'Responding to customer inquiries related to the withdrawal.',
      },
      keeps: { items: ['email'], membership: false },
      source: 'seed ch. 6 §3.1-3.2 (kept at most one year after withdrawal)',
    },
    'contract-records': {
      label: { ko: '계약 또는 청약철회 등에 관한 기록', en: 'Records related to contracts or withdrawals' },
      period: { years: 5 },
      startsAt: 'withdrawal',
      store: 'vault',
      law: {
        ko: '전자상거래 등에서의 소비자보호에 관한 법률',
        en: 'Act on Consumer Protection in Electronic Commerce, etc.',
      },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      // The contract and its end: dates, the policy version agreed, the consent decisions.
      keeps: { items: [], membership: true },
      source: 'seed ch. 6 §4.2',
    },
    'payment-records': {
      label: { ko: '대금결제 및 재화 등의 공급에 관한 기록', en: 'Records of payment of goods' },
      period: { years: 5 },
      startsAt: 'creation',
      store: 'vault',
      law: {
        ko: '전자상거래 등에서의 소비자보호에 관한 법률',
        en: 'Act on Consumer Protection in Electronic Commerce, etc.',
      },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      source: 'seed ch. 6 §4.3',
    },
    'complaint-records': {
      label: {
        ko: '소비자의 불만 또는 분쟁처리에 관한 기록',
        en: 'Records related to consumer complaints or dispute resolution',
      },
      period: { years: 3 },
      startsAt: 'creation',
      store: 'vault',
      law: {
        ko: '전자상거래 등에서의 소비자보호에 관한 법률',
        en: 'Act on Consumer Protection in Electronic Commerce, etc.',
      },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      source: 'seed ch. 6 §4.4',
    },
    'advertising-records': {
      label: { ko: '표시·광고에 관한 기록', en: 'Records related to indication/advertising' },
      period: { months: 6 },
      startsAt: 'creation',
      store: 'vault',
      law: {
        ko: '전자상거래 등에서의 소비자보호에 관한 법률',
        en: 'Act on Consumer Protection in Electronic Commerce, etc.',
      },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      source: 'seed ch. 6 §4.5',
    },
    'tax-records': {
      label: {
        ko: '세법이 규정하는 모든 거래에 관한 장부 및 증빙서류',
        en: 'Ledgers and documentary evidence of transactions under tax law',
      },
      period: { years: 5 },
      startsAt: 'creation',
      store: 'vault',
      law: { ko: '국세기본법', en: 'National Tax Basic Act' },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      source: 'seed ch. 6 §4.6',
    },
    'electronic-financial-records': {
      label: { ko: '전자금융 거래에 관한 기록', en: 'Records related to electronic financial transactions' },
      period: { years: 5 },
      startsAt: 'creation',
      store: 'vault',
      law: { ko: '전자금융거래법', en: 'Electronic Financial Transactions Act' },
      use: { ko: '보존을 요구하는 법령의 준수.', en: 'Compliance with the law that requires keeping it.' },
      source: 'seed ch. 6 §4.7',
    },
    'service-visit-records': {
      label: { ko: '서비스 방문 기록', en: 'Records of service visits' },
      period: { months: 3 },
      startsAt: 'creation',
      store: 'logs',
      law: { ko: '통신비밀보호법', en: 'Act on Protection of Communications Secrets' },
      use: {
        ko: '보존을 요구하는 법령의 준수, 부정 이용 방지.',
        en: 'Compliance with the law that requires keeping it; preventing abuse.',
      },
      source: 'seed ch. 6 §4.8',
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
      source: 'seed ch. 7 §3 and ch. 8 (officer handles requests); Korean safety standard Art. 8',
    },
  },
  recordClasses: {
    member: 'member-data',
    accessLog: 'service-visit-records',
    handlerAccess: 'handler-access-records',
    onWithdrawal: ['withdrawn-email', 'contract-records'],
  },
  // Seed ch. 2 §6, §9: product purchase history, kept as payment records (ch. 6 §4.3).
  serviceRecords: { purchases: 'purchaseHistory' },
  // seed ch. 7 §3 (a reachable email address).
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
    // The seed warns of "deletion of data due to long-term inactivity"; the profile applies the
    // rule POLICY-CLAUSES.md G9 states for both operators.
    source: 'seed ch. 7 §3, ch. 8 §3 (deletion after long-term inactivity)',
  },
  suspension: {
    // Suspension stops using the service on information that may be false: adding records to it,
    // buying, consenting to more processing of it, or lifting a restriction on it.
    blocks: ['add-baby', 'purchase', 'grant-consent', 'lift-restriction'],
    source: 'seed ch. 7 §3 and ch. 8 §3 (false information: membership may be suspended)',
  },
  minimumAge: 14,
  policyChange: { noticeLead: { days: 7 }, source: 'seed ch. 8 §6 (at least 7 days prior)' },
  accessReview: {
    workingHours: { from: '09:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    unusualVolume: { factor: 3, historyMonths: 3, minimum: 20 },
    signOffWithin: { days: 14 },
    source:
      'seed ch. 7 §3 (limited handlers); Korean safety standard Art. 8 (monthly inspection of access records)',
  },
  requestDeadlines: {
    pipa: { days: 10 },
    gdpr: { months: 1 },
    gdprMaxExtension: { months: 2 },
    source: 'seed ch. 8 §2 and §5 (prompt action; GDPR); PIPA Enforcement Decree Art. 41; GDPR Art. 12(3)',
  },
  contacts: {
    officer: {
      name: { ko: '윤병희', en: 'Byunghee Yoon' },
      role: { ko: '개인정보 보호책임자', en: 'Personal Information Protection Officer' },
      department: { ko: 'COO', en: 'COO' },
      phone: '1661-2503',
    },
    others: [
      {
        name: { ko: '고객센터', en: 'Customer Center' },
        role: { ko: '이메일·전화로 개인정보 관련 요청 접수', en: 'Privacy requests by email or phone' },
        phone: '1661-2503',
      },
    ],
    requestChannels: ['app', 'email', 'phone'],
    complaintChannels: [
      {
        name: { ko: '개인정보침해신고센터', en: 'Personal Information Infringement Report Center' },
        phone: '118',
      },
      {
        name: {
          ko: '대검찰청 사이버수사과',
          en: "Cyber Investigation Department, Supreme Prosecutors' Office",
        },
        phone: '1301',
      },
      {
        name: { ko: '경찰청 사이버안전국', en: 'Cyber Safety Bureau, National Police Agency' },
        phone: '182',
      },
      {
        name: {
          ko: '거주하는 EU 회원국의 개인정보 감독기구',
          en: 'The data-protection supervisory authority of your EU member state',
        },
        url: 'https://edpb.europa.eu/about-edpb/about-edpb/members_en',
      },
    ],
    source: 'seed ch. 8 §5 (officer, department, customer center, reporting agencies)',
  },
  entrustment: [
    {
      contractor: { ko: 'Amazon Web Services, Inc.', en: 'Amazon Web Services, Inc.' },
      task: { ko: '시스템 운영 및 데이터 보관', en: 'System operation and data retention' },
      location: {
        ko: '대한민국 서울 (AWS 서울 리전, ap-northeast-2)',
        en: 'Seoul, South Korea (AWS Seoul Region, ap-northeast-2)',
      },
      source: 'seed ch. 5 §1-7',
    },
  ],
  provision: {
    // "unless there is separate consent from the user or unless it is required by law".
    bases: ['consent', 'legal-obligation'],
    source: 'seed ch. 4',
  },
  // seed ch. 4: the policy names no recipient, so no member is asked to consent to one and every
  // provision rests on a law.
  thirdParties: {},
  // A demo configuration of the operator's own stores (`npm start` creates the table and the
  // bucket in the emulator): the app's usage history, its raw event archive, and the billing system.
  silos: {
    'app-usage': {
      kind: 'dynamodb',
      label: { ko: '앱 이용 기록 (운영사 테이블)', en: 'App usage history (operator table)' },
      items: ['serviceUsageHistory'],
      table: 'littleone-app-usage',
      partitionKey: 'memberId',
      sortKey: 'at',
      source: 'seed ch. 2 §6, §9 (service usage history); collection method 2',
    },
    'event-archive': {
      kind: 's3',
      label: {
        ko: '앱 원시 이벤트 보관소 (운영사 버킷, 버전 관리)',
        en: 'Raw app event archive (operator bucket, versioned)',
      },
      items: ['serviceUsageHistory'],
      bucket: 'littleone-event-archive',
      prefix: 'members/{memberId}/',
      source: 'seed ch. 2 §6, §9 (service usage history); collection method 2',
    },
    billing: {
      kind: 'custom',
      label: { ko: '스토어 결제 시스템', en: 'Store billing system' },
      items: ['purchaseHistory'],
      system: { ko: '리틀원 결제 시스템 (운영사 운영)', en: 'Littleone billing (operator-run)' },
      answerWithin: { days: 3 },
      source: 'seed ch. 2 §6, §9 (product purchase history)',
    },
  },
  breach: {
    memberNoticeHours: 72,
    regulatorReportHours: 72,
    warnHoursBefore: 1,
    // No item of the profile is sensitive (PIPA Art. 23) or unique identification data (Art. 24).
    sensitiveItems: [],
    identificationItems: [],
    regulators: [...KOREAN_BREACH_REGULATORS],
    memberActions: {
      ko: '비밀번호를 바꾸시고, 같은 비밀번호를 쓰는 다른 서비스의 비밀번호도 바꾸어 주십시오. 저희를 사칭하는 이메일·문자·전화에 주의하시고, 링크를 누르거나 개인정보를 알려 주지 마십시오.',
      en: 'Change your password, and the password of any other service where you use the same one. Beware of emails, texts and calls claiming to be from us: do not follow their links or give them personal information.',
    },
    helpDesk: {
      ko: '피해 신고와 문의는 아래 개인정보 보호책임자에게 해 주십시오. 개인정보침해 신고센터(국번없이 118)에도 신고하실 수 있습니다.',
      en: 'Report damage and ask questions to the privacy officer below. You may also report to the Personal Information Infringement Report Center (phone 118).',
    },
    source: 'PIPA Art. 34 and Enforcement Decree Arts. 39-40; seed ch. 9 (safety measures)',
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
    L1: {
      duty: 'Collection rests on consent; every decision recorded with policy version.',
      source: 'ch. 1 §1, §6',
    },
    L2: { duty: 'Minimum items only; unknown fields rejected.', source: 'seed ch. 2 §2-14' },
    L3: {
      duty: 'Notice before collection; consent names the notice version.',
      source: 'seed ch. 2 (methods)',
    },
    L4: { duty: 'Items used only for declared purposes.', source: 'seed ch. 3' },
    L5: { duty: 'Third-party provision only with consent or legal basis; recorded.', source: 'seed ch. 4' },
    L6: { duty: 'All personal data stays in ap-northeast-2.', source: 'seed ch. 5' },
    L7: {
      duty: 'Destroy on purpose achieved; legal retention in a separate store.',
      source: 'ch. 6 §1, §3-4',
    },
    L8: { duty: 'Destruction leaves nothing recoverable, backups included.', source: 'seed ch. 6 §2' },
    L9: { duty: "Withdrawn member's email kept at most 1 year.", source: 'seed ch. 6 §3' },
    L10: { duty: 'Legal retention periods per the table.', source: 'seed ch. 6 §4' },
    L11: { duty: 'Under 14s cannot join; found ones are terminated.', source: 'seed ch. 7 §1-2' },
    L12: { duty: 'False information can suspend a membership.', source: 'seed ch. 7 §3' },
    L13: { duty: 'All personal data encrypted; passwords one-way.', source: 'seed ch. 7 §3' },
    L14: {
      duty: 'View, correct, delete, withdraw consent; officer requests; deadlines.',
      source: 'ch. 8 §2',
    },
    L15: { duty: 'Data under correction is not used or provided.', source: 'seed ch. 8 §3' },
    L16: {
      duty: 'Legal basis recorded; portability, objection, restriction; complaint.',
      source: 'ch. 8 §4-5',
    },
    L17: { duty: 'Officer contacts and complaint channels published.', source: 'seed ch. 8 §5' },
    L18: { duty: 'Policy changes announced at least 7 days ahead.', source: 'seed ch. 8 §6' },
    G9: { duty: 'Inactive 1 year: destroyed after a 30-day email notice.', source: 'seed ch. 7 §3' },
  },
} satisfies CatalogueInput;
