/**
 * The languages a person reads (issue 16): negotiation, Seoul dates per language (under each
 * host time zone of the unit projects), durations, particles, and each email's text in Korean
 * and English from the catalogue.
 */
import { describe, expect, it } from 'vitest';
import { verificationCodeEmail } from '../../lambdas/features/corrections/rules';
import { correctionNoticeText } from '../../lambdas/features/provisions/rules';
import { digestEmail } from '../../lambdas/features/requests/digest';
import { viewOf } from '../../lambdas/features/requests/rules';
import { liftNoticeEmail } from '../../lambdas/features/restriction/rules';
import { seoulDateText, seoulDateTimeText, seoulDayText } from '../../model/calendar';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import { durationText } from '../../policy/duration';
import { listText, preferredLanguage } from '../../policy/i18n';
import { particle } from '../../policy/particles';

describe('the reader’s language', () => {
  it.each([
    [undefined, 'ko'],
    ['', 'ko'],
    ['en', 'en'],
    ['EN-us', 'en'],
    ['ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'ko'],
    ['fr;q=0.9, en;q=0.8', 'en'],
    ['en;q=0.2, ko;q=0.5', 'ko'],
    ['en;q=0', 'ko'],
    ['*', 'ko'],
    ['zh-CN, ja', 'ko'],
    ['en;q=abc', 'ko'],
  ] as const)('Accept-Language %j prefers %s', (header, lang) => {
    expect(preferredLanguage(header)).toBe(lang);
  });
});

describe('dates, durations, lists and particles as each language writes them', () => {
  // 18:00 UTC on 30 November is 03:00 on 1 December in Seoul, whatever the host's zone.
  const instant = new Date('2027-11-30T18:00:00Z');

  it('writes the Seoul date and time per language', () => {
    expect(seoulDateTimeText(instant, 'ko')).toBe('2027년 12월 1일 03:00 KST');
    expect(seoulDateTimeText(instant, 'en')).toBe('1 December 2027, 03:00 KST');
    expect(seoulDateText(instant, 'ko')).toBe('2027년 12월 1일');
    expect(seoulDayText('2031-03-09', 'en')).toBe('9 March 2031');
    expect(seoulDayText('2031-03-09', 'ko')).toBe('2031년 3월 9일');
  });

  it('writes durations and lists per language', () => {
    expect(durationText({ years: 1 }, 'ko')).toBe('1년');
    expect(durationText({ months: 6 }, 'ko')).toBe('6개월');
    expect(durationText({ days: 30 }, 'en')).toBe('30 days');
    expect(listText(['A', 'B', 'C'], 'ko')).toBe('A, B 및 C');
    expect(listText(['A', 'B', 'C'], 'en')).toBe('A, B, and C');
  });

  it('chooses the particle that fits the last syllable of each catalogue word', () => {
    expect(particle('이메일 주소', '을/를')).toBe('이메일 주소를');
    expect(particle('사용자 이름', '이/가')).toBe('사용자 이름이');
    expect(particle('리틀원', '은/는')).toBe('리틀원은');
    expect(particle('비밀번호', '은/는')).toBe('비밀번호는');
    expect(particle('서면, 전화 및 이메일', '으로/로')).toBe('서면, 전화 및 이메일로');
    expect(particle('휴대전화번호', '을/를')).toBe('휴대전화번호를');
  });
});

describe.each(Object.keys(profiles))('the emails of %s', (name) => {
  const c = loadCatalogue(name);

  it('the correction code names the item, never its value, in each language', () => {
    const ko = verificationCodeEmail(c, c.noticeItem, '123456', 'ko');
    expect(ko.subject).toBe(
      `[${c.operator.service.ko}] ${c.items[c.noticeItem]!.label.ko} 변경 확인 인증번호`,
    );
    expect(ko.text).toContain('인증번호는 123456입니다.');
    const en = verificationCodeEmail(c, c.noticeItem, '123456', 'en');
    expect(en.subject).toBe(`${c.operator.service.en}: confirm your new email address`);
    expect(en.text).toContain('Your verification code is 123456.');
  });

  it('the restriction-lift notice gives the Seoul date it was set', () => {
    const since = new Date('2027-11-30T18:00:00Z');
    expect(liftNoticeEmail(c, since, 'ko').text).toContain(
      '요청하신 대로 2027년 12월 1일 03:00 KST에 설정하신',
    );
    expect(liftNoticeEmail(c, since, 'en').text).toContain(
      'you set on 1 December 2027, 03:00 KST is being lifted',
    );
  });

  it('a recipient is told of a correction in Korean unless asked otherwise', () => {
    const notice = { provisionIds: ['prov-1'], items: [c.noticeItem] };
    const ko = correctionNoticeText(c, notice, {});
    expect(ko.subject).toBe(`[${c.operator.service.ko}] 제공한 개인정보의 정정 안내`);
    expect(ko.text).toContain(
      `${c.operator.name.ko}에서 귀사에 회원 한 명의 개인정보를 제공했습니다(제공 prov-1).`,
    );
    expect(ko.text).toContain(`${c.items[c.noticeItem]!.label.ko}: (삭제됨)`);
    const en = correctionNoticeText(c, notice, { [c.noticeItem]: 'new@example.com' }, 'en');
    expect(en.text).toContain(`${c.items[c.noticeItem]!.label.en}: new@example.com`);
  });

  it('the officer digest is Korean unless the officer contact states English', () => {
    const now = new Date('2027-11-30T18:00:00Z');
    const request = viewOf(
      {
        requestId: 'req-1',
        memberId: 'm-1',
        type: 'access',
        channel: 'letter',
        jurisdiction: 'pipa',
        status: 'received',
        receivedAt: '2027-11-01T00:00:00.000Z',
        deadline: '2027-11-11',
      } as unknown as Parameters<typeof viewOf>[0],
      now,
    );
    const ko = digestEmail(c, [request], now, '2027-12-01', 'ko', () => []);
    expect(ko.subject).toMatch(/^\[.+\] 처리 중인 개인정보 요청 1건 중 \d건 기한 초과 \(2027년 12월 1일\)$/);
    expect(ko.text).toContain('2027년 12월 1일 기준(Asia/Seoul) 아직 답하지 않은 권리 요청, 기한순:');
    expect(ko.text).toContain('요청 req-1, 회원 m-1');
    const en = digestEmail(c, [], now, '2027-12-01', 'en', () => []);
    expect(en.subject).toContain('0 overdue of 0 open privacy requests (1 December 2027)');
    expect(en.text).toContain('(none)');
    const english = parseCatalogue({
      ...structuredClone(profiles[name as keyof typeof profiles]),
      contacts: {
        ...structuredClone(profiles[name as keyof typeof profiles].contacts),
        officer: { ...structuredClone(profiles[name as keyof typeof profiles].contacts.officer), lang: 'en' },
      },
    });
    expect(english.contacts.officer.lang).toBe('en');
  });
});
