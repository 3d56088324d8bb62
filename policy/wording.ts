/**
 * How the catalogue's enumerated values read, in Korean and English: one place for every
 * legal basis, right, provision basis, subject, sign-in method and channel, so the policy, the
 * records of processing, the API views and the emails name them alike.
 */
import type { Text } from './i18n';
import type { Item, LegalBasis, PrivacyRight, ProvisionBasis, ServiceUse, SignInMethod } from './schema';

/** How each legal basis of a purpose reads (PIPA Art. 15, GDPR Art. 6). */
export const BASIS_LABELS: Readonly<Record<LegalBasis, Text>> = {
  consent: { ko: '정보주체의 동의', en: 'Consent of the member' },
  contract: {
    ko: '정보주체와의 계약 체결 및 이행',
    en: 'Conclusion and performance of the contract with the member',
  },
  'legal-obligation': { ko: '법령상 의무의 준수', en: 'Compliance with a legal obligation' },
  'vital-interests': { ko: '정보주체의 생명·신체·재산상 이익 보호', en: 'Vital interests of the member' },
  'legitimate-interests': {
    ko: '개인정보처리자의 정당한 이익 (정보주체의 권리보다 우선하는 경우에 한함)',
    en: "The operator's legitimate interests, where the member's rights do not outweigh them",
  },
};

/** How each basis of a provision to a third party reads (PIPA Art. 17). */
export const PROVISION_BASIS_LABELS: Readonly<Record<ProvisionBasis, Text>> = {
  consent: { ko: '정보주체의 별도 동의', en: 'Your separate consent to the recipient' },
  'legal-obligation': { ko: '법률의 특별한 규정 또는 법령상 의무', en: 'A law that requires it' },
  contract: {
    ko: '서비스 제공 계약의 이행 (동의를 받기 곤란한 경우)',
    en: 'Performing the service agreement, where consent is impracticable',
  },
  'vital-interests': { ko: '정보주체의 생명·신체·재산상 이익 보호', en: 'Your vital interests' },
  'legitimate-interests': {
    ko: '개인정보처리자의 정당한 이익',
    en: "The operator's legitimate interests",
  },
};

/** How each privacy right reads. */
export const RIGHT_LABELS: Readonly<Record<PrivacyRight, Text>> = {
  view: { ko: '열람', en: 'View' },
  export: { ko: '전송(내려받기)', en: 'Export' },
  correct: { ko: '정정', en: 'Correct' },
  delete: { ko: '삭제', en: 'Delete' },
  'withdraw-consent': { ko: '동의 철회', en: 'Withdraw consent' },
  restrict: { ko: '처리정지', en: 'Restrict processing' },
  withdraw: { ko: '회원 탈퇴', en: 'Withdraw membership' },
};

/** How each subject of items reads in the policy and the records of processing. */
export const SUBJECT_LABELS: Readonly<Record<Item['subject'], Text>> = {
  member: { ko: '회원에 관한 정보', en: 'About you' },
  baby: { ko: '아기에 관한 정보', en: 'About your baby' },
  'service-record': { ko: '서비스 이용 과정의 기록', en: 'Records of your use of the service' },
  'access-log': {
    ko: '서비스 이용 시 자동으로 수집되는 정보',
    en: 'Collected automatically when you use the service',
  },
};

/** How each sign-in method reads. */
export const METHOD_LABELS: Readonly<Record<SignInMethod, Text>> = {
  google: { ko: 'Google 계정 가입', en: 'Google sign-in' },
  apple: { ko: 'Apple 계정 가입', en: 'Apple sign-in' },
  password: { ko: '아이디·비밀번호 가입', en: 'ID and password sign-up' },
};

/** How each use of the service a suspension may block reads. */
export const SERVICE_USE_LABELS: Readonly<Record<ServiceUse, Text>> = {
  'add-baby': { ko: '아기 등록', en: 'adding babies' },
  purchase: { ko: '구매 기록', en: 'recording purchases' },
  'grant-consent': { ko: '추가 목적에 대한 동의', en: 'consenting to further purposes' },
  'lift-restriction': { ko: '처리정지의 해제', en: 'lifting a restriction of processing' },
};

/** How each channel a request reaches the officer by reads. */
export const CHANNEL_LABELS: Readonly<Record<'app' | 'letter' | 'phone' | 'email', Text>> = {
  app: { ko: '앱', en: 'the app' },
  letter: { ko: '서면', en: 'letter' },
  phone: { ko: '전화', en: 'phone' },
  email: { ko: '이메일', en: 'email' },
};
