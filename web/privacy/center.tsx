/**
 * The privacy center: everything the API holds of the member, and each right as a form. Labels
 * of items, purposes and retention classes come from the API in Korean and English and are shown
 * in the reader's language, as are the page's own words (messages.ts).
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiProblem, newIdempotencyKey } from '../shared/api';
import { formatDay, formatInstant, formatPeriod, type Language, textIn, translator } from '../shared/i18n';
import type { PageProps } from '../shared/page';
import { Field, Notice, ProblemBanner, Section, Shell } from '../shared/ui';
import { MESSAGES, type MessageKey } from './messages';
import type {
  ConsentView,
  CorrectionAnswer,
  Decision,
  MemberView,
  PolicyDocument,
  RecipientConsentView,
  Retention,
  SignedReceipt,
} from './types';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const TABS = [
  ['overview', 'tabOverview'],
  ['consents', 'tabConsents'],
  ['records', 'tabRecords'],
  ['correct', 'tabCorrect'],
  ['export', 'tabExport'],
  ['restrict', 'tabRestrict'],
  ['withdraw', 'tabWithdraw'],
  ['policy', 'tabPolicy'],
] as const satisfies readonly (readonly [string, MessageKey])[];
type Tab = (typeof TABS)[number][0];

function currentTab(): Tab {
  const hash = location.hash.replace(/^#/, '');
  return (TABS.find(([id]) => id === hash)?.[0] ?? 'overview') as Tab;
}

/** Saves `data` as a file the person downloads; the object URL lives only for the click. */
function download(filename: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : new ApiProblem(0, undefined);
}

const BASES: Record<string, MessageKey> = {
  consent: 'basisConsent',
  contract: 'basisContract',
  'legal-obligation': 'basisLegalObligation',
  'vital-interests': 'basisVitalInterests',
  'legitimate-interests': 'basisLegitimateInterests',
};

/** A legal basis in the reader's words; an id the page does not know is shown as it is. */
function basisText(basis: string, t: T): string {
  const key = BASES[basis];
  return key ? t(key) : basis;
}

/** How a decision reached the service, in the reader's words. */
function channelText(channel: string, t: T): string {
  const key = (
    { app: 'channelApp', letter: 'channelLetter', phone: 'channelPhone', email: 'channelEmail' } as const
  )[channel as 'app'];
  return key ? t(key) : channel;
}

/** The label of the member's item `id` in `lang`, or the id when the view holds no such item. */
function labelOf(me: MemberView, id: string, lang: Language): string {
  const item = me.items.find((i) => i.id === id);
  return item ? textIn(item.label, lang) : id;
}

function retentionText(r: Retention, t: T, lang: Language): string {
  return r.period === 'until-withdrawal' ? t('untilWithdrawal') : formatPeriod(r.period, lang);
}

