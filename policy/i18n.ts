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
