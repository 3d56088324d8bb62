/** The officer console at /console: signs an officer in; its views are built on the shared base. */
import '../shared/base.css';
import { type PageProps, startPage } from '../shared/page';
import { Section, Shell } from '../shared/ui';

function Console(props: PageProps) {
  const title = props.lang === 'ko' ? '개인정보 보호책임자 콘솔' : 'Privacy officer console';
  return (
    <Shell
      lang={props.lang}
      title={title}
      onLanguage={props.setLang}
      {...(props.session ? { onSignOut: props.signOut } : {})}
    >
      <h1>{title}</h1>
      <Section id="signin" title={props.lang === 'ko' ? '로그인' : 'Sign in'}>
        {props.session ? (
          <p>{props.lang === 'ko' ? '로그인되었습니다.' : 'You are signed in.'}</p>
        ) : (
          <button type="button" class="primary" onClick={props.signIn}>
            {props.lang === 'ko' ? '로그인' : 'Sign in'}
          </button>
        )}
      </Section>
    </Shell>
  );
}

void startPage('console', Console);
