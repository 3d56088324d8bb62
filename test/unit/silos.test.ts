/** The rules of the operator's data silos (issue 15): the catalogue's silos, lag, the full receipt. */
import { describe, expect, it } from 'vitest';
import { releasedBy } from '../../lambdas/features/consents/rules';
import {
  allAnswered,
  consentSiloOutcomes,
  consentSiloRequestId,
  fullReceipt,
  laggingSilos,
  pendingOutcomes,
  type SiloOutcome,
  STORE_SILO_LAG_MINUTES,
  siloSummary,
} from '../../lambdas/features/silos/rules';
import type { Receipt } from '../../lambdas/features/withdrawal/rules';
import { loadCatalogue, parseCatalogue, profiles } from '../../policy/catalogue';

const clone = <T>(v: T): T => structuredClone(v);
const c = loadCatalogue('littleone');

describe('silos in the catalogue', () => {
  it.each(Object.keys(profiles))('the %s profile declares a silo of each kind', (name) => {
    const kinds = Object.values(loadCatalogue(name).silos).map((s) => s.kind);
    expect([...new Set(kinds)].sort()).toEqual(['custom', 'dynamodb', 's3']);
  });

  it('names a silo holding an item the catalogue does not declare', () => {
    const input = clone(profiles.littleone) as unknown as { silos: Record<string, { items: string[] }> };
    input.silos.billing!.items = ['creditCard'];
    expect(() => parseCatalogue(input)).toThrowError(/silos\.billing\.items names unknown item "creditCard"/);
  });

  it('refuses an S3 prefix without the member id, and an unknown field of a silo', () => {
    const noId = clone(profiles.littleone) as unknown as { silos: Record<string, Record<string, unknown>> };
    noId.silos['event-archive']!.prefix = 'members/';
    expect(() => parseCatalogue(noId)).toThrowError(/invalid entry silos\.event-archive/);
    const extra = clone(profiles.littleone) as unknown as { silos: Record<string, Record<string, unknown>> };
    extra.silos['app-usage']!.password = 'x';
    expect(() => parseCatalogue(extra)).toThrowError(/invalid entry silos\.app-usage/);
  });
});

describe('silo outcomes', () => {
  const since = '2026-11-30T00:00:00.000Z';
  const at = (minutes: number) => new Date(Date.parse(since) + minutes * 60_000);

  it('starts every silo pending, and is answered only when every silo is final', () => {
    const pending = pendingOutcomes(c, since);
    expect(Object.keys(pending)).toEqual(Object.keys(c.silos));
    expect(allAnswered(pending)).toBe(false);
    const done: Record<string, SiloOutcome> = Object.fromEntries(
      Object.entries(pending).map(([id, o]) => [id, { ...o, status: 'nothing-held' }]),
    );
    expect(allAnswered(done)).toBe(true);
    expect(allAnswered({ ...done, billing: { ...done.billing!, status: 'awaiting' } })).toBe(false);
  });

  it('a table or bucket lags after a fixed lead, a custom system after its answerWithin', () => {
    const outcomes = pendingOutcomes(c, since);
    expect(laggingSilos(c, outcomes, at(STORE_SILO_LAG_MINUTES - 1))).toEqual([]);
    expect(laggingSilos(c, outcomes, at(STORE_SILO_LAG_MINUTES))).toEqual(['app-usage', 'event-archive']);
    // littleone's billing system answers within three days.
    expect(laggingSilos(c, outcomes, at(3 * 24 * 60))).toEqual(['app-usage', 'event-archive', 'billing']);
    const erased = { ...outcomes, 'app-usage': { ...outcomes['app-usage']!, status: 'erased' as const } };
    expect(laggingSilos(c, erased, at(3 * 24 * 60))).toEqual(['event-archive', 'billing']);
  });

  it("the full receipt lists every silo in the catalogue's order, completed at the last answer", () => {
    const receipt = { receiptId: 'r', withdrawnAt: since } as Receipt;
    const outcomes: Record<string, SiloOutcome> = {
      billing: { kind: 'custom', status: 'failed', since, at: at(90).toISOString(), reason: 'frozen' },
      'event-archive': { kind: 's3', status: 'erased', since, at: at(2).toISOString(), count: 4 },
      'app-usage': { kind: 'dynamodb', status: 'nothing-held', since, at: at(1).toISOString() },
    };
    const full = fullReceipt(c, receipt, outcomes);
    expect(full.silos.map((l) => [l.silo, l.outcome, l.count, l.reason])).toEqual([
      ['app-usage', 'nothing-held', undefined, undefined],
      ['event-archive', 'erased', 4, undefined],
      ['billing', 'failed', undefined, 'frozen'],
    ]);
    expect(full.silos[2]!.items).toEqual(['purchaseHistory']);
    expect(full.completedAt).toBe(at(90).toISOString());
    expect(siloSummary(outcomes)).toBe('silos: 1 failed, 1 erased, 1 nothing-held');
  });
});

