import { describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import { LANGUAGES } from '../../policy/i18n';
import {
  LABEL_IDS,
  policyDocument,
  renderHtml,
  renderMarkdown,
  renderPolicyHtml,
  SECTION_IDS,
} from '../../policy/render';
import { BASIS_LABELS } from '../../policy/wording';

/**
 * The headings of PIPC's privacy-policy writing guideline (개인정보 처리방침 작성지침) this
 * policy carries, in the guideline's order.
 */
const GUIDELINE_HEADINGS = [
  '개인정보의 처리 목적',
  '처리하는 개인정보의 항목',
  '개인정보의 처리 및 보유 기간',
  '개인정보의 파기 절차 및 방법',
  '개인정보의 제3자 제공',
  '개인정보 처리업무의 위탁',
  '개인정보의 국외 이전',
  '개인정보의 안전성 확보조치',
  '개인정보 자동 수집 장치의 설치·운영 및 거부에 관한 사항',
  '만 14세 미만 아동의 개인정보 처리',
  '정보주체와 법정대리인의 권리·의무 및 그 행사방법',
  '개인정보 보호책임자 및 고충처리 부서',
  '정보주체의 권익침해에 대한 구제방법',
  '개인정보 처리방침의 변경',
];

describe.each(Object.keys(profiles))('published policy of %s', (name) => {
  const c = loadCatalogue(name);

  it('is Korean by default, with the guideline’s sections in its order and headings', () => {
    const doc = policyDocument(c);
    expect(doc.lang).toBe('ko');
    expect(doc.sections.map((s) => s.title)).toEqual(GUIDELINE_HEADINGS);
    const md = renderMarkdown(doc);
    const at = GUIDELINE_HEADINGS.map((h, n) => md.indexOf(`## ${n + 1}. ${h}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('「개인정보 보호법」 제30조');
  });

  it('has the same structure in English', () => {
    const ko = policyDocument(c, 'ko');
    const en = policyDocument(c, 'en');
    expect(en.sections.map((s) => s.id)).toEqual(ko.sections.map((s) => s.id));
    expect(en.sections.map((s) => s.id)).toEqual(SECTION_IDS);
    expect(en.labels?.map((l) => l.id)).toEqual(ko.labels?.map((l) => l.id));
    expect(renderMarkdown(en)).toContain('## 1. Why we process personal data');
  });

  it.each(LANGUAGES)('L3: lists every item and purpose from the catalogue (%s)', (lang) => {
    const md = renderMarkdown(policyDocument(c, lang));
    for (const item of Object.values(c.items)) expect(md).toContain(item.label[lang].replace(/\|/g, '\\|'));
    for (const purpose of Object.values(c.purposes)) {
      expect(md).toContain(purpose.label[lang]);
      expect(md).toContain(purpose.description[lang]);
      expect(md).toContain(BASIS_LABELS[purpose.legalBasis][lang]);
    }
    for (const rc of Object.values(c.retention)) expect(md).toContain(rc.label[lang]);
    for (const e of c.entrustment) expect(md).toContain(e.contractor[lang]);
  });

  it.each(LANGUAGES)('draws the privacy labels from the catalogue (%s)', (lang) => {
    const doc = policyDocument(c, lang);
    expect(doc.labels?.map((l) => l.id)).toEqual([...LABEL_IDS]);
    const label = (id: (typeof LABEL_IDS)[number]) => doc.labels!.find((l) => l.id === id)!.summary.join(' ');
    const required = Object.values(c.items).filter(
      (i) => i.providedBy === 'member' && i.requiredFor.length > 0,
    );
    for (const item of required) expect(label('items')).toContain(item.label[lang]);
    for (const p of Object.values(c.purposes)) expect(label('purposes')).toContain(p.label[lang]);
    for (const rc of Object.values(c.retention)) expect(label('retention')).toContain(rc.label[lang]);
    for (const e of c.entrustment) expect(label('entrustment')).toContain(e.contractor[lang]);
    expect(label('officer')).toContain(c.contacts.officer.name[lang]);

    const page = renderPolicyHtml(doc);
    expect(page).toContain(`<html lang="${lang}">`);
    for (const l of doc.labels!) {
      // Each label is an inline SVG of our own (no image fetched), named for screen readers.
      expect(page).toContain(
        `<li class="label" id="label-${l.id}"><a href="#${l.section}"><svg viewBox="0 0 24 24"`,
      );
      expect(page).toContain(`role="img" aria-label="${l.title}"`);
    }
    expect(page).not.toMatch(/<img|https?:\/\/[^"]*\.(svg|png)/);
    const md = renderMarkdown(doc);
    for (const l of doc.labels!) expect(md).toContain(`**${l.title}**`);
    // JSON is the document itself: the labels travel with it.
    expect(JSON.parse(JSON.stringify(doc)).labels).toHaveLength(LABEL_IDS.length);
  });

  it('G14: states that no cookies are set, in both languages', () => {
    expect(renderMarkdown(policyDocument(c, 'en'))).toContain('The service sets no cookies');
    expect(renderMarkdown(policyDocument(c, 'ko'))).toContain('쿠키를 설치하지 않으며');
  });

  it("G14: says the pages keep the sign-in token in the tab's session storage only, in both languages", () => {
    expect(renderMarkdown(policyDocument(c, 'en'))).toContain(
      "sign-in token in the browser tab's session storage only",
    );
    expect(renderMarkdown(policyDocument(c, 'ko'))).toContain('세션 저장소(sessionStorage)에만 보관');
  });
});

describe('published policy', () => {
  it('L17: publishes the officer contacts and the complaint channels of littleone', () => {
    const c = loadCatalogue('littleone');
    const en = renderMarkdown(policyDocument(c, 'en'));
    expect(en).toContain('Byunghee Yoon');
    expect(en).toContain('1661-2503');
    expect(en).toContain('Personal Information Infringement Report Center — 118');
    const ko = renderMarkdown(policyDocument(c, 'ko'));
    expect(ko).toContain('윤병희');
    expect(ko).toContain('개인정보침해신고센터 — 118');
  });

  it('G18: publishes the privacy manager and person in charge of lgcns', () => {
    const md = renderMarkdown(policyDocument(loadCatalogue('lgcns'), 'ko'));
    expect(md).toContain('syoonlee@lgcns.com');
    expect(md).toContain('hyungjlee@lgcns.com');
  });

  it('L10: renders the retention table with the laws behind each period', () => {
    const c = loadCatalogue('littleone');
    const en = renderMarkdown(policyDocument(c, 'en'));
    expect(en).toContain(
      '| Records of payment of goods | 5 years from creation | Act on Consumer Protection in Electronic Commerce, etc. |',
    );
    expect(en).toContain('| Email of a withdrawn member | 1 year after withdrawal |');
    const ko = renderMarkdown(policyDocument(c, 'ko'));
    expect(ko).toContain(
      '| 대금결제 및 재화 등의 공급에 관한 기록 | 생성일부터 5년 | 전자상거래 등에서의 소비자보호에 관한 법률 |',
    );
    expect(ko).toContain('| 탈퇴 회원의 이메일 | 탈퇴 후 1년 |');
  });

  it('G3: tells lgcns members access logs are kept 6 months', () => {
    const c = loadCatalogue('lgcns');
    expect(renderMarkdown(policyDocument(c, 'en'))).toContain(
      '| Service access logs | 6 months from creation |',
    );
    expect(renderMarkdown(policyDocument(c, 'ko'))).toContain('| 서비스 접속 기록 | 생성일부터 6개월 |');
  });

  it('L12, L14: says what a suspension stops, from the catalogue, and that the rights stay open', () => {
    const c = loadCatalogue('littleone');
    expect(renderMarkdown(policyDocument(c, 'en'))).toContain(
      'can get a membership suspended: it stops adding babies, recording purchases, consenting to further purposes, lifting a restriction of processing, never your rights: you can still view, export and correct your data',
    );
    // The particle after the list reads naturally: "…해제가 중단되지만".
    expect(renderMarkdown(policyDocument(c, 'ko'))).toContain(
      '정지되면 아기 등록, 구매 기록, 추가 목적에 대한 동의 및 처리정지의 해제가 중단되지만, 정보주체의 권리는 중단되지 않습니다',
    );
  });

  it('Korean particles follow the words they attach to', () => {
    const littleone = renderMarkdown(policyDocument(loadCatalogue('littleone'), 'ko'));
    // 리틀원 ends in a final consonant: 은; LG CNS is read "씨엔에스", no final consonant: 는.
    expect(littleone).toContain('주식회사 리틀원은 아래 개인정보만을');
    const lgcns = renderMarkdown(policyDocument(loadCatalogue('lgcns'), 'ko'));
    expect(lgcns).toContain('비밀번호는 가입에 필요하며');
    expect(lgcns).toContain('서면, 전화 및 이메일로 개인정보 보호책임자에게 요청할 수 있으며');
  });

  it('renders the same sections in HTML, escaping text', () => {
    const doc = policyDocument(loadCatalogue('littleone'), 'en');
    const page = renderHtml(doc);
    expect(page).toMatch(/^<!doctype html>/);
    for (const s of doc.sections) expect(page).toContain(`<section id="${s.id}">`);
    expect(page).toContain('Cyber Investigation Department, Supreme Prosecutors&#39; Office');
    expect(page).not.toContain("Prosecutors' Office");
  });

  it('escapes table separators in Markdown cells', () => {
    const doc = {
      title: 't',
      version: '1',
      effectiveDate: '2027-01-01',
      sections: [
        { id: 's', title: 'S', blocks: [{ kind: 'table' as const, head: ['a|b'], rows: [['c|d']] }] },
      ],
    };
    expect(renderMarkdown(doc)).toContain('| a\\|b |');
    expect(renderMarkdown(doc)).toContain('| c\\|d |');
  });
});

describe('catalogue translations', () => {
  it.each([
    ['items.email.label.en', (j: Catalogue) => delete j.items.email.label.en],
    ['purposes.membership.description.ko', (j: Catalogue) => delete j.purposes.membership.description.ko],
    ['retention.member-data.use.en', (j: Catalogue) => delete j.retention['member-data'].use.en],
    ['contacts.officer.role.ko', (j: Catalogue) => delete j.contacts.officer.role.ko],
    [
      'contacts.complaintChannels.0.name.en',
      (j: Catalogue) => delete j.contacts.complaintChannels[0].name.en,
    ],
    ['entrustment.0.task.ko', (j: Catalogue) => delete j.entrustment[0].task.ko],
    ['operator.service.en', (j: Catalogue) => delete j.operator.service.en],
  ])('a missing translation fails validation naming %s', (key, drop) => {
    const json = structuredClone(loadCatalogue('littleone')) as unknown as Catalogue;
    drop(json);
    expect(() => parseCatalogue(json, 'profile littleone')).toThrow(
      new CatalogueError(`profile littleone: invalid entry ${key}: missing translation`, key),
    );
    try {
      parseCatalogue(json);
    } catch (error) {
      expect((error as CatalogueError).entry).toBe(key);
    }
  });

  it('a text given as a bare string (no languages) is refused at its key', () => {
    const json = structuredClone(loadCatalogue('lgcns')) as unknown as Catalogue;
    json.items.name.label = 'Name';
    expect(() => parseCatalogue(json)).toThrow('catalogue: invalid entry items.name.label: expected object');
  });

  it.each(Object.keys(profiles))('%s has every text in Korean and English', (name) => {
    const walk = (v: unknown, path: string): string[] => {
      if (typeof v !== 'object' || v === null) return [];
      const keys = Object.keys(v);
      if (keys.length === 2 && keys.includes('ko') && keys.includes('en')) {
        const t = v as { ko: string; en: string };
        // Korean text is written in Hangul wherever the source has words to translate.
        return /[가-힣]/.test(t.ko) ||
          /^[A-Z0-9 .,()/-]+$|Amazon|Apple|ap-northeast|COO|CRM|LG CNS/.test(t.ko)
          ? []
          : [path];
      }
      return Object.entries(v).flatMap(([k, x]) => walk(x, `${path}.${k}`));
    };
    expect(walk(loadCatalogue(name), name)).toEqual([]);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: a catalogue as loose JSON, to break it on purpose
type Catalogue = any;
