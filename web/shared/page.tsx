/**
 * Starting a page: its configuration, the end of a sign-in, the reader's language, and the API
 * client whose expired sessions are renewed through {@link SessionDialog} while the page (and
 * every draft in it) stays in memory.
 */
import { type ComponentType, render } from 'preact';
import { useCallback, useMemo, useRef, useState } from 'preact/hooks';
import { type ApiClient, createApiClient } from './api';
import { loadConfig, type PageConfig } from './config';
import { applyLanguage, detectLanguage, isLanguageTag, type Language } from './i18n';
import {
  completeSignIn,
  currentSession,
  dropSession,
  forgetSession,
  type Session,
  signInByPopup,
  signInByRedirect,
} from './session';
import { SessionDialog } from './ui';

/** What a page's app receives. */
export interface PageProps {
  readonly config: PageConfig;
  readonly api: ApiClient;
  readonly lang: Language;
  readonly setLang: (lang: Language) => void;
  /** The session, if signed in; the page asks for sign-in otherwise. */
  readonly session: Session | undefined;
  readonly signIn: () => void;
  readonly signOut: () => void;
  /** Drops the session without leaving the page: what is on screen stays (e.g. a receipt). */
  readonly endSession: () => void;
}

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

function Root(props: { config: PageConfig; initialLang: Language; App: ComponentType<PageProps> }) {
  const { config, App } = props;
  const [lang, setLangState] = useState<Language>(props.initialLang);
  const [session, setSession] = useState<Session | undefined>(currentSession());
  const [renewing, setRenewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const pending = useRef<Pending[]>([]);
  const langRef = useRef(lang);
  langRef.current = lang;

  const api = useMemo(
    () =>
      createApiClient(
        config,
        () =>
          new Promise<void>((resolve, reject) => {
            pending.current.push({ resolve, reject });
            setRenewing(true);
          }),
      ),
    [config],
  );
  const setLang = useCallback((next: Language) => {
    applyLanguage(next);
    setLangState(next);
  }, []);
  const settle = (error?: Error) => {
    const waiting = pending.current;
    pending.current = [];
    for (const p of waiting) {
      if (error) p.reject(error);
      else p.resolve();
    }
  };
  return (
    <>
      <App
        config={config}
        api={api}
        lang={lang}
        setLang={setLang}
        session={session}
        signIn={() => void signInByRedirect(config, langRef.current)}
        signOut={() => {
          forgetSession(config);
          setSession(undefined);
        }}
        endSession={() => {
          dropSession();
          setSession(undefined);
        }}
      />
      <SessionDialog
        lang={lang}
        open={renewing}
        busy={busy}
        onSignIn={() => {
          setBusy(true);
          signInByPopup(config, langRef.current)
            .then((renewed) => {
              setSession(renewed);
              setRenewing(false);
              settle();
            })
            .catch(() => undefined)
            .finally(() => setBusy(false));
        }}
        onCancel={() => {
          setRenewing(false);
          settle(new Error('sign-in cancelled'));
        }}
      />
    </>
  );
}

/** Boots `App` as the page `page` (the folder under web/ and the path it is served at). */
export async function startPage(page: string, App: ComponentType<PageProps>): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const config = await loadConfig(page);
  let lang = detectLanguage();
  const signedIn = await completeSignIn(config).catch(() => undefined);
  if (signedIn === 'popup') return;
  if (signedIn && isLanguageTag(signedIn.lang)) lang = signedIn.lang;
  applyLanguage(lang);
  root.textContent = '';
  render(<Root config={config} initialLang={lang} App={App} />, root);
}