/** The privacy center page. */
export function PrivacyCenter(props: PageProps) {
  const { api, lang } = props;
  const t: T = translator(MESSAGES, lang);
  const [me, setMe] = useState<MemberView | 'not-member' | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const [tab, setTab] = useState<Tab>(currentTab());
  const [receipt, setReceipt] = useState<SignedReceipt | undefined>(undefined);

  useEffect(() => {
    const onHash = () => setTab(currentTab());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const reload = useCallback(async () => {
    try {
      setMe(await api.request<MemberView>('GET', '/v1/me'));
      setProblem(undefined);
    } catch (error) {
      const p = asProblem(error);
      if (p.kind === 'not-found') setMe('not-member');
      else setProblem(p);
    }
  }, [api]);

  useEffect(() => {
    if (props.session && !receipt) void reload();
  }, [props.session, reload, receipt]);

  const shell = (children: ComponentChildren) => (
    <Shell
      lang={lang}
      title={t('title')}
      onLanguage={props.setLang}
      {...(props.session ? { onSignOut: props.signOut } : {})}
    >
      {children}
    </Shell>
  );

  if (receipt) return shell(<ReceiptView receipt={receipt} {...props} t={t} />);
  if (!props.session) {
    return shell(
      <>
        <h1>{t('title')}</h1>
        <Section id="welcome" title={t('signIn')}>
          <p>{t('welcome')}</p>
          <p>{t('signInLead')}</p>
          <button type="button" class="primary" onClick={props.signIn}>
            {t('signIn')}
          </button>
        </Section>
        <PolicyView {...props} t={t} />
      </>,
    );
  }
  if (me === undefined)
    return shell(
      <>
        <h1>{t('title')}</h1>
        <ProblemBanner problem={problem} lang={lang} />
        {problem ? (
          <button type="button" onClick={() => void reload()}>
            {t('reload')}
          </button>
        ) : (
          <output class="status">{t('loading')}</output>
        )}
      </>,
    );
  if (me === 'not-member')
    return shell(
      <>
        <h1>{t('title')}</h1>
        <p class="problem" role="alert">
          {t('notMember')}
        </p>
        <PolicyView {...props} t={t} />
      </>,
    );

  const view = { ...props, t, me, reload };
  return shell(
    <>
      <h1>{t('title')}</h1>
      <nav aria-label={t('sections')}>
        <ul class="tabs">
          {TABS.map(([id, key]) => (
            <li key={id}>
              <a href={`#${id}`} aria-current={tab === id ? 'page' : undefined} data-tab={id}>
                {t(key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ProblemBanner problem={problem} lang={lang} />
      {tab === 'overview' && <Overview {...view} />}
      {tab === 'consents' && <Consents {...view} />}
      {tab === 'records' && <Records {...view} />}
      {tab === 'correct' && <Correct {...view} />}
      {tab === 'export' && <Export {...view} />}
      {tab === 'restrict' && <Restrict {...view} />}
      {tab === 'withdraw' && (
        <Withdraw
          {...view}
          onWithdrawn={(signed) => {
            // The account is gone: its token is of no further use. The receipt stays on screen.
            setReceipt(signed);
            props.endSession();
          }}
        />
      )}
      {tab === 'policy' && <PolicyView {...props} t={t} />}
    </>,
  );
}

interface ViewProps extends PageProps {
  readonly t: T;
  readonly me: MemberView;
  readonly reload: () => Promise<void>;
}

function Overview({ me, t, lang }: ViewProps) {
  const status = {
    active: 'statusActive',
    suspended: 'statusSuspended',
    withdrawing: 'statusWithdrawing',
  } as const;
  const purposes = new Map<string, { label: string; basis: string; items: string[] }>();
  for (const item of me.items) {
    for (const p of item.purposes) {
      const entry = purposes.get(p.id) ?? { label: textIn(p.label, lang), basis: p.legalBasis, items: [] };
      entry.items.push(textIn(item.label, lang));
      purposes.set(p.id, entry);
    }
  }
  return (
    <>
      <Section id="membership" title={t('tabOverview')}>
        <dl class="facts">
          <dt>{t('status')}</dt>
          <dd>{t(status[me.status])}</dd>
          <dt>{t('joinedAt')}</dt>
          <dd>{formatInstant(me.joinedAt, lang)}</dd>
          <dt>{t('lastSignInAt')}</dt>
          <dd>{formatInstant(me.lastSignInAt, lang)}</dd>
          <dt>{t('policyVersion')}</dt>
          <dd>{me.policyVersion}</dd>
          {me.inactivityDestructionAt && (
            <>
              <dt>{t('inactivity')}</dt>
              <dd>{formatDay(me.inactivityDestructionAt, lang)}</dd>
            </>
          )}
        </dl>
      </Section>
      <Section id="by-purpose" title={t('byPurpose')}>
        <ul class="plain">
          {[...purposes.entries()].map(([id, p]) => (
            <li key={id}>
              <h3>{p.label}</h3>
              <p class="hint">
                {t('basis')}: {basisText(p.basis, t)}
              </p>
              <p>
                {p.items.map((label) => (
                  <span class="tag" key={label}>
                    {label}
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ul>
      </Section>
      <Section id="items" title={t('heldItems')}>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('item')}</th>
                <th scope="col">{t('value')}</th>
                <th scope="col">{t('retention')}</th>
              </tr>
            </thead>
            <tbody>
              {me.items.map((item) => (
                <tr key={item.id} data-item={item.id}>
                  <th scope="row">{textIn(item.label, lang)}</th>
                  <td>
                    {item.value}
                    {item.state === 'under-correction' && (
                      <span class="tag warn">{t('underCorrection')}</span>
                    )}
                  </td>
                  <td>
                    {textIn(item.retention.label, lang)} ({retentionText(item.retention, t, lang)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {me.babies.map((baby, index) => (
          <div key={baby.babyId}>
            <h3>
              {t('babies')} {index + 1}
            </h3>
            <ul class="plain">
              {baby.items.map((item) => (
                <li key={item.id}>
                  <strong>{textIn(item.label, lang)}</strong>: {item.value}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </Section>
      {me.pendingCorrections.length > 0 && (
        <Section id="pending" title={t('pending')}>
          <ul class="plain">
            {me.pendingCorrections.map((c) => (
              <li key={c.correctionId}>
                {labelOf(me, c.item, lang)} · {t('expiresAt')} {formatInstant(c.expiresAt, lang)}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {me.records.length > 0 && (
        <Section id="service-records" title={t('records')}>
          <ul class="plain">
            {me.records.map((r) => (
              <li key={r.recordId}>
                {textIn(r.label, lang)} · {t('createdAt')} {formatInstant(r.createdAt, lang)} ·{' '}
                {t('retention')} {retentionText(r.retention, t, lang)}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section id="retention" title={t('retentionClasses')}>
        <ul class="plain">
          {me.retention.map((r) => (
            <li key={r.class}>
              <strong>{textIn(r.label, lang)}</strong>: {retentionText(r, t, lang)}
              {r.law && (
                <span class="hint">
                  {' '}
                  · {t('law')}: {textIn(r.law, lang)}
                </span>
              )}
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

function HistoryList({ history, t, lang }: { history: readonly Decision[]; t: T; lang: Language }) {
  return (
    <details>
      <summary>
        {t('history')} ({history.length})
      </summary>
      <ul class="plain">
        {history.map((h) => (
          <li key={`${h.at}-${h.granted}`}>
            {formatInstant(h.at, lang)} · {h.granted ? t('granted') : t('refused')} · v{h.policyVersion} ·{' '}
            {t('channel')} {channelText(h.channel, t)}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Consents({ me, t, lang, api, reload }: ViewProps) {
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const decide = async (path: string, label: string, granted: boolean) => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const answer = await api.request<{ destroyed?: string[] }>('PUT', path, {
        body: { granted },
        idempotencyKey: newIdempotencyKey(),
      });
      const destroyed = answer.destroyed ?? [];
      setNotice(
        t('consentSaved', { label }) +
          (destroyed.length > 0 ? ` ${t('destroyed', { items: destroyed.join(', ') })}` : ''),
      );
      await reload();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const consentRow = (c: ConsentView) => (
    <li key={c.purpose} data-purpose={c.purpose}>
      <h3>{textIn(c.label, lang)}</h3>
      <p>
        <span class="tag">{c.required ? t('required') : t('optional')}</span>
        <span class="tag">
          {t('basis')}: {basisText(c.legalBasis, t)}
        </span>
        <strong>{c.granted ? t('granted') : t('refused')}</strong> · {formatInstant(c.at, lang)}
      </p>
      {!c.required && (
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void decide(`/v1/me/consents/${encodeURIComponent(c.purpose)}`, textIn(c.label, lang), !c.granted)
          }
        >
          {c.granted ? t('withdrawConsent') : t('grant')}
        </button>
      )}
      <HistoryList history={c.history} t={t} lang={lang} />
    </li>
  );
  const recipientRow = (r: RecipientConsentView) => (
    <li key={r.recipient} data-recipient={r.recipient}>
      <h3>{textIn(r.name, lang)}</h3>
      <p>
        {t('recipientItems')}: {r.items.join(', ')} · {t('purpose')}: {r.purposes.join(', ')}
      </p>
      <p>
        <strong>{r.granted ? t('granted') : t('refused')}</strong>
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void decide(
            `/v1/me/provision-consents/${encodeURIComponent(r.recipient)}`,
            textIn(r.name, lang),
            !r.granted,
          )
        }
      >
        {r.granted ? t('withdrawConsent') : t('grant')}
      </button>
      <HistoryList history={r.history} t={t} lang={lang} />
    </li>
  );
  return (
    <>
      <Section id="consents" title={t('tabConsents')}>
        <p>{t('consentsLead')}</p>
        {notice && <Notice>{notice}</Notice>}
        <ProblemBanner problem={problem} lang={lang} />
        <ul class="plain">{me.consents.map(consentRow)}</ul>
      </Section>
      {me.recipientConsents.length > 0 && (
        <Section id="recipients" title={t('recipients')}>
          <ul class="plain">{me.recipientConsents.map(recipientRow)}</ul>
        </Section>
      )}
    </>
  );
}

function Records({ me, t, lang }: ViewProps) {
  const { accessHistory } = me;
  return (
    <>
      <Section id="access" title={t('accessHistory')}>
        <p>{t('accessLead')}</p>
        {accessHistory.entries.length === 0 ? (
          <p>{t('noEntries')}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('at')}</th>
                  <th scope="col">{t('action')}</th>
                  <th scope="col">{t('keptUntil')}</th>
                </tr>
              </thead>
              <tbody>
                {accessHistory.entries.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td>{formatInstant(e.at, lang)}</td>
                    <td>{e.route ?? ''}</td>
                    <td>{formatDay(e.until, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {accessHistory.truncated && <p class="hint">{t('truncated')}</p>}
      </Section>
      <Section id="provisions" title={t('provisions')}>
        {me.provisions.length === 0 ? (
          <p>{t('noProvisions')}</p>
        ) : (
          <ul class="plain">
            {me.provisions.map((p) => (
              <li key={p.provisionId}>
                <strong>{p.recipient}</strong> · {formatInstant(p.at, lang)} · {t('purpose')}: {p.purpose} ·{' '}
                {t('recipientItems')}: {p.items.join(', ')} · {t('basis')}: {basisText(p.basis, t)}
                {p.legalReference ? ` (${p.legalReference})` : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function Correct({ me, t, lang, api, reload }: ViewProps) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [pending, setPending] = useState<CorrectionAnswer['pending']>([]);
  const [code, setCode] = useState('');
  const [codeProblem, setCodeProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState(false);
  const labelOfItem = (id: string) => labelOf(me, id, lang);

  const submit = async (event: Event) => {
    event.preventDefault();
    const items = Object.fromEntries(
      Object.entries(draft).filter(([id, value]) => value !== me.items.find((i) => i.id === id)?.value),
    );
    setNotice(undefined);
    setProblem(undefined);
    if (Object.keys(items).length === 0) {
      setNotice(t('nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      const answer = await api.request<CorrectionAnswer>('PATCH', '/v1/me', {
        body: { items },
        idempotencyKey: newIdempotencyKey(),
      });
      setPending(answer.pending);
      if (answer.corrected.length > 0)
        setNotice(t('corrected', { items: answer.corrected.map(labelOfItem).join(', ') }));
      setDraft({});
      await reload();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: Event, correctionId: string, item: string) => {
    event.preventDefault();
    setCodeProblem(undefined);
    setBusy(true);
    try {
      await api.request('POST', `/v1/me/corrections/${encodeURIComponent(correctionId)}/confirm`, {
        body: { code },
        idempotencyKey: newIdempotencyKey(),
      });
      setPending((list) => list.filter((p) => p.correctionId !== correctionId));
      setCode('');
      setNotice(t('confirmed', { item: labelOfItem(item) }));
      await reload();
    } catch (error) {
      setCodeProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="correct" title={t('tabCorrect')}>
      <p>{t('correctLead')}</p>
      {notice && <Notice>{notice}</Notice>}
      {pending.map((p) => (
        <form
          key={p.correctionId}
          class="card"
          onSubmit={(e) => void confirm(e, p.correctionId, p.item)}
          noValidate
        >
          <p>{t('codeLead', { item: labelOfItem(p.item), expires: formatInstant(p.expiresAt, lang) })}</p>
          <ProblemBanner problem={codeProblem} lang={lang} />
          <Field
            id="correction-code"
            label={t('code')}
            field="code"
            value={code}
            onInput={setCode}
            problem={codeProblem}
            lang={lang}
            inputMode="numeric"
            autoComplete="one-time-code"
          />
          <button type="submit" class="primary" disabled={busy}>
            {t('confirm')}
          </button>
        </form>
      ))}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ProblemBanner problem={problem} lang={lang} />
        {me.items.map((item) => (
          <Field
            key={item.id}
            id={`correct-${item.id}`}
            label={textIn(item.label, lang)}
            field={`items.${item.id}`}
            value={draft[item.id] ?? item.value}
            onInput={(value) => setDraft((d) => ({ ...d, [item.id]: value }))}
            problem={problem}
            lang={lang}
            {...(item.state === 'under-correction' ? { hint: t('underCorrection') } : {})}
          />
        ))}
        <button type="submit" class="primary" disabled={busy}>
          {t('correctSubmit')}
        </button>
      </form>
    </Section>
  );
}

function Export({ t, lang, api }: ViewProps) {
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const data = await api.request<{ generatedAt: string }>('GET', '/v1/me/export');
      const file = `privacy-export-${(data.generatedAt ?? new Date().toISOString()).slice(0, 10)}.json`;
      download(file, data);
      setNotice(t('exported', { file }));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section id="export" title={t('tabExport')}>
      <p>{t('exportLead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ProblemBanner problem={problem} lang={lang} />
      <button type="button" class="primary" disabled={busy} onClick={() => void run()}>
        {t('exportButton')}
      </button>
    </Section>
  );
}

function Restrict({ me, t, lang, api, reload }: ViewProps) {
  const [scope, setScope] = useState('all');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const scopes = {
    all: 'scopeAll',
    provision: 'scopeProvision',
    'optional-purposes': 'scopeOptional',
  } as const;
  const act = async (method: 'PUT' | 'DELETE') => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      await api.request(method, '/v1/me/restriction', {
        ...(method === 'PUT' ? { body: { scope, reason } } : {}),
        idempotencyKey: newIdempotencyKey(),
      });
      if (method === 'DELETE') setNotice(t('lifted'));
      else setReason('');
      await reload();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const scopeError = problem?.errorFor('scope');
  return (
    <Section id="restrict" title={t('tabRestrict')}>
      <p>{t('restrictLead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ProblemBanner problem={problem} lang={lang} />
      {me.restriction ? (
        <>
          <p data-restricted="true">
            {t('restricted', {
              since: formatInstant(me.restriction.since, lang),
              scope: t(scopes[me.restriction.scope as keyof typeof scopes] ?? 'scopeAll'),
            })}
          </p>
          <button type="button" class="primary" disabled={busy} onClick={() => void act('DELETE')}>
            {t('lift')}
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act('PUT');
          }}
          noValidate
        >
          <div class={scopeError ? 'field invalid' : 'field'}>
            <label for="restrict-scope">{t('scope')}</label>
            <select
              id="restrict-scope"
              name="scope"
              value={scope}
              onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value)}
            >
              {Object.entries(scopes).map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key)}
                </option>
              ))}
            </select>
          </div>
          <Field
            id="restrict-reason"
            label={t('reason')}
            field="reason"
            value={reason}
            onInput={setReason}
            problem={problem}
            lang={lang}
          />
          <button type="submit" class="primary" disabled={busy}>
            {t('restrictSubmit')}
          </button>
        </form>
      )}
    </Section>
  );
}

function Withdraw({ t, lang, api, onWithdrawn }: ViewProps & { onWithdrawn: (r: SignedReceipt) => void }) {
  const [understood, setUnderstood] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      onWithdrawn(
        await api.request<SignedReceipt>('DELETE', '/v1/me', { idempotencyKey: newIdempotencyKey() }),
      );
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section id="withdraw" title={t('tabWithdraw')}>
      <p>{t('withdrawLead')}</p>
      <ProblemBanner problem={problem} lang={lang} />
      <div class="field">
        <label>
          <input
            type="checkbox"
            id="withdraw-confirm"
            checked={understood}
            onChange={(e) => setUnderstood((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {t('withdrawConfirm')}
        </label>
      </div>
      <button type="button" class="danger" disabled={!understood || busy} onClick={() => void run()}>
        {t('withdrawButton')}
      </button>
    </Section>
  );
}

function ReceiptView({ receipt, t, lang, api }: PageProps & { receipt: SignedReceipt; t: T }) {
  const [valid, setValid] = useState<boolean | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const r = receipt.receipt;
  const verify = async () => {
    setProblem(undefined);
    try {
      const answer = await api.request<{ valid: boolean }>('POST', '/v1/receipts/verify', { body: receipt });
      setValid(answer.valid);
    } catch (error) {
      setProblem(asProblem(error));
    }
  };
  return (
    <>
      <h1>{t('receiptTitle')}</h1>
      <Section id="receipt" title={t('receiptTitle')}>
        <p>{t('receiptLead', { at: formatInstant(r.withdrawnAt, lang) })}</p>
        <dl class="facts">
          <dt>{t('receiptDestroyed')}</dt>
          <dd>{r.destroyed.items.join(', ')}</dd>
          <dt>{t('receiptKey')}</dt>
          <dd>{r.dataKeyDestroyed ? t('yes') : t('no')}</dd>
          <dt>{t('receiptAccount')}</dt>
          <dd>{r.signInAccountDeleted ? t('yes') : t('no')}</dd>
          <dt>{t('receiptResidual')}</dt>
          <dd>{formatDay(r.residualCopiesUnreadableBy, lang)}</dd>
        </dl>
        {r.retained.length > 0 && (
          <>
            <h3>{t('receiptRetained')}</h3>
            <ul class="plain">
              {r.retained.map((kept) => (
                <li key={kept.class}>
                  <strong>{textIn(kept.label, lang)}</strong> ·{' '}
                  {t('receiptUntil', { until: formatDay(kept.until, lang) })}
                  {kept.law ? ` · ${textIn(kept.law, lang)}` : ''}
                </li>
              ))}
            </ul>
          </>
        )}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1; axe scrollable-region-focusable). */}
        <section class="receipt" tabIndex={0} aria-label={t('receiptTitle')}>
          <pre>{JSON.stringify(receipt, null, 2)}</pre>
        </section>
        <div class="actions">
          <button
            type="button"
            class="primary"
            onClick={() => download(`deletion-receipt-${r.receiptId}.json`, receipt)}
          >
            {t('receiptDownload')}
          </button>
          <button type="button" onClick={() => void verify()}>
            {t('receiptVerify')}
          </button>
        </div>
        <ProblemBanner problem={problem} lang={lang} />
        {valid !== undefined &&
          (valid ? (
            <Notice>
              <span data-receipt-valid="true">{t('receiptValid')}</span>
            </Notice>
          ) : (
            <p class="problem" role="alert">
              {t('receiptInvalid')}
            </p>
          ))}
      </Section>
    </>
  );
}

function PolicyView({ api, t, lang }: PageProps & { t: T }) {
  const [doc, setDoc] = useState<PolicyDocument | undefined>();
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  useEffect(() => {
    api
      .request<PolicyDocument>('GET', `/v1/policy?format=json&lang=${lang}`, { language: lang })
      .then(setDoc)
      .catch((error: unknown) => setProblem(asProblem(error)));
  }, [api, lang]);
  return (
    <Section id="policy" title={t('tabPolicy')}>
      <p>{t('policyLead')}</p>
      <ProblemBanner problem={problem} lang={lang} />
      {doc && <PolicyBody doc={doc} t={t} lang={lang} />}
      {doc?.upcoming && (
        <div class="card">
          <h3>{t('upcoming')}</h3>
          <p>{doc.upcoming.summary}</p>
          <PolicyBody doc={doc.upcoming} t={t} lang={lang} />
        </div>
      )}
    </Section>
  );
}

function PolicyBody({ doc, t }: { doc: Omit<PolicyDocument, 'upcoming'>; t: T; lang: Language }) {
  return (
    <article class="policy">
      <h3>{doc.title}</h3>
      <p class="hint">{t('policyVersionLine', { version: doc.version, date: doc.effectiveDate })}</p>
      {doc.sections.map((section) => (
        <section key={section.id} aria-label={section.title}>
          <h4>{section.title}</h4>
          {section.blocks.map((block, i) => {
            if (block.kind === 'paragraph') return <p key={i}>{block.text}</p>;
            if (block.kind === 'list')
              return (
                <ul key={i}>
                  {block.items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              );
            if (block.kind === 'table')
              return (
                <div class="table-wrap" key={i}>
                  <table>
                    <thead>
                      <tr>
                        {block.head.map((h) => (
                          <th scope="col" key={h}>
                            {h}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {block.rows.map((row, j) => (
                        <tr key={j}>
                          {row.map((cell, k) => (
                            <td key={k}>{cell}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              );
            return null;
          })}
        </section>
      ))}
    </article>
  );
}
