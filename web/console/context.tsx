/**
 * What every console view shares: the reader's language and its translator, the API client,
 * and the clock (one place, so a view's "today" is the same Seoul day as its counts).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language } from '../../policy/i18n';
import type { ApiClient } from '../shared/api';
import { format } from '../shared/i18n';
import { MESSAGES, type MessageKey } from './messages';

/** The console's translator: a message in the reader's language, placeholders filled. */
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** What the console's views share. */
export interface Console {
  readonly lang: Language;
  readonly t: Translate;
  readonly api: ApiClient;
  readonly now: () => Date;
}

/** A translator for `lang`. */
export function translate(lang: Language): Translate {
  const messages = MESSAGES[lang];
  return (key, params) => format(messages[key], params);
}

/** The console context; set once by the app. */
export const ConsoleContext = createContext<Console | undefined>(undefined);

/** The console a view runs in. */
export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('outside the console');
  return value;
}
