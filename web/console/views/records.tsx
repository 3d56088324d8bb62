/**
 * The handler access records, newest first, filtered by officer or member, with the verdict on
 * the whole hash chain the API checked for this very reading (intact, or the first broken link).
 */
import { useEffect, useState } from 'preact/hooks';
import { formatInstant } from '../../shared/i18n';
import { Banner, Field, FormProblem, TextInput, useForm } from '../components';
import { useConsole } from '../context';
import type { FieldErrors } from '../forms';
import type { MessageKey } from '../messages';

interface AccessRecord {
  readonly seq: number;
  readonly at: string;
  readonly officerId: string;
  readonly action: string;
  readonly memberId?: string;
  readonly requestId?: string;
  readonly reason?: string;
  readonly sourceIp: string;
}

interface ChainReport {
  readonly intact: boolean;
  readonly records: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  readonly brokenAt?: { seq: number; problem: 'hash mismatch' | 'link mismatch' | 'sequence gap' };
}

interface Records {
  readonly records: readonly AccessRecord[];
  readonly truncated: boolean;
  readonly chain?: ChainReport;
}

const ID = /^[\w-]{1,128}$/;

/** The verdict on the chain, as a banner. */
function ChainVerdict(props: { chain: ChainReport }) {
  const { t } = useConsole();
  const c = props.chain;
  if (!c.intact && c.brokenAt) {
    return (
      <Banner kind="error">
        <span data-chain="broken">
          {t('chainBroken', { seq: c.brokenAt.seq, problem: t(c.brokenAt.problem as MessageKey) })}
        </span>
      </Banner>
    );
  }
  if (c.records === 0) return <Banner kind="info">{t('chainEmpty')}</Banner>;
  return (
    <Banner kind="success">
      <span data-chain="intact">
        {t('chainIntact', { records: c.records, first: c.firstSeq ?? 1, last: c.lastSeq ?? c.records })}
      </span>
    </Banner>
  );
}

/** The access records page. */
export function RecordsView() {
  const { t, api, lang } = useConsole();
  const [officer, setOfficer] = useState('');
  const [member, setMember] = useState('');
  const form = useForm<Records>();
  const search = () =>
    form.submit(
      () => {
        const errors: FieldErrors = {};
        if (officer.trim() !== '' && !ID.test(officer.trim())) errors.officer = 'member-id';
        if (member.trim() !== '' && !ID.test(member.trim())) errors.member = 'member-id';
        return errors;
      },
      () => {
        const query = new URLSearchParams({ verify: 'true' });
        if (officer.trim()) query.set('officer', officer.trim());
        if (member.trim()) query.set('member', member.trim());
        return api.request<Records>('GET', `/v1/admin/access-records?${query}`);
      },
    );
  useEffect(() => {
    void search();
  }, []);
  return (
    <>
      <h1>{t('recordsTitle')}</h1>
      <p>{t('recordsIntro')}</p>
      <form
        class="panel filters"
        noValidate
        aria-label={t('search')}
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <FormProblem problem={form.problem} />
        <Field id="records-officer" label={t('filterOfficer')} error={form.errors.officer}>
          <TextInput id="records-officer" value={officer} onInput={setOfficer} error={form.errors.officer} />
        </Field>
        <Field id="records-member" label={t('filterMember')} error={form.errors.member}>
          <TextInput id="records-member" value={member} onInput={setMember} error={form.errors.member} />
        </Field>
        <button type="submit" disabled={form.busy}>
          {t('search')}
        </button>
      </form>
      {form.result?.chain ? <ChainVerdict chain={form.result.chain} /> : null}
      {form.result ? (
        <div class="table-wrap">
          <table class="records">
            <caption class="visually-hidden">{t('recordsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colSeq')}</th>
                <th scope="col">{t('colAt')}</th>
                <th scope="col">{t('colOfficer')}</th>
                <th scope="col">{t('colAction')}</th>
                <th scope="col">{t('colMember')}</th>
                <th scope="col">{t('colReason')}</th>
                <th scope="col">{t('colSourceIp')}</th>
              </tr>
            </thead>
            <tbody>
              {form.result.records.map((r) => (
                <tr key={r.seq} data-seq={r.seq} data-action={r.action}>
                  <td>{r.seq}</td>
                  <td>{formatInstant(r.at, lang)}</td>
                  <td class="mono">{r.officerId}</td>
                  <td class="mono">{r.action}</td>
                  <td class="mono">{r.memberId ?? '—'}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td class="mono">{r.sourceIp}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {form.result?.truncated ? <p>{t('recordsTruncated')}</p> : null}
    </>
  );
}
