import { describe, expect, it } from 'vitest';
import {
  busiestWindow,
  checkMember,
  classify,
  type JoinState,
  type JournalEntry,
  LoadUsageError,
  type ObservedMember,
  parseLoadArgs,
  percentile,
  possibleFinalValues,
  throttledRequests,
} from '../../bench/load-check';

const JOIN_END = Date.parse('2026-12-01T00:00:00.000Z');
const t = (ms: number) => JOIN_END + ms;
const iso = (ms: number) => new Date(t(ms)).toISOString();

/** A journal entry of member m1, answered 200 unless told otherwise. */
function entry(fields: Partial<JournalEntry> & Pick<JournalEntry, 'op' | 'start' | 'end'>): JournalEntry {
  return { client: 0, member: 'm1', status: 200, ...fields, start: t(fields.start), end: t(fields.end) };
}

const join = entry({ op: 'join', start: -100, end: 0, status: 201 });
const joined: JoinState = { consents: { statistics: true }, userName: 'Member 1' };

/** The state of a member nobody touched after the join. */
const untouched: ObservedMember = {
  viewStatus: 200,
  profileStatus: 'active',
  partitionItems: 5,
  consents: { statistics: { granted: true, at: iso(-50) } },
  userName: 'Member 1',
  consentEvents: [],
  consentHistory: [],
  withdrawnEvents: 0,
  receiptIds: [],
  siloErasures: [],
  ledger: {},
};

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile([42], 99)).toBe(42);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('classify', () => {
  it('calls a 409 a race when another write of the member overlapped it', () => {
    const verdicts = classify([
      entry({ op: 'consent', start: 0, end: 100, client: 0 }),
      entry({ op: 'correction', start: 50, end: 120, client: 1, status: 409, problem: 'concurrent-change' }),
    ]);
    expect(verdicts).toEqual(['ok', 'raced']);
  });

  it('calls a 409 unexplained when only reads, refused writes or earlier writes were around', () => {
    const verdicts = classify([
      entry({ op: 'view', start: 0, end: 200, client: 1 }),
      entry({ op: 'consent', start: 0, end: 40, client: 2 }),
      entry({ op: 'correction', start: 60, end: 150, client: 3, status: 409 }),
      entry({ op: 'consent', start: 50, end: 100, status: 409 }),
    ]);
    expect(verdicts.slice(2)).toEqual(['unexplained-409', 'unexplained-409']);
  });

  it('ignores writes of other members', () => {
    const verdicts = classify([
      entry({ op: 'consent', start: 0, end: 100, member: 'm2' }),
      entry({ op: 'consent', start: 10, end: 90, status: 409 }),
    ]);
    expect(verdicts[1]).toBe('unexplained-409');
  });

  it('accepts a 404 only once a withdrawal that may have succeeded had started', () => {
    expect(
      classify([
        entry({ op: 'withdrawal', start: 0, end: 300, client: 1 }),
        entry({ op: 'view', start: 100, end: 150, status: 404 }),
      ])[1],
    ).toBe('gone');
    expect(
      classify([
        entry({ op: 'withdrawal', start: 200, end: 300, client: 1 }),
        entry({ op: 'view', start: 100, end: 150, status: 404 }),
      ])[1],
    ).toBe('unexplained-404');
    expect(
      classify([
        entry({ op: 'withdrawal', start: 0, end: 100, client: 1, status: 409 }),
        entry({ op: 'view', start: 50, end: 150, status: 404 }),
      ])[1],
    ).toBe('unexplained-404');
  });

  it('names server errors, missing answers and other statuses', () => {
    expect(
      classify([
        entry({ op: 'view', start: 0, end: 1, status: 503 }),
        entry({ op: 'view', start: 0, end: 1, status: 0 }),
        entry({ op: 'view', start: 0, end: 1, status: 422 }),
      ]),
    ).toEqual(['server-error', 'no-answer', 'unexpected-status']);
  });
});

