/**
 * Policy changes (L18) as rules: the notice lead in Seoul calendar days, what a version may
 * change without a deploy, which version governs a day, and the publish route's validation
 * before anything is written (the DynamoDB and SQS clients' `send` are spied on).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../lambdas/adapters/dynamodb';
import { publishVersion } from '../../lambdas/features/policy-versions/publish';
import {
  earliestEffectiveDate,
  isCalendarDay,
  isSuperseded,
  type PolicyVersionRecord,
  policyNoticeText,
  recordDigest,
  selectInForce,
  versionedSchemaInUse,
  versionSk,
} from '../../lambdas/features/policy-versions/rules';
import { clearPolicyCache } from '../../lambdas/features/policy-versions/store';
import { statusOf } from '../../lambdas/http/problems';
import { DependencyFailed, DomainError } from '../../lambdas/runtime/errors';
import { tableEnv } from '../../model/resources';
import type { Route } from '../../model/routes/route';
import { routeGrants } from '../../model/routes/route';
import { routes } from '../../model/routes/table';
import { queues } from '../../model/workloads';
import { CatalogueError, loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';
import { policyDocument, renderHtml, renderMarkdown, withUpcoming } from '../../policy/render';
import type { CatalogueInput } from '../../policy/schema';
import { VERSIONED_SCHEMA_REVISION, versionedSchemaDigest } from '../../policy/schema-digest';
import { compareVersions, deployTimeDifferences } from '../../policy/versions';

const deployed = loadCatalogue('littleone');

function input(version: string, effectiveDate: string): CatalogueInput {
  const c = structuredClone(profiles.littleone) as CatalogueInput;
  return { ...c, policy: { ...c.policy, version, effectiveDate } };
}

function record(
  seq: number,
  version: string,
  effectiveDate: string,
  publishedAt: string,
): PolicyVersionRecord {
  return sealed({
    pk: 'VERSION',
    sk: versionSk(seq),
    seq,
    version,
    effectiveDate,
    summary: `summary of ${version}`,
    publishedAt,
    publishedBy: 'officer-kim',
    publishId: `p${seq}`,
    catalogue: parseCatalogue(input(version, effectiveDate)),
    schemaDigest: versionedSchemaInUse(),
  });
}

/** A record with the digest the publish route gives it. */
function sealed(published: Omit<PolicyVersionRecord, 'digest'>): PolicyVersionRecord {
  return { ...published, digest: recordDigest(published) };
}

describe('the notice lead (L18)', () => {
  const week = deployed.policyChange.noticeLead;

  it('L18: counts the lead in Seoul calendar days from the day of publishing', () => {
    expect(week).toEqual({ days: 7 });
    expect(earliestEffectiveDate(new Date('2031-03-02T10:00:00+09:00'), week)).toBe('2031-03-09');
    // 23:59 in Seoul is still the 2nd; 00:30 on the 2nd is the 1st in UTC.
    expect(earliestEffectiveDate(new Date('2031-03-02T23:59:00+09:00'), week)).toBe('2031-03-09');
    expect(earliestEffectiveDate(new Date('2031-03-01T15:30:00Z'), week)).toBe('2031-03-09');
    expect(earliestEffectiveDate(new Date('2031-03-01T14:59:00Z'), week)).toBe('2031-03-08');
  });

  it('L18: follows the calendar for month leads and across a year end', () => {
    expect(earliestEffectiveDate(new Date('2031-01-31T12:00:00+09:00'), { months: 1 })).toBe('2031-02-28');
    expect(earliestEffectiveDate(new Date('2031-12-28T12:00:00+09:00'), week)).toBe('2032-01-04');
  });

  it('knows a calendar day from a string that only looks like one', () => {
    expect(isCalendarDay('2032-02-29')).toBe(true);
    expect(isCalendarDay('2031-02-29')).toBe(false);
    expect(isCalendarDay('2031-3-9')).toBe(false);
  });
});

