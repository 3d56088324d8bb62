/**
 * GET /v1/admin/records-of-processing (GDPR Art. 30, the PIPA register) through the real handler
 * on the local front, against moto, for one profile: officers only, each read written to the
 * access-record chain, JSON by default, HTML and CSV by Accept, 406 for anything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICER_GROUP } from '../../model/routes/route';
import { loadCatalogue, type ProfileName } from '../../policy/catalogue';
import { REGISTER_HEAD, recordsOfProcessing } from '../../policy/records';
import { parseCsv } from '../support/csv';
import { escapedHtml } from '../support/html';
import { expectProblem, startTestStack, type TestStack } from './harness';
import { call } from './member-api';
import { chainOf, OFFICER } from './officer-api';

const PATH = '/v1/admin/records-of-processing';

const escaped = escapedHtml;

/** Registers the records-of-processing tests of `profile`. */
export function recordsOfProcessingSuite(profile: ProfileName): void {
  const c = loadCatalogue(profile);
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(profile);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const asOfficer = (accept?: string) =>
    call(stack, 'GET', PATH, {
      sub: 'officer-kim',
      token: OFFICER,
      ...(accept ? { headers: { accept } } : {}),
    });

  describe(`records of processing on the local stack (GDPR Art. 30, ${profile})`, () => {
    it('Art. 30: a member token gets 403 and nothing is recorded', async () => {
      const before = (await chainOf(stack)).length;
      const res = await call(stack, 'GET', PATH, { sub: 'member-1', token: { method: c.signIn[0]! } });
      await expectProblem(
        {
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? '' },
          body: res.text,
        },
        403,
      );
      expect((await chainOf(stack)).length).toBe(before);
    });

    it('Art. 30, G17: an officer reads the JSON records of the catalogue in force; the read is an access record', async () => {
      const before = (await chainOf(stack)).length;
      const res = await asOfficer();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('vary')).toBe('Accept');
      expect(res.json).toEqual(
        JSON.parse(JSON.stringify(recordsOfProcessing(c, { officerGroup: OFFICER_GROUP }))),
      );
      const chain = await chainOf(stack);
      expect(chain).toHaveLength(before + 1);
      expect(chain.at(-1)).toMatchObject({ action: 'get-records-of-processing', officerId: 'officer-kim' });
    });

    it('Art. 30: HTML and CSV by Accept; the CSV is one row per purpose', async () => {
      const html = await asOfficer('text/html');
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(html.text).toMatch(/^<!doctype html>/);
      for (const p of Object.values(c.purposes)) expect(html.text).toContain(escaped(p.label.en));

      const csv = await asOfficer('text/csv');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
      const rows = parseCsv(csv.text);
      expect(rows[0]).toEqual([...REGISTER_HEAD]);
      expect(rows.slice(1).map((r) => r[2]!.split(':')[0])).toEqual(
        Object.values(c.purposes).map((p) => p.label.en),
      );
    });

    it('Art. 30: 406 for a format it does not serve, recording nothing', async () => {
      const before = (await chainOf(stack)).length;
      const res = await asOfficer('application/xml');
      const problem = await expectProblem(
        {
          status: res.status,
          headers: { 'content-type': res.headers.get('content-type') ?? '' },
          body: res.text,
        },
        406,
      );
      expect(problem.type).toBe('urn:privacy-rights:problem:not-acceptable');
      expect((await chainOf(stack)).length).toBe(before);
    });
  });
}