describe('possibleFinalValues', () => {
  const write = (value: string, start: number, end: number, status = 200) =>
    entry({ op: 'correction', start, end, status, value });
  const values = (writes: JournalEntry[]) => possibleFinalValues(writes, (w) => w.value, 'initial');

  it('is the last write when writes do not overlap', () => {
    expect(values([write('a', 0, 10), write('b', 20, 30)])).toEqual(new Set(['b']));
  });

  it('is either of two overlapping last writes', () => {
    expect(values([write('a', 0, 10), write('b', 20, 40), write('c', 30, 50)])).toEqual(new Set(['b', 'c']));
  });

  it('ignores refused writes, and keeps the initial value when nothing was acknowledged', () => {
    expect(values([write('a', 0, 10, 409)])).toEqual(new Set(['initial']));
    expect(values([write('a', 0, 10, 0)])).toEqual(new Set(['a', 'initial']));
    expect(values([write('a', 0, 10), write('b', 20, 30, 503)])).toEqual(new Set(['a', 'b']));
  });
});

describe('checkMember', () => {
  it('finds nothing wrong with a member nobody touched', () => {
    expect(checkMember([join], joined, untouched)).toEqual([]);
  });

  it('checks a member read from the tables alone, without an answer of the API', () => {
    const { viewStatus: _, userName: __, ...tablesOnly } = untouched;
    expect(checkMember([join], joined, tablesOnly)).toEqual([]);
    expect(checkMember([join], joined, { ...tablesOnly, profileStatus: 'withdrawing' })).toEqual([
      'not withdrawn, but the profile is withdrawing',
    ]);
  });

  it('accepts acknowledged changes recorded once each, with the last value standing', () => {
    const entries = [
      join,
      entry({ op: 'consent', start: 10, end: 20, purpose: 'statistics', granted: false, at: iso(12) }),
      entry({ op: 'consent', start: 30, end: 40, purpose: 'statistics', granted: true, at: iso(32) }),
      entry({ op: 'correction', start: 50, end: 60, value: 'Name 0-1' }),
      entry({ op: 'export', start: 70, end: 80 }),
    ];
    const changes = [
      { purpose: 'statistics', granted: false, at: iso(12) },
      { purpose: 'statistics', granted: true, at: iso(32) },
    ];
    const observed: ObservedMember = {
      ...untouched,
      consents: { statistics: { granted: true, at: iso(32) } },
      consentEvents: changes,
      consentHistory: changes,
      userName: 'Name 0-1',
      ledger: { correction: { completed: 1, other: 0 }, portability: { completed: 1, other: 0 } },
    };
    expect(checkMember(entries, joined, observed)).toEqual([]);
  });

  it('reports an acknowledged consent change that is missing, and one recorded twice', () => {
    const entries = [
      join,
      entry({ op: 'consent', start: 10, end: 20, purpose: 'statistics', granted: false, at: iso(12) }),
    ];
    const lost = checkMember(entries, joined, {
      ...untouched,
      consents: { statistics: { granted: false, at: iso(12) } },
    });
    expect(lost).toContain(`events: acknowledged statistics decision at ${iso(12)} is missing`);
    const twice = [
      { purpose: 'statistics', granted: false, at: iso(12) },
      { purpose: 'statistics', granted: false, at: iso(12) },
    ];
    const duplicated = checkMember(entries, joined, {
      ...untouched,
      consents: { statistics: { granted: false, at: iso(12) } },
      consentEvents: twice,
      consentHistory: twice.slice(1),
    });
    expect(duplicated).toEqual([`events: statistics decision at ${iso(12)} recorded 2 times`]);
  });

  it('reports a change nobody was told of, unless a request went unanswered', () => {
    const phantom = [{ purpose: 'statistics', granted: false, at: iso(15) }];
    const observed = {
      ...untouched,
      consents: { statistics: { granted: false, at: iso(15) } },
      consentEvents: phantom,
      consentHistory: phantom,
    };
    const refused = entry({
      op: 'consent',
      start: 10,
      end: 20,
      purpose: 'statistics',
      granted: false,
      status: 409,
    });
    expect(checkMember([join, refused], joined, observed)).toContain(
      'events: 1 statistics decisions no answer acknowledged (0 unanswered)',
    );
    const unanswered = { ...refused, status: 0 };
    expect(checkMember([join, unanswered], joined, observed)).toEqual([]);
  });

  it('reports a final value no order of the acknowledged writes leaves', () => {
    const entries = [join, entry({ op: 'correction', start: 10, end: 20, value: 'Name 0-1' })];
    const observed = {
      ...untouched,
      userName: 'Member 1',
      ledger: { correction: { completed: 1, other: 0 } },
    };
    expect(checkMember(entries, joined, observed)).toEqual([
      'userName ends with a value no order of the answered corrections leaves',
    ]);
  });

  it('reports ledger records that do not match the acknowledged requests', () => {
    const entries = [
      join,
      entry({ op: 'view', start: 10, end: 20 }),
      entry({ op: 'view', start: 30, end: 40 }),
    ];
    expect(
      checkMember(entries, joined, { ...untouched, ledger: { access: { completed: 1, other: 0 } } }),
    ).toEqual(['ledger: 1 completed access records for 2 acknowledged']);
    expect(
      checkMember(entries, joined, { ...untouched, ledger: { access: { completed: 2, other: 1 } } }),
    ).toEqual(['ledger: 1 unfinished access records for 0 refusals']);
  });

  describe('withdrawal', () => {
    const withdrawal = entry({ op: 'withdrawal', start: 10, end: 20, receiptId: 'r1' });
    const gone: ObservedMember = {
      ...untouched,
      viewStatus: 404,
      partitionItems: 0,
      consents: {},
      withdrawnEvents: 1,
      receiptIds: ['r1'],
      siloErasures: ['r1'],
      ledger: { deletion: { completed: 1, other: 0 } },
    };
    const { profileStatus: _, userName: __, ...goneFields } = gone;

    it('accepts a member withdrawn once and gone', () => {
      expect(checkMember([join, withdrawal], joined, goneFields)).toEqual([]);
    });

    it('reports a withdrawal done twice', () => {
      const twice = { ...goneFields, withdrawnEvents: 2, siloErasures: ['r1', 'r1'] };
      expect(checkMember([join, withdrawal], joined, twice)).toEqual([
        'withdrawn, with 2 MemberWithdrawn events',
        'withdrawn, with 2 silo erasures started',
      ]);
    });

    it('reports a member left behind after an acknowledged withdrawal', () => {
      expect(checkMember([join, withdrawal], joined, { ...gone, viewStatus: 200 })).toContain(
        'withdrawn, but GET /v1/me answered 200',
      );
    });

    it('reports a withdrawal nobody asked for', () => {
      expect(checkMember([join], joined, { ...goneFields, ledger: {} })).toContain(
        'not withdrawn, but GET /v1/me answered 404',
      );
    });
  });
});

