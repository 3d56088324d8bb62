/**
 * Words and dates as a person reads them, without the browser: placeholders with Korean particles
 * that follow the word they attach to, and instants, days and periods in Asia/Seoul.
 */
import type { Language } from '../../policy/i18n';

/** Whether the last syllable of `word` ends in a consonant (받침); false for non-Hangul endings. */
function hasFinalConsonant(word: string): boolean {
  const last = word.trim().at(-1) ?? '';
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 !== 0;
  // Digits and Latin letters read aloud in Korean: those whose name ends in a consonant.
  return /[013678lmnLMN]$/.test(last);
}

const PARTICLES: Record<string, [string, string]> = {
  '을/를': ['을', '를'],
  '이/가': ['이', '가'],
  '은/는': ['은', '는'],
  '과/와': ['과', '와'],
  '으로/로': ['으로', '로'],
};

/** `{name}` placeholders filled from `params`; `{name:을/를}` adds the particle that fits the value. */
export function format(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)(?::([^}]+))?\}/g, (whole, name: string, particle?: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const text = String(value);
    if (!particle) return text;
    const pair = PARTICLES[particle];
    if (!pair) return text;
    return text + (hasFinalConsonant(text) ? pair[0] : pair[1]);
  });
}

const SEOUL = 'Asia/Seoul';

function seoulParts(date: Date, lang: Language) {
  const parts = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: SEOUL,
    year: 'numeric',
    month: lang === 'ko' ? 'numeric' : 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/** An instant as a person reads it, in Seoul: "2027년 12월 1일 03:00 KST" / "1 December 2027, 03:00 KST". */
export function formatInstant(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = seoulParts(date, lang);
  return lang === 'ko'
    ? `${p.year}년 ${p.month}월 ${p.day}일 ${p.hour}:${p.minute} KST`
    : `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} KST`;
}

/** A day in Seoul: "2027년 12월 1일" / "1 December 2027". */
export function formatDay(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = seoulParts(date, lang);
  return lang === 'ko' ? `${p.year}년 ${p.month}월 ${p.day}일` : `${p.day} ${p.month} ${p.year}`;
}

/** An ISO 8601 period (P3Y, P6M, P30D) in words. */
export function formatPeriod(period: string, lang: Language): string {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(period);
  if (!match) return period;
  const [, y, m, d] = match;
  const words: string[] = [];
  if (y) words.push(lang === 'ko' ? `${y}년` : `${y} year${y === '1' ? '' : 's'}`);
  if (m) words.push(lang === 'ko' ? `${m}개월` : `${m} month${m === '1' ? '' : 's'}`);
  if (d) words.push(lang === 'ko' ? `${d}일` : `${d} day${d === '1' ? '' : 's'}`);
  return words.join(' ');
}