describe('versions and what they may change', () => {
  it('orders versions numerically', () => {
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.0', '2.0')).toBeLessThan(0);
  });

  it('L18: lets a version change its version line, contacts, entrustment, clauses and notice lead, and nothing the deployment derives from', () => {
    const next = parseCatalogue({
      ...input('1.1', '2031-03-09'),
      contacts: {
        ...deployed.contacts,
        officer: { ...deployed.contacts.officer, name: { ko: '새 책임자', en: 'New Officer' } },
      },
    });
    expect(deployTimeDifferences(deployed, next)).toEqual([]);

    const relabelled = structuredClone(input('1.1', '2031-03-09'));
    (relabelled.items as Record<string, { label: { ko: string; en: string } }>).email!.label = {
      ko: '전자우편 주소',
      en: 'E-mail',
    };
    relabelled.recordClasses = { ...relabelled.recordClasses, accessLog: 'contract-records' };
    expect(deployTimeDifferences(deployed, parseCatalogue(relabelled))).toEqual([
      'items.email.label.en',
      'items.email.label.ko',
      'recordClasses.accessLog',
    ]);
  });

  it('L18: names the entry of a broken catalogue, and never a key that is not an id', () => {
    const broken = structuredClone(input('1.1', '2031-03-09'));
    (broken.purposes as Record<string, { legalBasis: string }>).statistics!.legalBasis = 'whim';
    expect(() => parseCatalogue(broken, 'catalogue')).toThrow(CatalogueError);
    try {
      parseCatalogue(broken, 'catalogue');
    } catch (error) {
      expect((error as CatalogueError).entry).toBe('purposes.statistics.legalBasis');
    }
    const smuggled = { ...input('1.1', '2031-03-09'), 'kim@example.com': 'x' };
    expect(() => parseCatalogue(smuggled)).toThrow(/unknown field\(s\) <invalid key>/);
    expect(() => parseCatalogue(smuggled)).not.toThrow(/kim@example/);
  });
});

