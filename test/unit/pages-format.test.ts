/**
 * The pages' words and dates (web/shared/format.ts): Korean particles that fit the word, and
 * instants, days and periods in Seoul as each language writes them, whatever the host's zone.
 */
import { describe, expect, it } from 'vitest';
import { format, formatDay, formatInstant, formatPeriod } from '../../web/shared/format';

describe('the pages format', () => {
  it('fills placeholders and picks the Korean particle after the word', () => {
    expect(format('{item:을/를} 정정했습니다.', { item: '이메일 주소' })).toBe('이메일 주소를 정정했습니다.');
    expect(format('{item:을/를} 정정했습니다.', { item: '아기 이름' })).toBe('아기 이름을 정정했습니다.');
    expect(format('{item:이/가} 바뀌었습니다.', { item: '휴대전화 번호' })).toBe(
      '휴대전화 번호가 바뀌었습니다.',
    );
    expect(format('{item:은/는} 필수입니다.', { item: '별명' })).toBe('별명은 필수입니다.');
    expect(format('{n}건', { n: 3 })).toBe('3건');
    expect(format('{missing} stays')).toBe('{missing} stays');
  });

  it('writes instants in Seoul: 2027년 12월 1일 03:00 KST / 1 December 2027, 03:00 KST', () => {
    expect(formatInstant('2027-11-30T18:00:00.000Z', 'ko')).toBe('2027년 12월 1일 03:00 KST');
    expect(formatInstant('2027-11-30T18:00:00.000Z', 'en')).toBe('1 December 2027, 03:00 KST');
    expect(formatDay('2027-11-30T18:00:00.000Z', 'ko')).toBe('2027년 12월 1일');
    expect(formatDay('2027-11-30T18:00:00.000Z', 'en')).toBe('1 December 2027');
    expect(formatInstant('not a date', 'en')).toBe('not a date');
  });

  it('writes retention periods in words', () => {
    expect(formatPeriod('P5Y', 'ko')).toBe('5년');
    expect(formatPeriod('P1Y', 'en')).toBe('1 year');
    expect(formatPeriod('P3M', 'en')).toBe('3 months');
    expect(formatPeriod('P1Y6M', 'ko')).toBe('1년 6개월');
    expect(formatPeriod('until-withdrawal', 'en')).toBe('until-withdrawal');
  });
});
