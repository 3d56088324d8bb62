import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/console/messages';

/** Placeholders filled as the pages' formatter fills them (web/shared/i18n.ts needs a browser). */
const fill = (text: string, params: Record<string, number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?::[^}]+)?\}/g)].map((m) => m[1]).sort();

describe("the console's messages", () => {
  it('say the same thing in Korean and English: every text present, the same placeholders', () => {
    const keys = Object.keys(MESSAGES.ko);
    expect(Object.keys(MESSAGES.en).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const ko = MESSAGES.ko[key as keyof typeof MESSAGES.ko];
      const en = MESSAGES.en[key as keyof typeof MESSAGES.en];
      expect(ko.trim(), key).not.toBe('');
      expect(en.trim(), key).not.toBe('');
      expect(placeholders(ko), key).toEqual(placeholders(en));
      // Korean text is Korean: a message in English only would show in the Korean console.
      expect(ko, key).not.toBe(en);
    }
  });

  it('fill the chain verdict in each language', () => {
    const params = { records: 41, first: 1, last: 41 };
    expect(fill(MESSAGES.ko.chainIntact, params)).toBe(
      '해시 체인 검증됨: 기록 41건 (순번 1–41), 변경·삭제·삽입된 기록 없음',
    );
    expect(fill(MESSAGES.en.chainIntact, params)).toBe(
      'Hash chain verified: 41 records (seq 1–41), none modified, removed or inserted',
    );
  });
});