describe('the version in force (L18)', () => {
  const v11 = record(1, '1.1', '2031-03-09', '2031-03-02T01:00:00.000Z');

  it('L18: keeps the deployed catalogue until the effective day, then the new version, at 00:00 Seoul', () => {
    expect(selectInForce(deployed, [], '2031-03-09').current.catalogue).toBe(deployed);
    const before = selectInForce(deployed, [v11], '2031-03-08');
    expect(before.current.version).toBe('1.0');
    expect(before.upcoming?.version).toBe('1.1');
    const on = selectInForce(deployed, [v11], '2031-03-09');
    expect(on.current).toMatchObject({ version: '1.1', seq: 1 });
    expect(on.current.catalogue.policy.version).toBe('1.1');
    expect(on.upcoming).toBeUndefined();
  });

  it('L18: a version published while another is upcoming supersedes it; one published after it took effect does not', () => {
    const v12 = record(2, '1.2', '2031-03-20', '2031-03-05T01:00:00.000Z');
    expect(isSuperseded(v11, [v11, v12])).toBe(true);
    expect(selectInForce(deployed, [v11, v12], '2031-03-10').current.version).toBe('1.0');
    expect(selectInForce(deployed, [v11, v12], '2031-03-20').current.version).toBe('1.2');
    const late = record(2, '1.2', '2031-03-20', '2031-03-09T01:00:00.000Z');
    expect(isSuperseded(v11, [v11, late])).toBe(false);
    expect(selectInForce(deployed, [v11, late], '2031-03-10')).toMatchObject({
      current: { version: '1.1' },
      upcoming: { version: '1.2' },
    });
  });

  it('L18: a deploy of a newer catalogue file takes over; a version a deploy made unusable is reported, never used', () => {
    const newer = parseCatalogue(input('1.1', '2031-03-15'));
    expect(selectInForce(newer, [v11], '2031-03-20').current.catalogue).toBe(newer);
    const changed = parseCatalogue({ ...structuredClone(profiles.littleone), minimumAge: 15 });
    const view = selectInForce(changed, [v11], '2031-03-20');
    expect(view.current.catalogue).toBe(changed);
    expect(view.unusable).toEqual(['1.1']);
  });

  it('L18: a version validated against another schema of its changeable parts is reported, never used', () => {
    const other = sealed({ ...v11, schemaDigest: 'f'.repeat(64) });
    const view = selectInForce(deployed, [other], '2031-03-20');
    expect(view.current.catalogue).toBe(deployed);
    expect(view.unusable).toEqual(['1.1']);
  });

  it('L18: a version published before versions carried digests is reported and never used; the deployed catalogue governs', () => {
    const { digest: _d, schemaDigest: _s, ...before } = v11;
    const view = selectInForce(deployed, [before as PolicyVersionRecord], '2031-03-20');
    expect(view.current.catalogue).toBe(deployed);
    expect(view.unusable).toEqual(['1.1']);
  });

  it('L18: a record changed after it was published fails closed (503): catalogue, dates, sequence, or its digest missing', () => {
    const c = v11.catalogue as CatalogueInput;
    const changed: PolicyVersionRecord[] = [
      {
        ...v11,
        catalogue: {
          ...c,
          contacts: { ...c.contacts, officer: { ...c.contacts.officer, email: 'x@example.com' } },
        },
      },
      { ...v11, catalogue: 'not a catalogue' },
      { ...v11, catalogue: { policy: { version: '1.1' } } },
      { ...v11, effectiveDate: '2031-03-08' },
      { ...v11, seq: 7 },
      { ...v11, schemaDigest: versionedSchemaInUse().replace(/^./, '0') },
      { ...v11, digest: undefined } as unknown as PolicyVersionRecord,
      { ...v11, digest: 7 } as unknown as PolicyVersionRecord,
    ];
    for (const record of changed) {
      let thrown: unknown;
      try {
        selectInForce(deployed, [record], '2031-03-20');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DependencyFailed);
      expect(statusOf(thrown as DomainError)).toBe(503);
      // One changed record stops the decision even when another is intact.
      expect(() => selectInForce(deployed, [v11, { ...record, sk: versionSk(9) }], '2031-03-20')).toThrow(
        DependencyFailed,
      );
    }
    expect(selectInForce(deployed, [v11], '2031-03-20').current.version).toBe('1.1');
  });

  it('L18: the schema digest covers the changeable parts only, and the revision', () => {
    expect(versionedSchemaInUse()).toBe(versionedSchemaDigest());
    expect(versionedSchemaDigest()).toMatch(/^[0-9a-f]{64}$/);
    expect(VERSIONED_SCHEMA_REVISION).toBeGreaterThanOrEqual(1);
  });

  it('L18: the notice gives the new version, its date, the summary and where to read it', () => {
    const inForce = selectInForce(deployed, [v11], '2031-03-09').current;
    const before = { version: '1.0', effectiveDate: '', catalogue: deployed };
    const { subject, text } = policyNoticeText(inForce, before, 'https://api.example/v1/policy', 'en');
    expect(subject).toBe(`${deployed.operator.service.en}: our privacy policy changes on 9 March 2031`);
    for (const part of [
      'Version 1.1 takes effect on 9 March 2031',
      'version 1.0 applies',
      'summary of 1.1',
      'https://api.example/v1/policy?lang=en',
    ])
      expect(text).toContain(part);
    // Korean unless the member chose English: dates as Koreans write them, particles that fit.
    const ko = policyNoticeText(inForce, before, 'https://api.example/v1/policy');
    expect(ko.subject).toBe('[리틀원] 2031년 3월 9일부터 개인정보 처리방침이 변경됩니다');
    for (const part of [
      '새 버전(1.1)은 2031년 3월 9일(한국 표준시)부터 시행됩니다',
      '현재 버전(1.0)이 적용됩니다',
      'summary of 1.1',
      'https://api.example/v1/policy?lang=ko',
      '모든 변경은 시행 7일 전까지 알려드립니다',
    ])
      expect(ko.text).toContain(part);
  });

  it('L18: renders the upcoming version after the one in force, in Markdown and HTML', () => {
    const next = parseCatalogue(input('1.1', '2031-03-09'));
    const doc = withUpcoming(
      policyDocument(deployed, 'en'),
      policyDocument(next, 'en'),
      'New <contacts> & more',
    );
    const markdown = renderMarkdown(doc);
    expect(markdown.indexOf('## 1. ')).toBeLessThan(
      markdown.indexOf('## Upcoming: version 1.1, effective 2031-03-09'),
    );
    expect(markdown).toContain('### 1. ');
    const html = renderHtml(doc);
    expect(html).toContain('<article id="upcoming">');
    expect(html).toContain('New &lt;contacts&gt; &amp; more');
    expect(html).not.toContain('<contacts>');
  });
});

