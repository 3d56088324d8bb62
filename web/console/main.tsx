/**
 * The officer console at /console, on the pages' shared base (sign-in, language, expired-session
 * renewal): signs in (the hosted UI when deployed, with MFA; the local issuer's page locally),
 * refuses any account outside the `privacy-officer` group with a page that says so, and
 * otherwise runs the console.
 */
import '../shared/base.css';
import './console.css';
import { type PageProps, startPage } from '../shared/page';
import { Shell } from '../shared/ui';
import { ConsoleApp } from './app';
import { ConsoleContext, translate } from './context';

/** The group the API admits to /v1/admin (model/routes/route.ts OFFICER_GROUP). */
const OFFICER_GROUP = 'privacy-officer';

function Console(props: PageProps) {
  const t = translate(props.lang);
  // An expired session stays signed in here: the API's 401 renews it in the shared dialog, and the
  // console (with everything typed in it) stays mounted meanwhile.
  const signedIn = props.session !== undefined;
  const officer = signedIn && props.session!.groups.includes(OFFICER_GROUP);
  const context = {
    lang: props.lang,
    t,
    api: props.api,
    now: () => new Date(),
  };
  return (
    <ConsoleContext.Provider value={context}>
      <Shell
        lang={props.lang}
        title={t('title')}
        onLanguage={props.setLang}
        {...(props.session ? { onSignOut: props.signOut } : {})}
      >
        {!signedIn ? (
          <section class="center" aria-labelledby="signin-title">
            <h1 id="signin-title">{t('title')}</h1>
            <p>{t('signInIntro')}</p>
            <button type="button" class="primary" onClick={props.signIn}>
              {t('signIn')}
            </button>
          </section>
        ) : !officer ? (
          <section class="center refused" aria-labelledby="refused-title" data-refused="not-an-officer">
            <h1 id="refused-title">{t('refusedTitle')}</h1>
            <p>{t('refusedBody')}</p>
            <p>{t('refusedHint')}</p>
            <p>
              <a href={`privacy?lang=${props.lang}`}>{t('refusedLink')}</a>
            </p>
          </section>
        ) : (
          <ConsoleApp />
        )}
      </Shell>
    </ConsoleContext.Provider>
  );
}

void startPage('console', Console);
