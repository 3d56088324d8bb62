/**
 * Records of processing (GDPR Art. 30) and the PIPA register: every entry derived from the
 * catalogue, for both profiles; a catalogue change shows with no change of code; the HTML is
 * escaped and the CSV is RFC 4180, read back by Python's csv module.
 */
import { describe, expect, it } from 'vitest';
import { negotiate } from '../../lambdas/http/negotiate';
import { NotAcceptable } from '../../lambdas/runtime/errors';
import { RECORDS_OF_PROCESSING_TYPES } from '../../model/routes/officer';
import { OFFICER_GROUP } from '../../model/routes/route';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import { isoDuration } from '../../policy/duration';
import {
  REGISTER_HEAD,
  recordsDocument,
  recordsOfProcessing,
  registerRows,
  renderCsv,
} from '../../policy/records';
import { renderHtml } from '../../policy/render';
import type { Catalogue } from '../../policy/schema';
import { parseCsv } from '../support/csv';
import { escapedHtml } from '../support/html';

const stack = { officerGroup: OFFICER_GROUP };

/** `c` with one purpose added, an item declared for it, and a recipient of it. */
function withNewPurpose(c: Catalogue): Catalogue {
  const json = structuredClone(c) as unknown as Record<string, Record<string, unknown>>;
  json.purposes!.research = {
    label: { ko: '서비스 연구', en: 'Service research <beta> & "trials"' },
    description: {
      ko: '서비스 이용 방식을 연구해 개선',
      en: 'Studying how the service is used, to improve it',
    },
    required: false,
    legalBasis: 'consent',
    source: 'test catalogue',
  };
  const email = json.items![c.noticeItem] as { purposes: string[] };
  email.purposes = [...email.purposes, 'research'];
  json.thirdParties = {
    'research-lab': {
      name: { ko: '예시 연구소', en: 'Example Research Lab' },
      contact: 'privacy@lab.example',
      purposes: ['research'],
      items: [c.noticeItem],
      source: 'test catalogue',
    },
  };
  json.provision!.bases = [...new Set(['consent', ...(c.provision.bases as string[])])];
  return parseCatalogue(json, 'test catalogue');
}

describe.each(Object.keys(profiles))('records of processing of %s (GDPR Art. 30)', (name) => {
  const c = loadCatalogue(name);
  const r = recordsOfProcessing(c, stack);

  it('Art. 30(1)(a): names the controller and the privacy officer as the catalogue does', () => {
    expect(r.controller).toEqual({ name: c.operator.name, service: c.operator.service });
    expect(r.officer).toEqual(c.contacts.officer);
    expect(r.otherContacts).toEqual(c.contacts.others);
    expect(r.policy).toEqual({ version: c.policy.version, effectiveDate: c.policy.effectiveDate });
  });

  it('Art. 30(1)(b)-(c): one activity per purpose, with its legal basis, its items and their subjects', () => {
    expect(r.activities.map((a) => a.purpose)).toEqual(Object.keys(c.purposes));
    for (const [id, p] of Object.entries(c.purposes)) {
      const a = r.activities.find((x) => x.purpose === id)!;
      const items = Object.keys(c.items).filter((i) => c.items[i]!.purposes.includes(id));
      expect(a).toMatchObject({ label: p.label, legalBasis: p.legalBasis, required: p.required });
      expect(a.items).toEqual(items);
      expect(new Set(a.retention)).toEqual(new Set(items.map((i) => c.items[i]!.retention)));
      expect(a.dataSubjects.some((s) => s.startsWith("Members'"))).toBe(
        items.some((i) => c.items[i]!.subject === 'baby'),
      );
    }
    const listed = r.categories.flatMap((cat) => cat.items.map((i) => i.id));
    expect(listed.sort()).toEqual(Object.keys(c.items).sort());
  });

  it('Art. 30(1)(d)-(e): recipients are the catalogue’s third parties and entrustees; no transfer abroad', () => {
    expect(r.recipients.entrustees).toEqual(
      c.entrustment.map(({ contractor, task, location }) => ({ contractor, task, location })),
    );
    expect(r.recipients.entrustees.some((e) => /Amazon Web Services/.test(e.contractor.en))).toBe(true);
    expect(r.recipients.thirdParties.map((t) => t.id)).toEqual(Object.keys(c.thirdParties));
    expect(r.recipients.otherProvisionBases).toEqual(c.provision.bases.filter((b) => b !== 'consent'));
    for (const a of r.activities)
      expect(a.recipients).toEqual(expect.arrayContaining(c.entrustment.map((e) => e.contractor)));
    expect(r.internationalTransfers.transfers).toEqual([]);
    expect(r.internationalTransfers.statement).toContain(c.region);
    expect(r.internationalTransfers.statement).toMatch(/^None\./);
  });

  it('Art. 30(1)(f): the retention of every class, as the catalogue states it', () => {
    expect(r.retention.map((x) => x.class)).toEqual(Object.keys(c.retention));
    for (const x of r.retention) {
      const rc = c.retention[x.class]!;
      expect(x.period).toBe(rc.period === 'until-withdrawal' ? 'until-withdrawal' : isoDuration(rc.period));
      expect(x.label).toBe(rc.label);
      expect(x.law).toBe(rc.law);
    }
  });

  it('Art. 30(1)(g): the security measures the stack applies', () => {
    const encrypted = Object.values(c.items).filter((i) => i.encrypted);
    for (const item of encrypted) expect(r.security.encryption[0]).toContain(item.label.en);
    expect(r.security.encryption.join(' ')).toMatch(/KMS.*Crypto-shredding/s);
    expect(r.security.accessControl.join(' ')).toContain(`"${OFFICER_GROUP}"`);
    expect(r.security.accessControl.join(' ')).toMatch(/multi-factor/);
    expect(r.security.logging[0]).toMatch(/hash-chained/);
  });

  it('Art. 30(3): the CSV register parses, one row per purpose under the declared head', () => {
    const rows = parseCsv(renderCsv(REGISTER_HEAD, registerRows(c, r)));
    expect(rows[0]).toEqual([...REGISTER_HEAD]);
    expect(rows).toHaveLength(1 + Object.keys(c.purposes).length);
    Object.entries(c.purposes).forEach(([id, p], n) => {
      const row = rows[n + 1]!;
      expect(row[0]).toBe(`${c.operator.name.en} (${c.operator.service.en})`);
      expect(row[2]).toBe(`${p.label.en}: ${p.description.en}`);
      const labels = Object.values(c.items)
        .filter((i) => i.purposes.includes(id))
        .map((i) => i.label.en);
      expect(row[5] === '' ? [] : row[5]!.split('; ')).toEqual(labels);
      expect(row[7]).toBe('None');
    });
  });

  it('Art. 30(3): the HTML names every purpose, recipient and retention class', () => {
    const html = renderHtml(recordsDocument(c, r));
    const escaped = escapedHtml;
    for (const p of Object.values(c.purposes)) expect(html).toContain(escaped(p.label.en));
    for (const e of c.entrustment) expect(html).toContain(escaped(e.location.en));
    for (const rc of Object.values(c.retention)) expect(html).toContain(escaped(rc.label.en));
    expect(html).toContain(escaped(c.contacts.officer.name.en));
  });
});