describe('routes that state the policy version (L18)', () => {
  it('L18: read the version in force in their handler, and are granted a read of the published versions', () => {
    const following = (routes as readonly Route[]).filter((r) => r.followsPolicyVersion);
    expect(following.map((r) => r.id).sort()).toEqual(
      [
        'get-breach',
        'get-export',
        'get-policy',
        'get-records-of-processing',
        'post-members',
        'post-request-action',
        'put-consent',
        'put-provision-consent',
      ].sort(),
    );
    for (const route of following) {
      const source = readFileSync(new URL(`../../lambdas/handlers/${route.id}.ts`, import.meta.url), 'utf8');
      expect(source, route.id).toMatch(/\b(catalogueInForce|policyInForce)\(/);
      expect(routeGrants(route).tables?.policyVersions, route.id).toBe('read');
    }
  });
});

describe('publishing (L18)', () => {
  const send = vi.spyOn(documentClient, 'send');
  // SQS as the queue adapter reaches it, with signed requests: every message sent is taken.
  const sqsSend = vi.spyOn(globalThis, 'fetch');
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const sqsTakes = async (_url: unknown, init?: RequestInit) => {
    const { Entries } = JSON.parse(String(init?.body)) as { Entries: { Id: string; MessageBody: string }[] };
    const Successful = Entries.map((e) => ({
      Id: e.Id,
      MessageId: e.Id,
      MD5OfMessageBody: md5(e.MessageBody),
    }));
    return new Response(JSON.stringify({ Successful, Failed: [] }));
  };
  const saved = { ...process.env };
  const publishedAt = new Date('2031-03-02T10:00:00+09:00');
  const body = (effectiveDate: string, version = '1.1') => ({
    catalogue: input(version, effectiveDate) as unknown as Record<string, unknown>,
    effectiveDate,
    summary: 'Contacts updated.',
  });
  const commands = () => send.mock.calls.map(([command]) => command.constructor.name);

  beforeEach(() => {
    process.env[tableEnv('policyVersions')] = 'versions';
    process.env[queues.policyNotices.env] = 'https://sqs.example/notices';
    clearPolicyCache();
    send.mockReset().mockResolvedValue({ Items: [] } as never);
    sqsSend.mockReset().mockImplementation(sqsTakes);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDPUBLISHUNIT';
    process.env.AWS_SECRET_ACCESS_KEY = 'unit-secret';
  });
  afterEach(() => {
    clearPolicyCache();
    process.env = { ...saved };
  });
  afterAll(() => sqsSend.mockRestore());

  /** The refusal a promise rejects with, as the HTTP edge answers it. */
  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    const { title, detail, extra } = error as DomainError;
    return { status: statusOf(error), title, detail, extra };
  }

  it('L18: refuses an effective date 6 days ahead with 422 naming the earliest, writing and queueing nothing', async () => {
    const problem = await refusal(
      publishVersion(deployed, 'officer-kim', body('2031-03-08'), publishedAt, 'k'),
    );
    expect(problem.status).toBe(422);
    expect(problem.extra).toEqual({ field: 'effectiveDate', earliest: '2031-03-09' });
    expect(commands()).toEqual(['QueryCommand']);
    expect(sqsSend).not.toHaveBeenCalled();
  });

  it('L18: publishes 7 days ahead: the version and 16 segment items in one conditional transaction, then the 16 segment messages', async () => {
    const result = await publishVersion(deployed, 'officer-kim', body('2031-03-09'), publishedAt, 'k');
    expect(result).toMatchObject({ version: '1.1', effectiveDate: '2031-03-09', notices: { segments: 16 } });
    expect(commands()).toEqual(['QueryCommand', 'TransactWriteCommand']);
    const items = (
      send.mock.calls[1]![0].input as { TransactItems: { Put: { ConditionExpression: string } }[] }
    ).TransactItems;
    expect(items).toHaveLength(17);
    expect(items.every((i) => i.Put.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    const entries = sqsSend.mock.calls.flatMap(
      ([, init]) => (JSON.parse(String(init?.body)) as { Entries: unknown[] }).Entries,
    );
    expect(entries).toHaveLength(16);
  });

  it('L18: refuses a catalogue that is broken, disagrees on its date, or needs a deploy, before reading anything', async () => {
    const broken = body('2031-03-09');
    (broken.catalogue as { noticeItem: string }).noticeItem = 'pager';
    expect(await refusal(publishVersion(deployed, 'o', broken, publishedAt, undefined))).toMatchObject({
      status: 422,
      extra: { entry: 'catalogue.noticeItem' },
    });
    const disagreeing = { ...body('2031-03-09'), effectiveDate: '2031-03-10' };
    expect(await refusal(publishVersion(deployed, 'o', disagreeing, publishedAt, undefined))).toMatchObject({
      status: 422,
      extra: { entry: 'catalogue.policy.effectiveDate' },
    });
    const region = body('2031-03-09');
    (region.catalogue as { profile: string }).profile = 'lgcns';
    expect(await refusal(publishVersion(deployed, 'o', region, publishedAt, undefined))).toMatchObject({
      status: 422,
      title: 'Deploy needed',
    });
    expect(send).not.toHaveBeenCalled();
  });

  it('L18: refuses a version that is not newer than the latest with 409', async () => {
    send.mockResolvedValue({ Items: [record(1, '1.1', '2031-03-09', '2031-03-01T00:00:00.000Z')] } as never);
    const problem = await refusal(
      publishVersion(deployed, 'o', body('2031-03-20', '1.1'), publishedAt, undefined),
    );
    expect(problem).toMatchObject({ status: 409, extra: { latest: '1.1' } });
    expect(commands()).toEqual(['QueryCommand']);
  });

  it('L18: withdraws the version when its notices cannot be queued, and fails closed', async () => {
    sqsSend.mockImplementation(async () =>
      Response.json(
        { message: 'down' },
        { status: 503, headers: { 'x-amzn-errortype': 'ServiceUnavailable' } },
      ),
    );
    await expect(
      publishVersion(deployed, 'officer-kim', body('2031-03-09'), publishedAt, 'k'),
    ).rejects.toMatchObject({ name: 'DependencyFailed', dependency: 'sqs' });
    expect(commands()).toEqual(['QueryCommand', 'TransactWriteCommand', 'TransactWriteCommand']);
    const removal = send.mock.calls[2]![0].input as { TransactItems: { Delete?: unknown }[] };
    expect(removal.TransactItems).toHaveLength(17);
    expect(removal.TransactItems.every((i) => i.Delete)).toBe(true);
  });
});
