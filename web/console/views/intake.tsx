/**
 * Intake of a request received by letter, phone or email: who, what, how it came and when, and,
 * when identity was checked at once, how. The deadline the API computes is shown on success.
 */
import { useState } from 'preact/hooks';
import { formatDay } from '../../shared/i18n';
import { Banner, Field, FormProblem, labelled, Select, TextInput, useForm } from '../components';
import { useConsole } from '../context';
import {
  blankIntake,
  type IntakeDraft,
  intakeBody,
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  REQUEST_TYPES,
  VERIFICATION_METHODS,
  validateIntake,
} from '../forms';
import type { LedgerRequest } from '../ledger';

/** The intake page; `onOpen` goes to the logged request in the queue. */
export function IntakeView(props: { onOpen: (requestId: string) => void }) {
  const { t, api, lang, now } = useConsole();
  const [draft, setDraft] = useState<IntakeDraft>(() => blankIntake(now()));
  const form = useForm<LedgerRequest>();
  const set = (patch: Partial<IntakeDraft>) => setDraft({ ...draft, ...patch });
  const e = form.errors;
  return (
    <>
      <h1>{t('intakeTitle')}</h1>
      <p>{t('intakeIntro')}</p>
      <form
        class="panel"
        noValidate
        aria-label={t('intakeTitle')}
        onSubmit={(event) => {
          event.preventDefault();
          void form.submit(
            () => validateIntake(draft, now()),
            () =>
              api.request<LedgerRequest>('POST', '/v1/admin/requests', {
                body: intakeBody(draft),
                idempotencyKey: crypto.randomUUID(),
              }),
          );
        }}
      >
        <FormProblem problem={form.problem} />
        {form.result ? (
          <Banner kind="success">
            <p>{t('intakeDone', { deadline: formatDay(`${form.result.deadline}T12:00:00+09:00`, lang) })}</p>
            <button type="button" class="primary" onClick={() => props.onOpen(form.result!.requestId)}>
              {t('goToRequest')}
            </button>
          </Banner>
        ) : null}
        <Field id="intake-member" label={t('memberId')} error={e.memberId}>
          <TextInput
            id="intake-member"
            value={draft.memberId}
            onInput={(v) => set({ memberId: v })}
            error={e.memberId}
          />
        </Field>
        <Field id="intake-type" label={t('requestType')} error={e.type}>
          <Select
            id="intake-type"
            value={draft.type}
            options={labelled(t, 'type', REQUEST_TYPES)}
            onChange={(v) => set({ type: v as IntakeDraft['type'] })}
            error={e.type}
          />
        </Field>
        <Field id="intake-channel" label={t('channel')} error={e.channel}>
          <Select
            id="intake-channel"
            value={draft.channel}
            options={labelled(t, 'channel', OFFLINE_CHANNELS)}
            onChange={(v) => set({ channel: v as IntakeDraft['channel'] })}
            error={e.channel}
          />
        </Field>
        <Field id="intake-received" label={t('receivedAt')} error={e.receivedAt}>
          <TextInput
            id="intake-received"
            type="datetime-local"
            value={draft.receivedAt}
            onInput={(v) => set({ receivedAt: v })}
            error={e.receivedAt}
          />
        </Field>
        <Field id="intake-jurisdiction" label={t('jurisdiction')} error={e.jurisdiction}>
          <Select
            id="intake-jurisdiction"
            value={draft.jurisdiction}
            noBlank
            options={labelled(t, 'jurisdiction', JURISDICTIONS)}
            onChange={(v) => set({ jurisdiction: v as IntakeDraft['jurisdiction'] })}
            error={e.jurisdiction}
          />
        </Field>
        <div class="check">
          <input
            id="intake-verified"
            type="checkbox"
            checked={draft.verified}
            onChange={(event) => set({ verified: (event.currentTarget as HTMLInputElement).checked })}
          />
          <label for="intake-verified">{t('verifiedAtIntake')}</label>
        </div>
        {draft.verified ? (
          <fieldset>
            <legend>{t('verifyTitle')}</legend>
            <Field id="intake-method" label={t('method')} error={e['verification.method']}>
              <Select
                id="intake-method"
                value={draft.method}
                options={labelled(t, 'method', VERIFICATION_METHODS)}
                onChange={(v) => set({ method: v as IntakeDraft['method'] })}
                error={e['verification.method']}
              />
            </Field>
            <Field id="intake-reference" label={t('reference')} error={e['verification.reference']}>
              <TextInput
                id="intake-reference"
                value={draft.reference}
                onInput={(v) => set({ reference: v })}
                error={e['verification.reference']}
              />
            </Field>
          </fieldset>
        ) : null}
        <button type="submit" class="primary" disabled={form.busy}>
          {t('submitIntake')}
        </button>
      </form>
    </>
  );
}
