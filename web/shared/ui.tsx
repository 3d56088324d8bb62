/**
 * The pieces both pages are made of: the page frame with its language switcher, form fields that
 * show the API's error next to them, the problem banner, and the dialog that renews an expired
 * session without leaving the page.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiProblem } from './api';
import type { Catalogue, Language } from './i18n';
import { translator } from './i18n';
import { fieldMessage, problemMessage } from './problems';

type ShellKey =
  | 'skip'
  | 'language'
  | 'signIn'
  | 'signOut'
  | 'sessionTitle'
  | 'sessionBody'
  | 'sessionAgain'
  | 'sessionCancel'
  | 'loading'
  | 'footer';

const SHELL: Catalogue<ShellKey> = {
  ko: {
    skip: '본문으로 건너뛰기',
    language: '언어',
    signIn: '로그인',
    signOut: '로그아웃',
    sessionTitle: '로그인이 만료되었습니다',
    sessionBody:
      '보안을 위해 로그인 시간이 끝났습니다. 다시 로그인하면 입력한 내용을 그대로 이어서 보낼 수 있습니다.',
    sessionAgain: '다시 로그인',
    sessionCancel: '취소',
    loading: '불러오는 중…',
    footer: '이 페이지는 쿠키를 쓰지 않습니다. 로그인 정보는 이 탭을 닫으면 사라집니다.',
  },
  en: {
    skip: 'Skip to content',
    language: 'Language',
    signIn: 'Sign in',
    signOut: 'Sign out',
    sessionTitle: 'Your session has ended',
    sessionBody:
      'For your security the session timed out. Sign in again and what you entered will be sent as it is.',
    sessionAgain: 'Sign in again',
    sessionCancel: 'Cancel',
    loading: 'Loading…',
    footer: 'This page uses no cookies. Your sign-in is forgotten when you close this tab.',
  },
};

/** The shared texts of the frame, for pages that need one (e.g. "Loading…"). */
export function shellText(lang: Language) {
  return translator(SHELL, lang);
}

/** The page frame: header with title, language switcher and sign-out; main content; footer. */
export function Shell(props: {
  lang: Language;
  title: string;
  onLanguage: (lang: Language) => void;
  onSignOut?: () => void;
  children: ComponentChildren;
}) {
  const t = translator(SHELL, props.lang);
  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <p class="brand">{props.title}</p>
        <nav class="top-actions" aria-label={t('language')}>
          <LanguageSwitcher lang={props.lang} onChange={props.onLanguage} />
          {props.onSignOut && (
            <button type="button" class="link" onClick={props.onSignOut}>
              {t('signOut')}
            </button>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
      <footer class="bottom">
        <p>{t('footer')}</p>
      </footer>
    </>
  );
}

/** 한국어 / English, each button in its own language. */
export function LanguageSwitcher(props: { lang: Language; onChange: (lang: Language) => void }) {
  const choices: [Language, string][] = [
    ['ko', '한국어'],
    ['en', 'English'],
  ];
  return (
    <span class="switcher">
      {choices.map(([lang, label]) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          aria-pressed={props.lang === lang}
          data-lang={lang}
          onClick={() => props.onChange(lang)}
        >
          {label}
        </button>
      ))}
    </span>
  );
}

/** A labelled input whose API field error (by `field`, e.g. 'items.email') shows right under it. */
export function Field(props: {
  id: string;
  label: string;
  field: string;
  value: string;
  onInput: (value: string) => void;
  problem?: ApiProblem | undefined;
  lang: Language;
  hint?: string;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  required?: boolean;
}) {
  const error = props.problem?.errorFor(props.field);
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const described = [props.hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        name={props.field}
        type="text"
        value={props.value}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
        onInput={(event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
      />
      {error && (
        <p class="field-error" id={errorId} data-field-error={props.field}>
          {fieldMessage(error, props.lang)}
        </p>
      )}
    </div>
  );
}

/** The problem's message in the reader's language, announced to screen readers. */
export function ProblemBanner(props: { problem: ApiProblem | undefined; lang: Language }) {
  if (!props.problem) return null;
  return (
    <p class="problem" role="alert" data-problem={props.problem.kind}>
      {problemMessage(props.problem, props.lang)}
    </p>
  );
}

/** A notice that something went through, announced politely. */
export function Notice(props: { children: ComponentChildren }) {
  return <output class="notice">{props.children}</output>;
}

/** A section with a heading, the unit every page is made of. */
export function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="card" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** The modal shown when the session expired mid-task: sign in again in a popup, or give up. */
export function SessionDialog(props: {
  lang: Language;
  open: boolean;
  busy: boolean;
  onSignIn: () => void;
  onCancel: () => void;
}) {
  const t = translator(SHELL, props.lang);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class="session"
      aria-labelledby="session-title"
      aria-describedby="session-body"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="session-title">{t('sessionTitle')}</h2>
      <p id="session-body">{t('sessionBody')}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={props.busy} onClick={props.onSignIn}>
          {t('sessionAgain')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('sessionCancel')}
        </button>
      </div>
    </dialog>
  );
}
