/**
 * Provisions to third parties: record one on a basis the policy allows, and list a member's
 * provisions with the correction notices each recipient was sent.
 */
import { useState } from 'preact/hooks';
import { formatInstant } from '../../shared/i18n';
import { Banner, Field, FormProblem, labelled, Select, TextInput, useForm } from '../components';
import { useConsole } from '../context';
import {
  blankProvision,
  PROVISION_LEGAL_BASES,
  type ProvisionDraft,
  provisionBody,
  validateMemberId,
  validateProvision,
} from '../forms';
import type { MessageKey } from '../messages';

interface Provision {
  readonly provisionId: string;
  readonly recipient: string;
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis: string;
  readonly legalReference?: string;
  readonly at: string;
}

interface Provisions {
  readonly provisions: readonly Provision[];
  readonly correctionNotices: readonly {
    correctionRef: string;
    recipient: string;
    items: readonly string[];
    status: string;
    at: string;
  }[];
}

/** The provisions page. */
export function ProvisionsView() {
  const { t, api, lang } = useConsole();
  const [draft, setDraft] = useState<ProvisionDraft>(blankProvision());
  const record = useForm<Provision>();
  const [listMember, setListMember] = useState('');
  const list = useForm<Provisions>();
  const set = (patch: Partial<ProvisionDraft>) => setDraft({ ...draft, ...patch });
  const e = record.errors;
  return (
    <>
      <h1>{t('provisionsTitle')}</h1>
      <p>{t('provisionsIntro')}</p>
      <form
        class="panel"
        noValidate
        aria-labelledby="provision-title"
        onSubmit={(event) => {
          event.preventDefault();
          void record.submit(
            () => validateProvision(draft),
            () =>
              api.request<Provision>('POST', '/v1/admin/provisions', {
                body: provisionBody(draft),
                idempotencyKey: crypto.randomUUID(),
              }),
          );
        }}
      >
        <h2 id="provision-title">{t('recordProvision')}</h2>
        <FormProblem problem={record.problem} />
        {record.result ? <Banner kind="success">{t('provisionRecorded')}</Banner> : null}
        <Field id="prov-member" label={t('memberId')} error={e.memberId}>
          <TextInput
            id="prov-member"
            value={draft.memberId}
            onInput={(v) => set({ memberId: v })}
            error={e.memberId}
          />
        </Field>
        <Field id="prov-recipient" label={t('recipientName')} error={e['recipient.name']}>
          <TextInput
            id="prov-recipient"
            value={draft.recipientName}
            onInput={(v) => set({ recipientName: v })}
            error={e['recipient.name']}
          />
        </Field>
        <Field id="prov-contact" label={t('recipientContact')} error={e['recipient.contact']}>
          <TextInput
            id="prov-contact"
            type="email"
            value={draft.recipientContact}
            onInput={(v) => set({ recipientContact: v })}
            error={e['recipient.contact']}
          />
        </Field>
        <Field id="prov-items" label={t('items')} error={e.items}>
          <TextInput id="prov-items" value={draft.items} onInput={(v) => set({ items: v })} error={e.items} />
        </Field>
        <Field id="prov-purpose" label={t('provisionPurpose')} error={e.purpose}>
          <TextInput
            id="prov-purpose"
            value={draft.purpose}
            onInput={(v) => set({ purpose: v })}
            error={e.purpose}
          />
        </Field>
        <Field id="prov-basis" label={t('basis')} error={e.basis ?? e['basis.type']}>
          <Select
            id="prov-basis"
            value={draft.basis}
            noBlank
            options={labelled(t, 'basis', ['consent', ...PROVISION_LEGAL_BASES])}
            onChange={(v) => set({ basis: v as ProvisionDraft['basis'] })}
            error={e.basis ?? e['basis.type']}
          />
        </Field>
        {draft.basis !== 'consent' ? (
          <Field id="prov-reference" label={t('basisReference')} error={e['basis.reference']}>
            <TextInput
              id="prov-reference"
              value={draft.reference}
              onInput={(v) => set({ reference: v })}
              error={e['basis.reference']}
            />
          </Field>
        ) : null}
        <button type="submit" class="primary" disabled={record.busy}>
          {t('recordProvision')}
        </button>
      </form>
      <form
        class="panel"
        noValidate
        aria-labelledby="provisions-list-title"
        onSubmit={(event) => {
          event.preventDefault();
          void list.submit(
            () => validateMemberId(listMember, 'member'),
            () =>
              api.request<Provisions>(
                'GET',
                `/v1/admin/provisions?member=${encodeURIComponent(listMember.trim())}`,
              ),
          );
        }}
      >
        <h2 id="provisions-list-title">{t('listProvisions')}</h2>
        <FormProblem problem={list.problem} />
        <Field id="prov-list-member" label={t('memberId')} error={list.errors.member}>
          <TextInput
            id="prov-list-member"
            value={listMember}
            onInput={setListMember}
            error={list.errors.member}
          />
        </Field>
        <button type="submit" disabled={list.busy}>
          {t('search')}
        </button>
        {list.result ? (
          list.result.provisions.length === 0 ? (
            <p>{t('provisionsEmpty')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption>{t('provisionsTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('colAt')}</th>
                    <th scope="col">{t('colRecipient')}</th>
                    <th scope="col">{t('colItems')}</th>
                    <th scope="col">{t('colPurpose')}</th>
                    <th scope="col">{t('colBasis')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.result.provisions.map((p) => (
                    <tr key={p.provisionId}>
                      <td>{formatInstant(p.at, lang)}</td>
                      <td>{p.recipient}</td>
                      <td>{p.items.join(', ')}</td>
                      <td>{p.purpose}</td>
                      <td>
                        {t(`basis.${p.basis}` as MessageKey)}
                        {p.legalReference ? ` — ${p.legalReference}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
        {list.result && list.result.correctionNotices.length > 0 ? (
          <div class="table-wrap">
            <table>
              <caption>{t('correctionNotices')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colAt')}</th>
                  <th scope="col">{t('colRecipient')}</th>
                  <th scope="col">{t('colItems')}</th>
                  <th scope="col">{t('colNoticeStatus')}</th>
                </tr>
              </thead>
              <tbody>
                {list.result.correctionNotices.map((n) => (
                  <tr key={`${n.correctionRef}-${n.recipient}`}>
                    <td>{formatInstant(n.at, lang)}</td>
                    <td>{n.recipient}</td>
                    <td>{n.items.join(', ')}</td>
                    <td>{n.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </form>
    </>
  );
}
