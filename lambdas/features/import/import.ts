/**
 * Bringing existing members in (L1, L2/G1, L11/G13, L13/G15, G9): each line of the operator's
 * export becomes a membership exactly as joining writes one — the same checks, a new data key,
 * every field sealed, the blind-index lookups guarding uniqueness — plus the history the export
 * knows. One member is one transaction, marker included, so a crash leaves each member wholly
 * imported or not at all, and a rerun skips what is done. Members are started at a set rate,
 * which keeps the import under the KMS and DynamoDB quotas the live service shares.
 */
import { seoulDay } from '../../../model/calendar';
import { inactivityBucket } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { blindIndex } from '../../adapters/blind-index';
import { newDataKey } from '../../adapters/data-keys';
import { Conflict, DependencyFailed, type FieldProblem } from '../../runtime/errors';
import { requestScopedId } from '../../runtime/request-ids';
import { encryptField } from '../members/cipher';
import { babyBinding, type ConsentState, itemBinding, putMembership, sealItems } from '../members/store';
import { recordBinding } from '../service-records/service-records';
import { checkLine, type ImportedMember, type ImportReport, importedBucket, lineSchemas } from './rules';
import { babyPut, importMarker, recordPut, wasImported } from './store';

/** What became of one member. */
export type MemberOutcome = 'imported' | 'skipped' | { readonly problem: FieldProblem };

/** The problem of a line one of whose identifiers another membership holds: only the write finds it. */
export const IDENTIFIER_TAKEN = 'an identifier is already used by another membership';

/** The defaults: a rate well under the Seoul KMS and DynamoDB quotas, shared with the live service. */
export const IMPORT_DEFAULTS = { ratePerSecond: 50, concurrency: 8, attempts: 4 } as const;

/**
 * Imports one checked member at `now`: skipped when an earlier run imported the account or it
 * joined on its own; a problem when one of its identifiers belongs to another membership.
 */
export async function importMember(c: Catalogue, m: ImportedMember, now: Date): Promise<MemberOutcome> {
  const { memberId } = m;
  if (await wasImported(memberId)) return 'skipped';
  const lookups = Object.fromEntries(
    await Promise.all(
      Object.keys(m.items)
        .filter((id) => c.items[id]?.lookup)
        .map(async (id) => [id, await blindIndex(c.profile, id, m.items[id]!)] as const),
    ),
  );
  const dataKey = await newDataKey(memberId);
  const key = dataKey.plaintext;
  const babies = m.babies.map((baby, index) => {
    // Derived from the line, so a retried transaction writes the same ids.
    const babyId = requestScopedId('baby', memberId, `import-${index}`);
    return babyPut(
      memberId,
      babyId,
      sealItems(key, (id) => babyBinding(memberId, babyId, id), baby.items),
      baby.createdAt,
    );
  });
  const records = m.records.map((r, index) => {
    const recordId = requestScopedId(r.kind, memberId, `import-${index}`);
    return recordPut(memberId, {
      recordId,
      itemId: r.itemId,
      retentionClass: r.retentionClass,
      createdAt: r.createdAt,
      value: encryptField(key, recordBinding(memberId, recordId, r.itemId), r.value),
    });
  });
  const lastSignIn = new Date(m.lastSignInAt);
  try {
    await putMembership(
      {
        memberId,
        status: 'active',
        signInMethod: m.signInMethod,
        joinedAt: m.joinedAt,
        policyVersion: m.policyVersion,
        items: sealItems(key, (id) => itemBinding(memberId, id), m.items),
        consents: m.consents as Readonly<Record<string, ConsentState>>,
        ageAffirmation: {
          affirmed: true,
          minimumAge: c.minimumAge,
          at: m.ageAffirmedAt,
          policyVersion: m.policyVersion,
        },
        lookups,
        lastSignInAt: m.lastSignInAt,
        lastSignInDay: seoulDay(lastSignIn),
        // The inactivity clock runs from the imported last sign-in (G9).
        inactiveOn: inactivityBucket(importedBucket(c, lastSignIn, now), memberId),
      },
      dataKey.wrapped,
      now,
      [...babies, ...records, importMarker(memberId, now.toISOString())],
    );
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    if (error.title === 'Already a member') return 'skipped';
    return { problem: { field: 'items', problem: IDENTIFIER_TAKEN } };
  } finally {
    key.fill(0);
  }
  return 'imported';
}