describe('silos on consent withdrawal (L1, L8/G8)', () => {
  const at = '2026-11-30T09:00:00.000Z';
  /** littleone with the usage history resting on statistics only, held by the silos as `items` says. */
  function variant(items: Record<string, string[]>) {
    const input = clone(profiles.littleone) as unknown as {
      items: Record<string, { purposes: string[] }>;
      silos: Record<string, { items: string[] }>;
    };
    input.items.serviceUsageHistory!.purposes = ['statistics'];
    for (const [id, held] of Object.entries(items)) input.silos[id]!.items = held;
    return parseCatalogue(input);
  }
  const granted = { membership: true, 'service-delivery': true, 'abuse-prevention': true, statistics: true };
  const consents = Object.fromEntries(Object.entries(granted).map(([p, g]) => [p, { granted: g }]));

  it('the shipped profiles: no silo holds an item an optional purpose alone justifies', () => {
    for (const name of Object.keys(profiles)) {
      const cat = loadCatalogue(name);
      for (const [purpose, p] of Object.entries(cat.purposes)) {
        if (p.required) continue;
        const all = Object.fromEntries(Object.keys(cat.purposes).map((id) => [id, { granted: true }]));
        expect(consentSiloOutcomes(cat, releasedBy(cat, all, purpose), at)).toEqual({});
      }
    }
  });

  it('erases a table or bucket only when every item it holds is released; asks a custom system for the released ones', () => {
    const cat = variant({
      'app-usage': ['serviceUsageHistory', 'email'],
      'event-archive': ['serviceUsageHistory'],
      billing: ['purchaseHistory', 'serviceUsageHistory'],
    });
    const released = releasedBy(cat, consents, 'statistics');
    expect([...released]).toEqual(['serviceUsageHistory']);
    expect(consentSiloOutcomes(cat, released, at)).toEqual({
      'app-usage': {
        kind: 'dynamodb',
        status: 'kept',
        since: at,
        at,
        items: ['serviceUsageHistory'],
        kept: ['email'],
      },
      'event-archive': { kind: 's3', status: 'pending', since: at, at, items: ['serviceUsageHistory'] },
      billing: { kind: 'custom', status: 'pending', since: at, at, items: ['serviceUsageHistory'] },
    });
  });

  it('leaves out a silo holding no released item; kept is final', () => {
    const cat = variant({ billing: ['purchaseHistory'] });
    const outcomes = consentSiloOutcomes(cat, new Set(['serviceUsageHistory']), at);
    expect(Object.keys(outcomes)).toEqual(['app-usage', 'event-archive']);
    expect(allAnswered({ x: { kind: 'dynamodb', status: 'kept', since: at, at } })).toBe(true);
  });

  it('names one silo request per decision, the same for a retry, and no time or purpose in clear', () => {
    const id = consentSiloRequestId('m-1', 'statistics', at);
    expect(id).toBe(consentSiloRequestId('m-1', 'statistics', at));
    expect(id).toMatch(/^silos-consent-[0-9a-f]{32}$/);
    expect(consentSiloRequestId('m-1', 'statistics', '2026-11-30T09:00:01.000Z')).not.toBe(id);
    expect(consentSiloRequestId('m-2', 'statistics', at)).not.toBe(id);
  });
});
