/**
 * The languages a person reads the product in. Korean is the default for every profile: both
 * operators are Korean services with Korean members; English is chosen by the reader.
 */

/** The languages every text a person reads exists in. */
export const LANGUAGES = ['ko', 'en'] as const;

/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

/** The language used when the reader states none the product speaks. */
export const DEFAULT_LANGUAGE: Language = 'ko';

/** A text a person reads, in every language. */
export type Text = Readonly<Record<Language, string>>;

/** Whether `value` names a language the product speaks. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** `text` in `lang`. */
export function localized(text: Text, lang: Language): string {
  return text[lang];
}

/**
 * The language an Accept-Language header (RFC 9110 §12.5.4) prefers among {@link LANGUAGES}:
 * ranges by quality, best first (`ko-KR` counts as `ko`, `*` as the default); no header, or
 * one naming none of them, gets {@link DEFAULT_LANGUAGE}.
 */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag, q: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((r) => r.tag.length > 0 && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranges) {
    if (tag === '*') return DEFAULT_LANGUAGE;
    const primary = tag.split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** Parts joined as a list reads in `lang` ("A, B 및 C" / "A, B, and C"), by the platform's Intl. */
export function listText(parts: readonly string[], lang: Language): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(parts);
}
