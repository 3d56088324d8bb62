/**
 * The pages' languages: Korean by default, English by `?lang=` or the browser's languages, and
 * a switcher. Messages are typed catalogues, one per language, so a missing translation fails the
 * typecheck; placeholders are named (`{item}`), dates go through the platform's Intl in
 * Asia/Seoul, and Korean particles follow the word they attach to (을/를, 이/가, 은/는).
 */
import { DEFAULT_LANGUAGE, isLanguage, type Language, type Text } from '../../policy/i18n';
import { format } from './format';

export { format, formatDay, formatInstant, formatPeriod } from './format';

export type { Language, Text };

/** A catalogue text the API sends in every language (`{ko, en}`), in the reader's `lang`. */
export function textIn(text: Text, lang: Language): string {
  return text[lang];
}

/** The reader's language: `?lang=`, else the first of the browser's languages we speak, else Korean. */
export function detectLanguage(): Language {
  const asked = new URLSearchParams(location.search).get('lang');
  if (isLanguage(asked)) return asked;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/** Puts `lang` in the address bar (not personal) so a reload keeps it, and on the document. */
export function applyLanguage(lang: Language): void {
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url.toString());
  document.documentElement.lang = lang;
}

/** A message catalogue: the same keys in every language. */
export type Catalogue<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;

/** A translator for `catalogue` in `lang`. */
export function translator<K extends string>(catalogue: Catalogue<K>, lang: Language) {
  const messages = catalogue[lang];
  return (key: K, params?: Readonly<Record<string, string | number>>): string =>
    format(messages[key], params);
}

/** Whether `value` is a language the pages speak. */
export function isLanguageTag(value: unknown): value is Language {
  return isLanguage(value);
}
