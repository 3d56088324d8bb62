/**
 * The request queue: the deadline numbers on top (each a filter), the ledger in working order,
 * and one request opened to verify the requester, act on it, or extend its deadline. Nothing of
 * the selection goes into the address bar: member ids stay on the screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { seoulDay } from '../../../model/calendar';
import { formatDay, formatInstant, type Text, textIn } from '../../shared/i18n';
import {
  Banner,
  Field,
  FormProblem,
  LoadProblem,
  labelled,
  Select,
  TextArea,
  TextInput,
  useForm,
} from '../components';
import { useConsole } from '../context';
import {
  type ActionDraft,
  actionBody,
  actionsFor,
  blankAction,
  type ExtensionDraft,
  extensionBody,
  RESTRICTION_SCOPES,
  VERIFICATION_METHODS,
  type VerificationDraft,
  validateAction,
  validateExtension,
  validateReason,
  validateVerification,
} from '../forms';
import {
  type DeadlineBucket,
  daysBetween,
  deadlineBucket,
  deadlineCounts,
  inBucket,
  type LedgerRequest,
  nextSteps,
  queueOrder,
} from '../ledger';
import type { MessageKey } from '../messages';

type Filter = DeadlineBucket | 'unfinished' | 'all';

/** The ledger, loaded from the API, with a reload. */
export function useLedger() {
  const { api } = useConsole();
  const [requests, setRequests] = useState<LedgerRequest[] | undefined>(undefined);
  const [failed, setFailed] = useState<unknown>(undefined);
  const load = async () => {
    try {
      setRequests((await api.request<{ requests: LedgerRequest[] }>('GET', '/v1/admin/requests')).requests);
      setFailed(undefined);
    } catch (error) {
      setFailed(error);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return { requests, failed, reload: load };
}

/** The deadline numbers, each a button that filters the queue. */
function Counts(props: {
  requests: readonly LedgerRequest[];
  filter: Filter;
  onFilter: (f: Filter) => void;
}) {
  const { t, now } = useConsole();
  const counts = deadlineCounts(props.requests, now());
  const tiles: [Filter, MessageKey, number][] = [
    ['overdue', 'overdue', counts.overdue],
    ['due-today', 'dueToday', counts.dueToday],
    ['due-soon', 'dueSoon', counts.dueSoon],
    ['unfinished', 'unfinished', counts.unfinished],
  ];
  return (
    <section aria-labelledby="counts-title" class="counts">
      <h2 id="counts-title" class="visually-hidden">
        {t('countsLabel')}
      </h2>
      <ul>
        {tiles.map(([filter, label, value]) => (
          <li key={filter}>
            <button
              type="button"
              class={`count ${filter}${props.filter === filter ? ' selected' : ''}`}
              aria-pressed={props.filter === filter}
              onClick={() => props.onFilter(props.filter === filter ? 'all' : filter)}
            >
              <span class="number" data-count={filter}>
                {value}
              </span>
              <span class="label">{t(label)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How far a request is from its deadline, in words. */
function timeLeft(r: LedgerRequest, today: string, t: ReturnType<typeof useConsole>['t']): string {
  const days = daysBetween(today, r.deadline);
  if (days === 0) return t('today');
  return days > 0 ? t('daysLeft', { days }) : t('daysOver', { days: -days });
}

/** The queue page. */
export function QueueView(props: {
  selected?: string | undefined;
  onSelect: (id: string | undefined) => void;
}) {
  const { t, lang, now } = useConsole();
  const { requests, failed, reload } = useLedger();
  const [filter, setFilter] = useState<Filter>('unfinished');
  if (failed) return <LoadProblem error={failed} />;
  if (!requests) return <p>{t('loading')}</p>;
  const today = seoulDay(now());
  const shown = queueOrder(inBucket(requests, filter, now()), now());
  const selected = requests.find((r) => r.requestId === props.selected);
  const filterLabel: Record<Filter, MessageKey> = {
    overdue: 'overdue',
    'due-today': 'dueToday',
    'due-soon': 'dueSoon',
    unfinished: 'unfinished',
    all: 'showAll',
    later: 'unfinished',
    closed: 'showAll',
  };
  return (
    <>
      <h1>{t('queueTitle')}</h1>
      <Counts requests={requests} filter={filter} onFilter={setFilter} />
      <div class="toolbar">
        <p>{t('filterShown', { filter: t(filterLabel[filter]) })}</p>
        <button type="button" onClick={() => setFilter('all')}>
          {t('showAll')}
        </button>
        <button type="button" onClick={() => void reload()}>
          {t('reload')}
        </button>
      </div>
      {shown.length === 0 ? (
        <p>{t('queueEmpty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="queue">
            <caption class="visually-hidden">{t('queueTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colType')}</th>
                <th scope="col">{t('colMember')}</th>
                <th scope="col">{t('colChannel')}</th>
                <th scope="col">{t('colReceived')}</th>
                <th scope="col">{t('colDeadline')}</th>
                <th scope="col">{t('colDaysLeft')}</th>
                <th scope="col">{t('colStatus')}</th>
                <th scope="col">{t('colRequest')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const bucket = deadlineBucket(r, now());
                return (
                  <tr key={r.requestId} class={bucket} data-request={r.requestId}>
                    <td>{t(`type.${r.type}` as MessageKey)}</td>
                    <td class="mono">{r.memberId}</td>
                    <td>{t(`channel.${r.channel}` as MessageKey)}</td>
                    <td>{formatInstant(r.receivedAt, lang)}</td>
                    <td>{formatDay(`${r.deadline}T12:00:00+09:00`, lang)}</td>
                    <td>
                      {bucket === 'closed' ? (
                        '—'
                      ) : (
                        <span class={`due ${bucket}`}>{timeLeft(r, today, t)}</span>
                      )}
                    </td>
                    <td>{t(`status.${r.status}` as MessageKey)}</td>
                    <td>
                      <button
                        type="button"
                        class="link"
                        aria-label={`${t('open')}: ${t(`type.${r.type}` as MessageKey)} ${r.memberId}`}
                        onClick={() => props.onSelect(r.requestId)}
                      >
                        {t('open')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {selected ? (
        <RequestDetail
          key={selected.requestId}
          request={selected}
          onClose={() => props.onSelect(undefined)}
          onChanged={() => void reload()}
        />
      ) : null}
    </>
  );
}

/** One request: what is known of it and what can be done next. */
function RequestDetail(props: { request: LedgerRequest; onClose: () => void; onChanged: () => void }) {
  const { t, lang } = useConsole();
  const r = props.request;
  const steps = nextSteps(r);
  // The action's form stays once it has acted, so its result stays on screen after the reload.
  const [acted, setActed] = useState(false);
  const [member, setMember] = useState<MemberChoices | undefined>(undefined);
  const needsChoices = ['consent-withdrawal', 'correction'].includes(r.type);
  return (
    <section class="detail" aria-labelledby="detail-title">
      <div class="detail-head">
        <h2 id="detail-title" tabIndex={-1}>
          {t('detailTitle')}: {t(`type.${r.type}` as MessageKey)} · <span class="mono">{r.memberId}</span>
        </h2>
        <button type="button" onClick={props.onClose}>
          {t('close')}
        </button>
      </div>
      <dl class="facts">
        <dt>{t('colStatus')}</dt>
        <dd data-status={r.status}>{t(`status.${r.status}` as MessageKey)}</dd>
        <dt>{t('colChannel')}</dt>
        <dd>{t(`channel.${r.channel}` as MessageKey)}</dd>
        <dt>{t('jurisdiction')}</dt>
        <dd>{t(`jurisdiction.${r.jurisdiction}` as MessageKey)}</dd>
        <dt>{t('colReceived')}</dt>
        <dd>{formatInstant(r.receivedAt, lang)}</dd>
        <dt>{t('colDeadline')}</dt>
        <dd>{formatDay(`${r.deadline}T12:00:00+09:00`, lang)}</dd>
        <dt>{t('handler')}</dt>
        <dd>{r.handler}</dd>
      </dl>
      {r.verification ? (
        <p>
          {t('verifiedBy', {
            method: t(`method.${r.verification.method}` as MessageKey),
            at: formatInstant(r.verification.at, lang),
            by: r.verification.by,
          })}
        </p>
      ) : null}
      {r.extension ? (
        <p>{t('extendedBy', { months: r.extension.months, reason: r.extension.reason })}</p>
      ) : null}
      {r.outcome ? <p>{t('outcome', { summary: r.outcome.summary })}</p> : null}
      {steps.verify ? <VerifyForm request={r} onDone={props.onChanged} /> : null}
      {steps.act && needsChoices && !member ? (
        <MemberLookup memberId={r.memberId} onLoaded={setMember} />
      ) : null}
      {steps.act || acted ? (
        <ActForm
          request={r}
          member={member}
          onDone={() => {
            setActed(true);
            props.onChanged();
          }}
        />
      ) : null}
      {steps.extend ? <ExtendForm request={r} onDone={props.onChanged} /> : null}
    </section>
  );
}

function VerifyForm(props: { request: LedgerRequest; onDone: () => void }) {
  const { t, api } = useConsole();
  const [draft, setDraft] = useState<VerificationDraft>({ method: '', reference: '' });
  const form = useForm<LedgerRequest>();
  return (
    <form
      class="panel"
      aria-labelledby="verify-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form
          .submit(
            () => validateVerification(draft),
            () =>
              api.request<LedgerRequest>(
                'POST',
                `/v1/admin/requests/${props.request.requestId}/verification`,
                {
                  body: draft,
                  idempotencyKey: crypto.randomUUID(),
                },
              ),
          )
          .then((ok) => {
            if (ok) props.onDone();
          });
      }}
    >
      <h3 id="verify-title">{t('verifyTitle')}</h3>
      <p>{t('verifyIntro')}</p>
      <FormProblem problem={form.problem} />
      <Field id="verify-method" label={t('method')} error={form.errors.method}>
        <Select
          id="verify-method"
          value={draft.method}
          options={labelled(t, 'method', VERIFICATION_METHODS)}
          onChange={(v) => setDraft({ ...draft, method: v as VerificationDraft['method'] })}
          error={form.errors.method}
        />
      </Field>
      <Field id="verify-reference" label={t('reference')} error={form.errors.reference}>
        <TextInput
          id="verify-reference"
          value={draft.reference}
          onInput={(v) => setDraft({ ...draft, reference: v })}
          error={form.errors.reference}
        />
      </Field>
      <button type="submit" class="primary" disabled={form.busy}>
        {t('verify')}
      </button>
    </form>
  );
}

/** What the member view offers an action to choose from: purposes consented to, recipients, items. */
interface MemberChoices {
  readonly items: readonly { id: string; label: Text }[];
  readonly consents: readonly { purpose: string; label: Text; granted: boolean }[];
  readonly recipientConsents?: readonly { recipient: string; name: Text; granted: boolean }[];
}

/**
 * Loads the member's items and consents, with the reason the officer states (the API records
 * it), so a correction or a consent withdrawal is chosen from what is held, by name.
 */
function MemberLookup(props: { memberId: string; onLoaded: (member: MemberChoices) => void }) {
  const { t, api } = useConsole();
  const [reason, setReason] = useState('');
  const form = useForm<MemberChoices>();
  return (
    <form
      class="panel"
      aria-labelledby="lookup-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit(
          () => validateReason(reason),
          async () => {
            const member = await api.request<MemberChoices>(
              'GET',
              `/v1/admin/members/${encodeURIComponent(props.memberId)}?reason=${encodeURIComponent(reason.trim())}`,
            );
            props.onLoaded(member);
            return member;
          },
        );
      }}
    >
      <h3 id="lookup-title">{t('lookupTitle')}</h3>
      <p>{t('lookupIntro')}</p>
      <FormProblem problem={form.problem} />
      <Field id="lookup-reason" label={t('reason')} hint={t('reasonHint')} error={form.errors.reason}>
        <TextInput id="lookup-reason" value={reason} onInput={setReason} error={form.errors.reason} hint />
      </Field>
      <button type="submit" disabled={form.busy}>
        {t('viewMember')}
      </button>
    </form>
  );
}

function ActForm(props: { request: LedgerRequest; member: MemberChoices | undefined; onDone: () => void }) {
  const { t, api, lang } = useConsole();
  const [draft, setDraft] = useState<ActionDraft>(blankAction());
  const form = useForm<{ status: string; result: unknown }>();
  const set = (patch: Partial<ActionDraft>) => setDraft({ ...draft, ...patch });
  const itemField = `items.${draft.item.trim() || 'item'}`;
  return (
    <form
      class="panel"
      aria-labelledby="act-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form
          .submit(
            () => validateAction(draft),
            () =>
              api.request<{ status: string; result: unknown }>(
                'POST',
                `/v1/admin/requests/${props.request.requestId}/actions`,
                { body: actionBody(draft) },
              ),
          )
          .then((ok) => {
            if (ok) props.onDone();
          });
      }}
    >
      <h3 id="act-title">{t('actTitle')}</h3>
      <FormProblem problem={form.problem} />
      {form.result ? (
        <Banner kind="success">{t('acted', { status: t(`status.${form.result.status}` as never) })}</Banner>
      ) : null}
      <Field id="act-action" label={t('action')} error={form.errors.action}>
        <Select
          id="act-action"
          value={draft.action}
          options={labelled(t, 'action', actionsFor(props.request.type))}
          onChange={(v) => set({ action: v as ActionDraft['action'] })}
          error={form.errors.action}
        />
      </Field>
      {draft.action === 'export' ? (
        <Field
          id="act-download-reason"
          label={t('downloadReason')}
          hint={t('reasonHint')}
          error={form.errors.downloadReason}
        >
          <TextInput
            id="act-download-reason"
            value={draft.downloadReason}
            onInput={(v) => set({ downloadReason: v })}
            error={form.errors.downloadReason}
            hint
          />
        </Field>
      ) : null}
      {draft.action === 'restrict' ? (
        <Field id="act-scope" label={t('scope')} error={form.errors.scope}>
          <Select
            id="act-scope"
            value={draft.scope}
            options={labelled(t, 'scope', RESTRICTION_SCOPES)}
            onChange={(v) => set({ scope: v as ActionDraft['scope'] })}
            error={form.errors.scope}
          />
        </Field>
      ) : null}
      {draft.action === 'restrict' || draft.action === 'refuse' ? (
        <Field id="act-reason" label={t('reason')} hint={t('reasonHint')} error={form.errors.reason}>
          <TextArea
            id="act-reason"
            value={draft.reason}
            onInput={(v) => set({ reason: v })}
            error={form.errors.reason}
            hint
          />
        </Field>
      ) : null}
      {draft.action === 'withdraw-consent' ? (
        <Field id="act-purpose" label={t('purpose')} error={form.errors.purpose}>
          {props.member ? (
            <Select
              id="act-purpose"
              value={draft.purpose}
              options={props.member.consents
                .filter((c) => c.granted)
                .map((c) => [c.purpose, textIn(c.label, lang)])}
              onChange={(v) => set({ purpose: v })}
              error={form.errors.purpose}
            />
          ) : (
            <TextInput
              id="act-purpose"
              value={draft.purpose}
              onInput={(v) => set({ purpose: v })}
              error={form.errors.purpose}
            />
          )}
        </Field>
      ) : null}
      {draft.action === 'withdraw-provision-consent' ? (
        <Field id="act-recipient" label={t('recipient')} error={form.errors.recipient}>
          {props.member?.recipientConsents ? (
            <Select
              id="act-recipient"
              value={draft.recipient}
              options={props.member.recipientConsents
                .filter((c) => c.granted)
                .map((c) => [c.recipient, textIn(c.name, lang)])}
              onChange={(v) => set({ recipient: v })}
              error={form.errors.recipient}
            />
          ) : (
            <TextInput
              id="act-recipient"
              value={draft.recipient}
              onInput={(v) => set({ recipient: v })}
              error={form.errors.recipient}
            />
          )}
        </Field>
      ) : null}
      {draft.action === 'correct' ? (
        <>
          <Field id="act-item" label={t('item')} error={form.errors.item}>
            {props.member ? (
              <Select
                id="act-item"
                value={draft.item}
                options={props.member.items.map((i) => [i.id, textIn(i.label, lang)])}
                onChange={(v) => set({ item: v })}
                error={form.errors.item}
              />
            ) : (
              <TextInput
                id="act-item"
                value={draft.item}
                onInput={(v) => set({ item: v })}
                error={form.errors.item}
              />
            )}
          </Field>
          <Field id="act-value" label={t('value')} error={form.errors[itemField]}>
            <TextInput
              id="act-value"
              value={draft.value}
              onInput={(v) => set({ value: v })}
              error={form.errors[itemField]}
            />
          </Field>
        </>
      ) : null}
      <button type="submit" class="primary" disabled={form.busy}>
        {t('act')}
      </button>
      {form.result ? (
        <details class="result">
          <summary>{t('resultTitle')}</summary>
          <pre>{JSON.stringify(form.result.result, null, 2)}</pre>
        </details>
      ) : null}
    </form>
  );
}

function ExtendForm(props: { request: LedgerRequest; onDone: () => void }) {
  const { t, api, lang } = useConsole();
  const [draft, setDraft] = useState<ExtensionDraft>({ months: '1', reason: '' });
  const form = useForm<LedgerRequest>();
  return (
    <form
      class="panel"
      aria-labelledby="extend-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form
          .submit(
            () => validateExtension(draft),
            () =>
              api.request<LedgerRequest>('POST', `/v1/admin/requests/${props.request.requestId}/extension`, {
                body: extensionBody(draft),
                idempotencyKey: crypto.randomUUID(),
              }),
          )
          .then((ok) => {
            if (ok) props.onDone();
          });
      }}
    >
      <h3 id="extend-title">{t('extendTitle')}</h3>
      <FormProblem problem={form.problem} />
      {form.result ? (
        <Banner kind="success">
          {t('extended', { deadline: formatDay(`${form.result.deadline}T12:00:00+09:00`, lang) })}
        </Banner>
      ) : null}
      <Field id="extend-months" label={t('months')} error={form.errors.months}>
        <TextInput
          id="extend-months"
          type="number"
          min="1"
          value={draft.months}
          onInput={(v) => setDraft({ ...draft, months: v })}
          error={form.errors.months}
        />
      </Field>
      <Field id="extend-reason" label={t('reason')} hint={t('reasonHint')} error={form.errors.reason}>
        <TextArea
          id="extend-reason"
          value={draft.reason}
          onInput={(v) => setDraft({ ...draft, reason: v })}
          error={form.errors.reason}
          hint
        />
      </Field>
      <button type="submit" class="primary" disabled={form.busy}>
        {t('extend')}
      </button>
    </form>
  );
}
