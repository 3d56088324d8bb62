/**
 * The import's pure rules (L1, L2/G1, G2, L11/G13, G9): a line of the operator's export is
 * checked by the join schemas and rules, every problem names its field and never its value,
 * and the inactivity bucket runs from the imported last sign-in.
 */
import { describe, expect, it, vi } from 'vitest';
import { pacer } from '../../lambdas/features/import/import';
import { checkLine, formatReport, importedBucket, lineSchemas } from '../../lambdas/features/import/rules';
import { loadCatalogue } from '../../policy/catalogue';
import { makeExport } from '../integration/import-fixtures';

const NOW = new Date('2026-01-01T00:00:00.000Z');

describe.each(['littleone', 'lgcns'] as const)('import rules (%s)', (profile) => {
  const c = loadCatalogue(profile);
  const schemas = lineSchemas(c);
  const exported = makeExport(profile, 40, 10, 5);
  const lines = exported.text.trim().split('\n');

  it('L1/G1: a good line becomes the member joining would make, with its own history', () => {
    for (const g of exported.good) {
      const checked = checkLine(c, schemas, lines[g.line - 1]!, NOW);
      expect(checked.ok, `line ${g.line}`).toBe(true);
      if (!checked.ok) continue;
      expect(checked.member.memberId).toBe(g.subject);
      expect(checked.member.babies).toHaveLength(g.babies);
      expect(checked.member.records).toHaveLength(g.records);
      expect(Object.keys(checked.member.consents).sort()).toEqual(Object.keys(c.purposes).sort());
      // The identifiers the sign-in knows are among the items, as join takes them from a token.
      for (const [id, item] of Object.entries(c.items)) {
        if (item.fromSignIn && item.collectedFor.includes(checked.member.signInMethod))
          expect(checked.member.items[id], id).toBeDefined();
      }
    }
  });

  it('L1/G1: every bad line is refused with its field, and no problem repeats a value of the line', () => {
    // The last line is bad only against the tables (its email is taken): it passes the rules.
    for (const b of exported.bad.slice(0, -1)) {
      const checked = checkLine(c, schemas, lines[b.line - 1]!, NOW);
      expect(checked.ok, `line ${b.line}`).toBe(false);
      if (checked.ok) continue;
      expect(
        checked.problems.map((p) => p.field),
        `line ${b.line}`,
      ).toContain(b.field);
      const said = JSON.stringify(checked.problems);
      for (const secret of exported.secrets) expect(said).not.toContain(secret);
      expect(said).not.toMatch(/not-an-address|shoeSize.*270|"unknown"/);
    }
  });

  it('G2: a required purpose left out is refused, an optional one is recorded as refused at joining', () => {
    const good = JSON.parse(lines[exported.good[0]!.line - 1]!);
    const required = Object.entries(c.purposes).find(([, p]) => p.required)![0];
    const optional = Object.entries(c.purposes).find(([, p]) => !p.required)![0];
    const { [required]: _r, ...withoutRequired } = good.consents;
    const refused = checkLine(c, schemas, JSON.stringify({ ...good, consents: withoutRequired }), NOW);
    expect(refused.ok).toBe(false);
    const { [optional]: _o, ...withoutOptional } = good.consents;
    const kept = checkLine(c, schemas, JSON.stringify({ ...good, consents: withoutOptional }), NOW);
    expect(kept.ok && kept.member.consents[optional]).toEqual({
      granted: false,
      at: good.joinedAt,
      channel: 'app',
      policyVersion: good.policyVersion,
    });
  });

  it('L11/G13 G9: times in the future or out of order are refused', () => {
    const good = JSON.parse(lines[exported.good[0]!.line - 1]!);
    const early = checkLine(
      c,
      schemas,
      JSON.stringify({ ...good, lastSignInAt: '2000-01-01T00:00:00Z' }),
      NOW,
    );
    expect(!early.ok && early.problems).toEqual([
      { field: 'lastSignInAt', problem: 'must not be before joinedAt' },
    ]);
    const future = checkLine(
      c,
      schemas,
      JSON.stringify({ ...good, ageAffirmedAt: '2030-01-01T00:00:00Z' }),
      NOW,
    );
    expect(!future.ok && future.problems.map((p) => p.field)).toEqual(['ageAffirmedAt']);
    const zoneless = checkLine(c, schemas, JSON.stringify({ ...good, joinedAt: '2024-01-01 10:00' }), NOW);
    expect(!zoneless.ok && zoneless.problems.map((p) => p.field)).toEqual(['joinedAt']);
  });

  it('G9: the inactivity bucket runs from the imported last sign-in, never earlier than today', () => {
    expect(importedBucket(c, new Date('2025-12-20T00:00:00Z'), NOW) > '2026-01-01').toBe(true);
    expect(importedBucket(c, new Date('2020-01-01T00:00:00Z'), NOW)).toBe('2026-01-01');
  });
});

describe('the import report', () => {
  it('names bad lines by number and field, failed lines, and where to resume', () => {
    const text = formatReport({
      lines: 5,
      imported: 2,
      skipped: 1,
      bad: [{ line: 4, problems: [{ field: 'items.email', problem: 'Invalid email address' }] }],
      failed: [5],
      resumeFromLine: 6,
    });
    expect(text).toBe(
      '5 line(s): 2 imported, 1 skipped (already there), 1 bad, 1 failed\n' +
        '  line 4: items.email: Invalid email address\n' +
        '  failed (a dependency; nothing written, rerun to import): lines 5\n' +
        '  stopped early: rerun, it resumes at line 6\n',
    );
  });
});

describe('the import pacer', () => {
  it('starts members evenly at the configured rate, whatever the concurrency', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const started: number[] = [];
      const paced = pacer(10, async (n: number) => {
        started.push(performance.now());
        return n;
      });
      const all = Promise.all([1, 2, 3, 4, 5].map((n) => paced(n)));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await all).toEqual([1, 2, 3, 4, 5]);
      const t0 = started[0]!;
      expect(started.map((t) => Math.round(t - t0))).toEqual([0, 100, 200, 300, 400]);
    } finally {
      vi.useRealTimers();
    }
  });
});
