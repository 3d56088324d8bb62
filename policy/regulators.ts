/**
 * The Korean authorities a personal-data breach is reported to (PIPA Art. 34(3), Enforcement
 * Decree Art. 40): the law names them, not the operator, so every Korean profile lists them.
 */
import type { CatalogueInput } from './schema';

/** PIPC and KISA, each with the conditions that make the report due to it. */
export const KOREAN_BREACH_REGULATORS = [
  {
    id: 'pipc',
    name: { ko: '개인정보보호위원회', en: 'Personal Information Protection Commission (PIPC)' },
    filing: {
      ko: '개인정보 포털(www.privacy.go.kr)의 유출 신고로 제출합니다.',
      en: 'Filed as a breach report through the Personal Information Portal (www.privacy.go.kr).',
    },
    law: 'pipa',
    when: { minMembers: 1000, sensitiveItems: true, identificationItems: true },
    source:
      'PIPA Art. 34(3); Enforcement Decree Art. 40(1) (1,000 or more, sensitive or unique identification data)',
  },
  {
    id: 'kisa',
    name: { ko: '한국인터넷진흥원', en: 'Korea Internet & Security Agency (KISA)' },
    filing: {
      ko: '개인정보침해 신고센터(privacy.kisa.or.kr, 국번없이 118)에 제출합니다.',
      en: 'Filed with the Personal Information Infringement Report Center (privacy.kisa.or.kr, phone 118).',
    },
    law: 'pipa',
    when: { outsideAttack: true },
    source:
      'PIPA Art. 34(3); Enforcement Decree Art. 40(1) (leak by illegal access from outside; KISA receives reports)',
  },
] as const satisfies CatalogueInput['breach']['regulators'];
