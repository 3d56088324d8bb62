/**
 * The officer console at /console: signs in (the hosted UI when deployed, with MFA; the local
 * issuer's page locally), refuses any account outside the `privacy-officer` group with a page
 * that says so, and otherwise runs the console. A session that expires mid-task is renewed in a
 * popup: the page, and everything typed, stays.
 */
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { Language } from '../../policy/i18n';
import { createApiClient } from '../shared/api';
import { loadConfig, type PageConfig } from '../shared/config';
import { applyLanguage, detectLanguage } from '../shared/i18n';
import {
  completeSignIn,
  currentSession,
  forgetSession,
  signInByPopup,
  signInByRedirect,
} from '../shared/session';
import { ConsoleApp, Header } from './app';
import { ConsoleContext, translate } from './context';
import './console.css';

/** The group the API admits to /v1/admin (model/routes/route.ts OFFICER_GROUP). */
const OFFICER_GROUP = 'privacy-officer';

function subjectOf(idToken: string): string {
  try {
    const payload = JSON.parse(atob((idToken.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: string;
      'cognito:username'?: string;
    };
    return payload['cognito:username'] ?? payload.sub ?? '';
  } catch {
    return '';
  }
}

function Root(props: { config: PageConfig; initialLang: Language }) {
  const [lang, setLang] = useState<Language>(props.initialLang);
  const [renewal, setRenewal] = useState<{ resolve: () => void; reject: (e: Error) => void } | undefined>();
  const [renewError, setRenewError] = useState(false);
  const t = translate(lang);
  const api = useMemo(
    () =>
      createApiClient(
        props.config,
        () =>
          new Promise<void>((resolve, reject) => {
            setRenewError(false);
            setRenewal({ resolve, reject });
          }),
      ),
    [props.config],
  );
  const session = currentSession();
  const onLanguage = (next: Language) => {
    applyLanguage(next);
    setLang(next);
  };
  const context = { lang, t, api, now: () => new Date(), officer: session ? subjectOf(session.idToken) : '' };
  const live = session && session.expiresAt * 1000 > Date.now();
  if (!live && !renewal) {
    return (
      <ConsoleContext.Provider value={context}>
        <Header onLanguage={onLanguage} />
        <main id="main" class="center">
          <h1>{t('title')}</h1>
          <p>{t('signInIntro')}</p>
          <button type="button" class="primary" onClick={() => void signInByRedirect(props.config, lang)}>
            {t('signIn')}
          </button>
        </main>
      </ConsoleContext.Provider>
    );
  }
  if (session && !session.groups.includes(OFFICER_GROUP)) {
    return (
      <ConsoleContext.Provider value={context}>
        <Header onLanguage={onLanguage} onSignOut={() => signOut(props.config)} />
        <main id="main" class="center refused">
          <h1>{t('refusedTitle')}</h1>
          <p>{t('refusedBody')}</p>
          <p>{t('refusedHint')}</p>
          <p>
            <a href="privacy">{t('refusedLink')}</a>
          </p>
        </main>
      </ConsoleContext.Provider>
    );
  }
  const dialog = renewal ? (
    <div class="overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="expired-title"
        aria-describedby="expired-body"
        class="dialog"
      >
        <h2 id="expired-title">{t('expiredTitle')}</h2>
        <p id="expired-body">{t('expiredBody')}</p>
        {renewError ? <p class="error">{t('refusedTitle')}</p> : null}
        <button
          type="button"
          class="primary"
          onClick={() => {
            signInByPopup(props.config, lang).then(
              () => {
                renewal.resolve();
                setRenewal(undefined);
              },
              () => setRenewError(true),
            );
          }}
        >
          {t('expiredAction')}
        </button>
      </div>
    </div>
  ) : undefined;
  return (
    <ConsoleContext.Provider value={context}>
      <ConsoleApp onLanguage={onLanguage} onSignOut={() => signOut(props.config)} dialog={dialog} />
    </ConsoleContext.Provider>
  );
}

function signOut(config: PageConfig): void {
  forgetSession(config);
  location.reload();
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const config = await loadConfig('console');
  const signedIn = await completeSignIn(config);
  if (signedIn === 'popup') return;
  const asked = signedIn?.lang;
  const lang: Language = asked === 'en' || asked === 'ko' ? asked : detectLanguage();
  applyLanguage(lang);
  root.textContent = '';
  render(<Root config={config} initialLang={lang} />, root);
}

void boot();
