/**
 * The console inside the shared page frame: its menu, and the view the address bar's fragment
 * names (#queue, #intake…: view names only, never a member or a request).
 */
import { useEffect, useState } from 'preact/hooks';
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

/** The console for an officer. */
export function ConsoleApp() {
  const { t } = useConsole();
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
      <nav aria-label={t('navLabel')} class="console-menu">
        <ul class="tabs">
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
      <div class="view">
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
      </div>
    </>
  );
}