describe('a catalogue change changes the records (no edit of code)', () => {
  const base = loadCatalogue('littleone');
  const changed = withNewPurpose(base);
  const r = recordsOfProcessing(changed, stack);

  it('Art. 30: a purpose added to the catalogue is an activity, with its item and its recipient', () => {
    expect(recordsOfProcessing(base, stack).activities.some((a) => a.purpose === 'research')).toBe(false);
    const research = r.activities.find((a) => a.purpose === 'research');
    expect(research).toMatchObject({
      legalBasis: 'consent',
      items: [base.noticeItem],
      recipients: [
        { ko: '예시 연구소', en: 'Example Research Lab' },
        ...base.entrustment.map((e) => e.contractor),
      ],
    });
    expect(r.recipients.thirdParties).toEqual([
      expect.objectContaining({
        id: 'research-lab',
        name: { ko: '예시 연구소', en: 'Example Research Lab' },
      }),
    ]);
  });

  it('Art. 30: the new purpose shows in the CSV and, escaped, in the HTML', () => {
    const rows = parseCsv(renderCsv(REGISTER_HEAD, registerRows(changed, r)));
    expect(rows.at(-1)![2]).toBe(
      'Service research <beta> & "trials": Studying how the service is used, to improve it',
    );
    const html = renderHtml(recordsDocument(changed, r));
    expect(html).toContain('Service research &lt;beta&gt; &amp; &quot;trials&quot;');
    expect(html).not.toContain('<beta>');
  });
});

describe('the CSV writer', () => {
  it('quotes every field, doubles quotes, keeps line breaks inside a field, and makes formulas inert', () => {
    const text = renderCsv(
      ['a', 'b'],
      [
        ['say "hi"', 'two\nlines'],
        ['=SUM(A1)', '+82 2-1234-5678'],
      ],
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['say "hi"', 'two\nlines'],
      ["'=SUM(A1)", '+82 2-1234-5678'],
    ]);
  });
});

describe('choosing the format by Accept (RFC 9110)', () => {
  const served = RECORDS_OF_PROCESSING_TYPES;
  it('answers JSON without an Accept header or for any type', () => {
    expect(negotiate(undefined, served)).toBe('application/json');
    expect(negotiate('*/*', served)).toBe('application/json');
  });
  it('follows the types and their quality values', () => {
    expect(negotiate('text/csv', served)).toBe('text/csv');
    expect(negotiate('text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', served)).toBe('text/html');
    expect(negotiate('text/html;q=0.5, text/csv', served)).toBe('text/csv');
    expect(negotiate('text/*', served)).toBe('text/html');
  });
  it('refuses a header admitting none of them, naming those it serves', () => {
    expect(() => negotiate('application/xml', served)).toThrow(NotAcceptable);
    expect(() => negotiate('text/csv;q=0', served)).toThrow(/application\/json, text\/html, text\/csv/);
  });
});
