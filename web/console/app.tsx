/**
 * The console's frame: header with the language switch and sign-out, the menu, and the view the
 * address bar's fragment names (#queue, #intake…: view names only, never a member or a request).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LANGUAGES, type Language } from '../../policy/i18n';
import { useConsole } from './context';
import type { MessageKey } from './messages';
import { ChartsView } from './views/charts';
import { IntakeView } from './views/intake';
import { MembersView } from './views/members';
import { PolicyView } from './views/policy';
import { ProvisionsView } from './views/provisions';
import { QueueView } from './views/queue';
import { RecordsView } from './views/records';

/** The console's views, in menu order. */
export const VIEWS = ['queue', 'intake', 'members', 'provisions', 'policy', 'records', 'charts'] as const;
/** A console view. */
export type View = (typeof VIEWS)[number];

const NAV: Record<View, MessageKey> = {
  queue: 'navQueue',
  intake: 'navIntake',
  members: 'navMembers',
  provisions: 'navProvisions',
  policy: 'navPolicy',
  records: 'navRecords',
  charts: 'navCharts',
};

function viewOfHash(): View {
  const name = location.hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'queue';
}

/** The header: title, the officer, the language switch and sign-out. */
export function Header(props: {
  onLanguage: (lang: Language) => void;
  onSignOut?: () => void;
  officer?: string;
}) {
  const { t, lang } = useConsole();
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <p class="brand">{t('title')}</p>
      <div class="tools">
        {props.officer ? <span class="officer mono">{props.officer}</span> : null}
        <label for="console-lang" class="visually-hidden">
          {t('language')}
        </label>
        <select
          id="console-lang"
          value={lang}
          onChange={(e) => props.onLanguage((e.currentTarget as HTMLSelectElement).value as Language)}
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {l === 'ko' ? '한국어' : 'English'}
            </option>
          ))}
        </select>
        {props.onSignOut ? (
          <button type="button" onClick={props.onSignOut}>
            {t('signOut')}
          </button>
        ) : null}
      </div>
    </header>
  );
}

/** The console for an officer. */
export function ConsoleApp(props: {
  onLanguage: (lang: Language) => void;
  onSignOut: () => void;
  dialog?: ComponentChildren;
}) {
  const { t, officer } = useConsole();
  const [view, setView] = useState<View>(viewOfHash);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  useEffect(() => {
    const onHash = () => setView(viewOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.title = `${t(NAV[view])} · ${t('title')}`;
    document.getElementById('main')?.focus();
  }, [view, t]);
  const go = (next: View) => {
    location.hash = next;
    setView(next);
  };
  return (
    <>
      <Header onLanguage={props.onLanguage} onSignOut={props.onSignOut} officer={officer} />
      <nav aria-label={t('navLabel')} class="menu">
        <ul>
          {VIEWS.map((v) => (
            <li key={v}>
              <a
                href={`#${v}`}
                aria-current={v === view ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(v);
                }}
              >
                {t(NAV[v])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {view === 'queue' ? <QueueView selected={selected} onSelect={setSelected} /> : null}
        {view === 'intake' ? (
          <IntakeView
            onOpen={(id) => {
              setSelected(id);
              go('queue');
            }}
          />
        ) : null}
        {view === 'members' ? <MembersView /> : null}
        {view === 'provisions' ? <ProvisionsView /> : null}
        {view === 'policy' ? <PolicyView /> : null}
        {view === 'records' ? <RecordsView /> : null}
        {view === 'charts' ? <ChartsView /> : null}
      </main>
      {props.dialog}
    </>
  );
}
