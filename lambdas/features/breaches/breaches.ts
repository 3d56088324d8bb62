/**
 * What the privacy officer does with a breach (PIPA Art. 34; GDPR Arts. 33-34): records it, which
 * starts both clocks and the member notices; reads the breaches and the regulator's report;
 * records each filing with a regulator; and closes it, never without both clocks met or a
 * reason. Every step goes to the breach's ledger.
 */
import type { Text } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { Conflict, NotFound, RuleViolated } from '../../runtime/errors';
import { requestScopedId } from '../../runtime/request-ids';
import { queueSegments } from './notices';
import {
  type AffectedMembers,
  type BreachRecord,
  type BreachReport,
  breachReport,
  type ClockView,
  clocksOf,
  closeRefusal,
  type Filing,
  factsOf,
  type NoticeProgress,
  regulatorsFor,
} from './rules';
import {
  addFiling,
  closeBreach,
  createBreach,
  getBreach,
  type LedgerStep,
  ledgerOf,
  listBreaches,
  progressOf,
} from './store';

/** Scan segments of the members table per breach: pages of different segments run in parallel. */
export const BREACH_SEGMENTS = 8;
/** How far ahead of the service's clock a stated time may be: clocks of hosts differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The body of POST /v1/admin/breaches, as the route validates it. */
export interface BreachInput {
  readonly reason: string;
  readonly discoveredAt: string;
  readonly occurredAt?: string | undefined;
  readonly items: readonly string[];
  readonly cause: { readonly outsideAttack: boolean; readonly description: Text };
  readonly measures: Text;
  readonly memberActions?: Text | undefined;
  readonly affected: AffectedMembers;
  readonly euMembers?: boolean | undefined;
}

/** A breach as the officer reads it: the record without the member list, its clocks and notices. */
export interface BreachView {
  readonly breachId: string;
  readonly status: 'open' | 'closed';
  readonly recordedAt: string;
  readonly discoveredAt: string;
  readonly occurredAt?: string;
  readonly items: readonly string[];
  readonly cause: BreachRecord['cause'];
  readonly affected: {
    readonly kind: AffectedMembers['kind'];
    readonly listed?: number;
    readonly holding?: readonly string[];
  };
  readonly euMembers: boolean;
  readonly clocks: {
    readonly members: ClockView;
    readonly regulator: ClockView & { readonly authorities: readonly string[] };
  };
  readonly notices: NoticeProgress;
  readonly filings: readonly Filing[];
  readonly closedAt?: string;
  readonly closeReason?: string;
}

function viewOf(c: Catalogue, breach: BreachRecord, progress: NoticeProgress, now: Date): BreachView {
  const { affected } = breach;
  return {
    breachId: breach.breachId,
    status: breach.status,
    recordedAt: breach.recordedAt,
    discoveredAt: breach.discoveredAt,
    ...(breach.occurredAt ? { occurredAt: breach.occurredAt } : {}),
    items: breach.items,
    cause: breach.cause,
    affected: {
      kind: affected.kind,
      ...(affected.kind === 'list' ? { listed: affected.memberIds.length } : {}),
      ...(affected.kind === 'query' ? { holding: affected.holding } : {}),
    },
    euMembers: breach.euMembers,
    clocks: clocksOf(c, breach, progress, now),
    notices: progress,
    filings: breach.filings,
    ...(breach.closedAt ? { closedAt: breach.closedAt } : {}),
    ...(breach.closeReason ? { closeReason: breach.closeReason } : {}),
  };
}

/**
 * Records a breach and starts its clocks and notices. With an Idempotency-Key, a retry after a
 * crash finds the breach its first attempt stored and queues its segments again.
 */
export async function recordBreach(
  c: Catalogue,
  officerId: string,
  input: BreachInput,
  now: Date,
  idempotencyKey: string | undefined,
): Promise<BreachView> {
  const discovered = new Date(input.discoveredAt);
  if (discovered.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new RuleViolated('Discovered in the future', 'discoveredAt is later than now.', {
      field: 'discoveredAt',
    });
  }
  if (input.occurredAt && new Date(input.occurredAt).getTime() > discovered.getTime()) {
    throw new RuleViolated('Occurred after discovery', 'occurredAt is later than discoveredAt.', {
      field: 'occurredAt',
    });
  }
  const breachId = requestScopedId('breach', officerId, idempotencyKey);
  const affected: AffectedMembers =
    input.affected.kind === 'list'
      ? { kind: 'list', memberIds: [...new Set(input.affected.memberIds)] }
      : input.affected;
  const record: BreachRecord = {
    breachId,
    recordedAt: now.toISOString(),
    recordedBy: officerId,
    discoveredAt: discovered.toISOString(),
    ...(input.occurredAt ? { occurredAt: new Date(input.occurredAt).toISOString() } : {}),
    items: [...new Set(input.items)],
    cause: input.cause,
    measures: input.measures,
    ...(input.memberActions ? { memberActions: input.memberActions } : {}),
    affected,
    euMembers: input.euMembers ?? false,
    segments: affected.kind === 'list' ? 1 : BREACH_SEGMENTS,
    status: 'open',
    filings: [],
  };
  const created = await createBreach(record, {
    at: record.recordedAt,
    step: 'recorded',
    by: officerId,
    details: {
      affected: affected.kind,
      items: record.items.length,
      outsideAttack: record.cause.outsideAttack,
      ...(affected.kind === 'list' ? { listed: affected.memberIds.length } : {}),
    },
  });
  const stored = created ? record : await getBreach(breachId);
  if (!stored) throw new Conflict('Breach not recorded', 'The breach changed meanwhile; try again.');
  if (!created && stored.recordedBy !== officerId) {
    throw new RuleViolated(
      'Idempotency-Key reused',
      'This Idempotency-Key was used for a different request.',
    );
  }
  await queueSegments(breachId, [...Array(stored.segments).keys()], now);
  const { progress } = await progressOf(breachId);
  return viewOf(c, stored, progress, now);
}

