/**
 * Actions on a member: view everything held (with the reason recorded), suspend for false
 * information and reinstate, and terminate the membership of a child under the minimum age.
 * Every one states its reason; the API records it in the access records before it answers.
 */
import { useState } from 'preact/hooks';
import { type Text, textIn } from '../../shared/i18n';
import { Banner, Field, FormProblem, Select, TextArea, TextInput, useForm } from '../components';
import { useConsole } from '../context';
import { validateMemberId, validateReason } from '../forms';
import type { MessageKey } from '../messages';

type MemberAction = 'view' | 'suspend' | 'reinstate' | 'terminate';

interface MemberView {
  readonly memberId: string;
  readonly status: string;
  readonly items: readonly { id: string; label: Text; value: string }[];
  readonly consents: readonly { purpose: string; label: Text; granted: boolean }[];
}

/** The member actions page. */
export function MembersView() {
  const { t, api, lang } = useConsole();
  const [memberId, setMemberId] = useState('');
  const [reason, setReason] = useState('');
  const [action, setAction] = useState<MemberAction>('view');
  const [confirmed, setConfirmed] = useState(false);
  const form = useForm<{ action: MemberAction; body: unknown }>();
  const e = form.errors;
  const send = async () => {
    const id = encodeURIComponent(memberId.trim());
    if (action === 'view') {
      // The reason travels in the query, as the API takes it; it is the officer's words, not the member's data.
      const body = await api.request<MemberView>(
        'GET',
        `/v1/admin/members/${id}?reason=${encodeURIComponent(reason.trim())}`,
      );
      return { action, body };
    }
    const body = await api.request<unknown>('POST', `/v1/admin/members/${id}/${action}`, {
      body: { reason: reason.trim() },
      idempotencyKey: crypto.randomUUID(),
    });
    return { action, body };
  };
  const view = form.result?.action === 'view' ? (form.result.body as MemberView) : undefined;
  return (
    <>
      <h1>{t('membersTitle')}</h1>
      <p>{t('membersIntro')}</p>
      <form
        class="panel"
        noValidate
        aria-label={t('membersTitle')}
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            () => ({
              ...validateMemberId(memberId),
              ...validateReason(reason),
              ...(action === 'terminate' && !confirmed ? { confirm: 'required' as const } : {}),
            }),
            send,
          );
        }}
      >
        <FormProblem problem={form.problem} />
        {form.result && form.result.action !== 'view' ? (
          <Banner kind="success">
            {t(
              form.result.action === 'suspend'
                ? 'suspended'
                : form.result.action === 'reinstate'
                  ? 'reinstated'
                  : 'terminated',
            )}
          </Banner>
        ) : null}
        <Field id="member-id" label={t('memberId')} error={e.memberId}>
          <TextInput id="member-id" value={memberId} onInput={setMemberId} error={e.memberId} />
        </Field>
        <Field id="member-action" label={t('memberAction')}>
          <Select
            id="member-action"
            value={action}
            noBlank
            options={[
              ['view', t('viewMember')],
              ['suspend', t('suspend')],
              ['reinstate', t('reinstate')],
              ['terminate', t('terminate')],
            ]}
            onChange={(v) => {
              setAction(v as MemberAction);
              form.reset();
            }}
          />
        </Field>
        <Field id="member-reason" label={t('reason')} hint={t('reasonHint')} error={e.reason}>
          <TextArea id="member-reason" value={reason} onInput={setReason} error={e.reason} hint />
        </Field>
        {action === 'terminate' ? (
          <div class={e.confirm ? 'check invalid' : 'check'}>
            <p class="warning" id="terminate-warning">
              {t('terminateWarning')}
            </p>
            <input
              id="member-confirm"
              type="checkbox"
              checked={confirmed}
              aria-describedby={e.confirm ? 'terminate-warning member-confirm-error' : 'terminate-warning'}
              aria-invalid={e.confirm ? true : undefined}
              onChange={(event) => setConfirmed((event.currentTarget as HTMLInputElement).checked)}
            />
            <label for="member-confirm">{t('confirmTerminate')}</label>
            {e.confirm ? (
              <p class="field-error" id="member-confirm-error">
                {e.confirm}
              </p>
            ) : null}
          </div>
        ) : null}
        <button type="submit" class={action === 'terminate' ? 'danger' : 'primary'} disabled={form.busy}>
          {t('run')}
        </button>
      </form>
      {view ? (
        <section class="panel" aria-labelledby="member-view-title">
          <h2 id="member-view-title">
            {t('viewMember')}: <span class="mono">{view.memberId}</span>
          </h2>
          <p data-member-status={view.status}>
            {t('memberStatus', { status: t(`member.${view.status}` as MessageKey) })}
          </p>
          <h3>{t('memberItems')}</h3>
          <table>
            <tbody>
              {view.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    {textIn(item.label, lang)} <span class="mono">({item.id})</span>
                  </th>
                  <td>{item.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('memberConsents')}</h3>
          <table>
            <tbody>
              {view.consents.map((c) => (
                <tr key={c.purpose}>
                  <th scope="row">
                    {textIn(c.label, lang)} <span class="mono">({c.purpose})</span>
                  </th>
                  <td>{c.granted ? t('granted') : t('notGranted')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
