/**
 * Policy versions: the one in force, the upcoming one, every published version with how far its
 * notices have gone, and publishing a new one no earlier than the notice lead allows (7 days).
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDay, formatInstant } from '../../shared/i18n';
import { Banner, Field, FormProblem, LoadProblem, TextArea, TextInput, useForm } from '../components';
import { useConsole } from '../context';
import {
  earliestEffectiveDate,
  noticeLeadDays,
  type PublishDraft,
  parseCatalogueText,
  publishBody,
  validatePublish,
} from '../forms';
import type { MessageKey } from '../messages';

interface Version {
  readonly version: string;
  readonly effectiveDate: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly status: string;
  readonly notices: { segments: number; segmentsDone: number; membersQueued: number };
}

interface Versions {
  readonly deployed: { version: string; effectiveDate: string };
  readonly inForce: string;
  readonly versions: readonly Version[];
}

const day = (d: string, lang: 'ko' | 'en') => formatDay(`${d}T12:00:00+09:00`, lang);

/** The policy versions page. */
export function PolicyView() {
  const { t, api, lang, now } = useConsole();
  const [versions, setVersions] = useState<Versions | undefined>(undefined);
  const [failed, setFailed] = useState<unknown>(undefined);
  const load = async () => {
    try {
      setVersions(await api.request<Versions>('GET', '/v1/admin/policy-versions'));
    } catch (error) {
      setFailed(error);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const [draft, setDraft] = useState<PublishDraft>({ catalogue: '', effectiveDate: '', summary: '' });
  const form = useForm<Version>();
  const lead = noticeLeadDays(parseCatalogueText(draft.catalogue));
  const earliest = earliestEffectiveDate(now(), lead);
  const upcoming = versions?.versions.find((v) => v.status === 'upcoming');
  const e = form.errors;
  return (
    <>
      <h1>{t('policyTitle')}</h1>
      {failed ? <LoadProblem error={failed} /> : null}
      {versions ? (
        <section class="panel" aria-labelledby="versions-title">
          <h2 id="versions-title" class="visually-hidden">
            {t('policyTitle')}
          </h2>
          <p class="in-force">{t('inForce', { version: versions.inForce })}</p>
          <p class="upcoming">
            {upcoming
              ? t('upcoming', { version: upcoming.version, date: day(upcoming.effectiveDate, lang) })
              : t('noUpcoming')}
          </p>
          {versions.versions.length > 0 ? (
            <div class="table-wrap">
              <table>
                <caption>{t('policyTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('colVersion')}</th>
                    <th scope="col">{t('colStatus')}</th>
                    <th scope="col">{t('colEffective')}</th>
                    <th scope="col">{t('colPublished')}</th>
                    <th scope="col">{t('colSummary')}</th>
                    <th scope="col">{t('colNotices')}</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.versions.map((v) => (
                    <tr key={v.version}>
                      <td>{v.version}</td>
                      <td>{t(`version.${v.status}` as MessageKey)}</td>
                      <td>{day(v.effectiveDate, lang)}</td>
                      <td>
                        {formatInstant(v.publishedAt, lang)} · {v.publishedBy}
                      </td>
                      <td>{v.summary}</td>
                      <td>
                        {t('noticesProgress', {
                          done: v.notices.segmentsDone,
                          segments: v.notices.segments,
                          queued: v.notices.membersQueued,
                        })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : failed ? null : (
        <p>{t('loading')}</p>
      )}
      <form
        class="panel"
        noValidate
        aria-labelledby="publish-title"
        onSubmit={(event) => {
          event.preventDefault();
          void form
            .submit(
              () => validatePublish(draft, now()),
              () =>
                api.request<Version>('POST', '/v1/admin/policy-versions', {
                  body: publishBody(draft),
                  idempotencyKey: crypto.randomUUID(),
                }),
              { date: day(earliest, lang) },
            )
            .then((ok) => {
              if (ok) void load();
            });
        }}
      >
        <h2 id="publish-title">{t('publishTitle')}</h2>
        <p id="publish-rule">{t('publishIntro', { days: lead, date: day(earliest, lang) })}</p>
        <FormProblem problem={form.problem} />
        {form.result ? (
          <Banner kind="success">
            {t('published', { version: form.result.version, date: day(form.result.effectiveDate, lang) })}
          </Banner>
        ) : null}
        <Field id="publish-file" label={t('catalogueFile')}>
          <input
            id="publish-file"
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              const file = (event.currentTarget as HTMLInputElement).files?.[0];
              if (file) void file.text().then((text) => setDraft((d) => ({ ...d, catalogue: text })));
            }}
          />
        </Field>
        <Field id="publish-catalogue" label={t('catalogueText')} error={e.catalogue}>
          <TextArea
            id="publish-catalogue"
            rows={6}
            value={draft.catalogue}
            onInput={(v) => setDraft({ ...draft, catalogue: v })}
            error={e.catalogue}
          />
        </Field>
        <Field id="publish-date" label={t('effectiveDate')} error={e.effectiveDate}>
          <TextInput
            id="publish-date"
            type="date"
            min={earliest}
            value={draft.effectiveDate}
            onInput={(v) => setDraft({ ...draft, effectiveDate: v })}
            error={e.effectiveDate}
          />
        </Field>
        <Field id="publish-summary" label={t('summary')} error={e.summary}>
          <TextArea
            id="publish-summary"
            value={draft.summary}
            onInput={(v) => setDraft({ ...draft, summary: v })}
            error={e.summary}
          />
        </Field>
        <button type="submit" class="primary" disabled={form.busy}>
          {t('publish')}
        </button>
      </form>
    </>
  );
}