/** Counts so far, for a progress bar; no personal data. */
export interface ImportProgress {
  /** Lines finished: imported, skipped, bad or failed. */
  readonly lines: number;
  readonly imported: number;
  readonly skipped: number;
  readonly bad: number;
  readonly failed: number;
}

/** How an import runs. */
export interface ImportOptions {
  /** The clock: times in the future are refused, and the inactivity buckets are counted from it. */
  readonly now: Date;
  /** Members started per second at most. */
  readonly ratePerSecond?: number;
  /** Members in flight at once. */
  readonly concurrency?: number;
  /** Attempts per member when a dependency fails (throttling), with backoff between them. */
  readonly attempts?: number;
  /** Lines before this one (counted from 1) are not read: a run stopped early resumes here. */
  readonly startLine?: number;
  /** Asked before each line: true stops the run there (a Lambda's time budget). */
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (p: ImportProgress) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `work` started at most `perSecond` times a second, evenly spaced: each call takes the next
 * free slot, so a burst never exceeds the rate, whatever the concurrency.
 */
export function pacer<A, R>(perSecond: number, work: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  const gap = 1_000 / Math.max(perSecond, 0.001);
  let next = 0;
  return async (arg) => {
    const now = performance.now();
    const slot = Math.max(now, next);
    next = slot + gap;
    if (slot > now) await sleep(slot - now);
    return work(arg);
  };
}

/**
 * Imports every line of `lines` (the export, one JSON member per line). A bad line is
 * reported by number and field and does not stop the rest; a line a dependency keeps failing
 * for is reported as failed, with nothing of it written, for a rerun to import.
 */
export async function importLines(
  c: Catalogue,
  lines: AsyncIterable<string>,
  o: ImportOptions,
): Promise<ImportReport> {
  const schemas = lineSchemas(c);
  const rate = o.ratePerSecond ?? IMPORT_DEFAULTS.ratePerSecond;
  const concurrency = Math.max(1, o.concurrency ?? IMPORT_DEFAULTS.concurrency);
  const attempts = Math.max(1, o.attempts ?? IMPORT_DEFAULTS.attempts);
  const paced = pacer(rate, (m: ImportedMember) => importMember(c, m, o.now));
  const counts = { lines: 0, imported: 0, skipped: 0 };
  // Lines finished, for the progress bar: a line read is not yet a line done.
  let done = 0;
  const bad: { line: number; problems: readonly FieldProblem[] }[] = [];
  const failed: number[] = [];
  const progress = () =>
    o.onProgress?.({
      lines: done,
      imported: counts.imported,
      skipped: counts.skipped,
      bad: bad.length,
      failed: failed.length,
    });
  const inFlight = new Set<Promise<void>>();

  const run = async (line: number, m: ImportedMember) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await paced(m);
        if (outcome === 'imported') counts.imported++;
        else if (outcome === 'skipped') counts.skipped++;
        else bad.push({ line, problems: [outcome.problem] });
        return;
      } catch (error) {
        if (!(error instanceof DependencyFailed) || attempt >= attempts) {
          failed.push(line);
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  };

  let number = 0;
  let resumeFromLine: number | undefined;
  for await (const text of lines) {
    number++;
    if (number < (o.startLine ?? 1) || text.trim() === '') continue;
    if (o.shouldStop?.()) {
      resumeFromLine = number;
      break;
    }
    counts.lines++;
    const checked = checkLine(c, schemas, text, o.now);
    if (!checked.ok) {
      bad.push({ line: number, problems: checked.problems });
      done++;
      progress();
      continue;
    }
    const task: Promise<void> = run(number, checked.member).finally(() => {
      inFlight.delete(task);
      done++;
      progress();
    });
    inFlight.add(task);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  progress();
  return {
    ...counts,
    bad: bad.sort((a, b) => a.line - b.line),
    failed: failed.sort((a, b) => a - b),
    ...(resumeFromLine === undefined ? {} : { resumeFromLine }),
  };
}