async function requireBreach(breachId: string): Promise<BreachRecord> {
  const breach = await getBreach(breachId);
  if (!breach) throw new NotFound('No such breach', 'No breach has this id.');
  return breach;
}

/** Every breach, newest first, with its clocks. */
export async function listBreachViews(c: Catalogue, now: Date): Promise<BreachView[]> {
  const breaches = await listBreaches();
  return Promise.all(breaches.map(async (b) => viewOf(c, b, (await progressOf(b.breachId)).progress, now)));
}

/** One breach with its ledger and the regulator's report. */
export async function breachDetail(
  c: Catalogue,
  breachId: string,
  now: Date,
): Promise<BreachView & { readonly ledger: readonly LedgerStep[]; readonly report: BreachReport }> {
  const breach = await requireBreach(breachId);
  const [{ progress }, ledger] = await Promise.all([progressOf(breachId), ledgerOf(breachId)]);
  return { ...viewOf(c, breach, progress, now), ledger, report: breachReport(c, breach, progress, now) };
}

/** An action on a breach, as the route validates it. */
export type BreachAction =
  | {
      readonly action: 'file-report';
      readonly regulator: string;
      readonly filedAt: string;
      readonly reference: string;
    }
  | { readonly action: 'close'; readonly reason?: string | undefined };

/**
 * Records a filing with a regulator the breach is reported to (that regulator's clock stops
 * when every chosen one has it), or closes the breach.
 */
export async function actOnBreach(
  c: Catalogue,
  breachId: string,
  officerId: string,
  body: BreachAction,
  now: Date,
): Promise<BreachView> {
  const breach = await requireBreach(breachId);
  if (breach.status === 'closed') throw new Conflict('Breach closed', 'The breach is closed.');
  const { progress } = await progressOf(breachId);
  if (body.action === 'file-report') {
    const chosen = regulatorsFor(c, factsOf(breach, progress)).map((r) => r.regulator.id);
    if (!chosen.includes(body.regulator)) {
      throw new RuleViolated(
        'Not a regulator of this breach',
        `The breach is reported to ${chosen.length ? chosen.join(', ') : 'no regulator'}.`,
        { field: 'regulator' },
      );
    }
    if (new Date(body.filedAt).getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new RuleViolated('Filed in the future', 'filedAt is later than now.', { field: 'filedAt' });
    }
    if (breach.filings.some((f) => f.regulator === body.regulator)) {
      throw new Conflict('Already filed', 'The report to this regulator is already recorded.');
    }
    const filing: Filing = {
      regulator: body.regulator,
      filedAt: new Date(body.filedAt).toISOString(),
      reference: body.reference,
      by: officerId,
    };
    const added = await addFiling(breachId, breach.filings, filing, {
      at: now.toISOString(),
      step: 'report-filed',
      by: officerId,
      details: { regulator: body.regulator, filedAt: filing.filedAt },
    });
    if (!added) throw new Conflict('Breach changed', 'The breach changed meanwhile; read it again.');
    return viewOf(c, { ...breach, filings: [...breach.filings, filing] }, progress, now);
  }
  const clocks = clocksOf(c, breach, progress, now);
  const refusal = closeRefusal(clocks, body.reason);
  if (refusal) throw new RuleViolated('Clocks not met', refusal, { field: 'reason' });
  const closed = {
    closedAt: now.toISOString(),
    closedBy: officerId,
    ...(body.reason ? { closeReason: body.reason } : {}),
  };
  const done = await closeBreach(breachId, closed, {
    at: closed.closedAt,
    step: 'closed',
    by: officerId,
    details: {
      members: clocks.members.state,
      regulator: clocks.regulator.state,
      withReason: Boolean(body.reason),
    },
  });
  if (!done) throw new Conflict('Breach closed', 'The breach is closed.');
  return viewOf(c, { ...breach, status: 'closed', ...closed }, progress, now);
}

/** Lines of the officer's digest: each open breach and its clocks; ids and dates only. */
export async function breachDigestLines(c: Catalogue, now: Date): Promise<string[]> {
  const open = (await listBreaches()).filter((b) => b.status === 'open');
  const lines: string[] = [];
  for (const b of open) {
    const { progress } = await progressOf(b.breachId);
    const { members, regulator } = clocksOf(c, b, progress, now);
    lines.push(
      `- breach ${b.breachId}: members told ${members.state} (due ${members.dueAt}; ${progress.sent} sent, ${progress.waiting} waiting), regulator ${regulator.state}${regulator.authorities.length ? ` [${regulator.authorities.join(', ')}]` : ''} (due ${regulator.dueAt})`,
    );
  }
  return lines;
}
