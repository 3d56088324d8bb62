/**
 * Publishing a policy version (L18, POST /v1/admin/policy-versions). A published version is
 * immutable; the notices of each version reach every member once (fanout.ts, notices.ts).
 */
import { seoulDay } from '../../../model/calendar';
import { CatalogueError, parseCatalogue } from '../../../policy/catalogue';
import { formatDuration } from '../../../policy/duration';
import type { Catalogue } from '../../../policy/schema';
import {
  compareVersions,
  deployTimeDifferences,
  VERSION_CHANGEABLE,
  VERSION_CHANGEABLE_ENTRIES,
} from '../../../policy/versions';
import { Conflict, RuleViolated } from '../../runtime/errors';
import { logger } from '../../runtime/logger';
import { requestScopedId } from '../../runtime/request-ids';
import { queueSegments } from './fanout';
import {
  earliestEffectiveDate,
  isCalendarDay,
  isSuperseded,
  type PolicyVersionRecord,
  recordDigest,
  selectInForce,
  versionedSchemaInUse,
  versionSk,
} from './rules';
import {
  clearPolicyCache,
  deleteVersion,
  FANOUT_SEGMENTS,
  listVersionRecords,
  saveVersion,
  VERSION_PK,
} from './store';

/** The body of POST /v1/admin/policy-versions, as validated by the route schema. */
export interface PublishRequest {
  readonly catalogue: Record<string, unknown>;
  readonly effectiveDate: string;
  readonly summary: string;
}

/** What publishing answers: the version, and that its notices are on their way. */
export interface PublishResult {
  readonly version: string;
  readonly effectiveDate: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  /** An upcoming version this one replaces: it will never take effect. */
  readonly supersedes?: string;
  readonly notices: { readonly status: 'started'; readonly segments: number };
}

const MAX_LISTED_ENTRIES = 20;

function resultOf(record: PolicyVersionRecord, supersedes: string | undefined): PublishResult {
  return {
    version: record.version,
    effectiveDate: record.effectiveDate,
    summary: record.summary,
    publishedAt: record.publishedAt,
    publishedBy: record.publishedBy,
    ...(supersedes ? { supersedes } : {}),
    notices: { status: 'started', segments: FANOUT_SEGMENTS },
  };
}

/** Validates the submitted catalogue with the same schema and checks as a bundled one. */
function candidateCatalogue(deployed: Catalogue, req: PublishRequest): Catalogue {
  let candidate: Catalogue;
  try {
    candidate = parseCatalogue(req.catalogue, 'catalogue');
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    throw new RuleViolated('Invalid catalogue', error.message, { entry: `catalogue.${error.entry}` });
  }
  const differences = deployTimeDifferences(deployed, candidate);
  if (differences.length > 0) {
    throw new RuleViolated(
      'Deploy needed',
      `A published version may change only ${[...VERSION_CHANGEABLE, ...VERSION_CHANGEABLE_ENTRIES].join(', ')}; these entries differ from the deployed catalogue and take a deploy of a new catalogue file: ${differences.slice(0, MAX_LISTED_ENTRIES).join(', ')}${differences.length > MAX_LISTED_ENTRIES ? ', …' : ''}.`,
      { entries: differences.slice(0, MAX_LISTED_ENTRIES).map((e) => `catalogue.${e}`) },
    );
  }
  if (candidate.policy.effectiveDate !== req.effectiveDate) {
    throw new RuleViolated(
      'Effective dates disagree',
      'catalogue.policy.effectiveDate must equal effectiveDate.',
      { entry: 'catalogue.policy.effectiveDate' },
    );
  }
  return candidate;
}

/**
 * Publishes a new version (L18): validated like a bundled catalogue, effective no sooner than
 * the notice lead of the version in force (Seoul calendar days), newer than every version so
 * far, and stored with its notice fan-out, which starts at once so members get the whole lead.
 * With an Idempotency-Key, a retry after a crash finds the version it stored and restarts its
 * fan-out instead of being refused.
 */
export async function publishVersion(
  deployed: Catalogue,
  officerId: string,
  req: PublishRequest,
  now: Date,
  idempotencyKey: string | undefined,
): Promise<PublishResult> {
  if (!isCalendarDay(req.effectiveDate)) {
    throw new RuleViolated('Invalid effective date', 'effectiveDate is not a calendar day.', {
      field: 'effectiveDate',
    });
  }
  const candidate = candidateCatalogue(deployed, req);
  const records = await listVersionRecords();
  const publishId = requestScopedId('policy-version', officerId, idempotencyKey);
  const mine = idempotencyKey ? records.find((r) => r.publishId === publishId) : undefined;
  if (mine) {
    if (mine.version !== candidate.policy.version) {
      throw new RuleViolated(
        'Idempotency-Key reused',
        'This Idempotency-Key was used for a different request.',
      );
    }
    await queueSegments(mine.seq, [...Array(FANOUT_SEGMENTS).keys()], now);
    return resultOf(mine, undefined);
  }

  const inForce = selectInForce(deployed, records, seoulDay(now));
  const lead = inForce.current.catalogue.policyChange.noticeLead;
  const earliest = earliestEffectiveDate(now, lead);
  if (req.effectiveDate < earliest) {
    throw new RuleViolated(
      'Notice lead too short',
      `A change takes effect at least ${formatDuration(lead)} after it is published (Seoul calendar days): the earliest effective date is ${earliest}.`,
      { field: 'effectiveDate', earliest },
    );
  }
  const latest = [deployed.policy.version, ...records.map((r) => r.version)].sort(compareVersions).at(-1)!;
  if (compareVersions(candidate.policy.version, latest) <= 0) {
    throw new Conflict(
      'Version not newer',
      `catalogue.policy.version must be newer than ${latest}, the latest version; a published version never changes.`,
      { entry: 'catalogue.policy.version', latest },
    );
  }

  const seq = (records.at(-1)?.seq ?? 0) + 1;
  const published: Omit<PolicyVersionRecord, 'digest'> = {
    pk: VERSION_PK,
    sk: versionSk(seq),
    seq,
    version: candidate.policy.version,
    effectiveDate: req.effectiveDate,
    summary: req.summary,
    publishedAt: now.toISOString(),
    publishedBy: officerId,
    publishId,
    catalogue: candidate,
    // What readers check instead of validating the catalogue again (rules.ts, assertIntact).
    schemaDigest: versionedSchemaInUse(),
  };
  const record: PolicyVersionRecord = { ...published, digest: recordDigest(published) };
  const supersedes = records.find((r) => r.effectiveDate > seoulDay(now) && !isSuperseded(r, records));
  if (!(await saveVersion(record))) {
    throw new Conflict(
      'Publish conflict',
      'Another version was published at the same time; read GET /v1/policy and try again.',
    );
  }
  clearPolicyCache();
  try {
    await queueSegments(seq, [...Array(FANOUT_SEGMENTS).keys()], now);
  } catch (error) {
    // Nobody has been told of the version yet: withdraw it with its progress items, so nothing
    // stands half-published and a later publish takes its sequence number cleanly.
    await deleteVersion(record).catch((cleanup: unknown) =>
      logger.error('unqueued policy version left for the daily job', {
        seq,
        error: (cleanup as Error)?.name,
      }),
    );
    throw error;
  }
  logger.info('policy version published', { seq, segments: FANOUT_SEGMENTS });
  return resultOf(record, supersedes?.version);
}