describe('what the deployed limits would make of the load', () => {
  it('throttles requests beyond the burst until the bucket refills', () => {
    const burst = Array.from({ length: 12 }, () => 0);
    expect(throttledRequests(burst, 5, 10)).toBe(2);
    expect(throttledRequests([...burst.slice(0, 10), 1000, 1000], 5, 10)).toBe(0);
  });

  it('counts the busiest window', () => {
    expect(busiestWindow([0, 100, 200, 1_500, 1_600], 1_000)).toBe(3);
    expect(busiestWindow([], 1_000)).toBe(0);
  });
});

describe('parseLoadArgs', () => {
  it('has defaults and lets the bench flags through', () => {
    expect(parseLoadArgs(['--load'])).toEqual({
      members: 500,
      clients: 16,
      seconds: 60,
      shared: 16,
      seed: 1,
    });
    expect(parseLoadArgs(['--load', '--members', '40', '--clients', '4', '--seconds', '5'])).toMatchObject({
      members: 40,
      clients: 4,
      shared: 4,
    });
  });

  it('refuses a bad flag with a message naming it', () => {
    expect(() => parseLoadArgs(['--members', 'many'])).toThrow(LoadUsageError);
    expect(() => parseLoadArgs(['--members', 'many'])).toThrow(/--members must be a whole number/);
    expect(() => parseLoadArgs(['--speed', '3'])).toThrow(/Unknown option '--speed'/);
    expect(() => parseLoadArgs(['--members', '10', '--clients', '16'])).toThrow(/each client one member/);
  });
});
