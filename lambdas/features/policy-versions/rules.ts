/**
 * Policy changes (L18) as pure rules: the earliest effective date a new version may carry, which
 * version is in force on a Seoul day and which is upcoming, and the notice every member gets.
 *
 * Versions are immutable. A version published while another is still upcoming supersedes it:
 * the superseded one never takes effect, and members are told of the newer one (the notice of
 * each version goes to every member once). Whether a version is superseded follows from the
 * versions alone (a later one was published before its effective date), so nothing published is
 * ever rewritten.
 */

import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { addToSeoulDay, seoulDay, seoulDayText } from '../../../model/calendar';
import { durationText } from '../../../policy/duration';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import type { Catalogue, Duration } from '../../../policy/schema';
import { versionedSchemaDigest } from '../../../policy/schema-digest';
import { compareVersions, deployTimeDifferences } from '../../../policy/versions';
import { DependencyFailed } from '../../runtime/errors';

/** A published version as stored (pk `VERSION`, sk its zero-padded publish sequence). */
export interface PolicyVersionRecord {
  readonly pk: 'VERSION';
  readonly sk: string;
  /** 1, 2, 3… in publish order; notices compare it, so an older version never follows a newer one. */
  readonly seq: number;
  readonly version: string;
  /** Seoul calendar day, YYYY-MM-DD. */
  readonly effectiveDate: string;
  readonly summary: string;
  readonly publishedAt: string;
  /** The officer who published it. */
  readonly publishedBy: string;
  /** Derived from the officer and the Idempotency-Key: a retried publish finds its own version. */
  readonly publishId: string;
  /** The validated catalogue, as published. */
  readonly catalogue: unknown;
  /** {@link versionedSchemaInUse} of the publishing code: the schema the catalogue was validated against. */
  readonly schemaDigest: string;
  /** {@link recordDigest} of every other attribute, recorded at publish and checked on every read. */
  readonly digest: string;
}

/** The progress of one scan segment of one version's fan-out (pk `FANOUT#<seq>`, sk `SEG#<segment>`). */
export interface SegmentRecord {
  readonly pk: string;
  readonly sk: string;
  readonly seq: number;
  readonly segment: number;
  readonly totalSegments: number;
  /** Pages done; the next page's write is conditioned on it, so one delivery advances it. */
  readonly step: number;
  /** Where the next page starts; absent before the first page and after the last. */
  readonly cursor?: Record<string, unknown>;
  readonly done: boolean;
  /** Members queued so far (duplicates from raced pages not counted twice). */
  readonly queued: number;
}

/** The notice state on a member's profile: the latest version noticed, or being noticed. */
export type PolicyNoticeState =
  | {
      readonly seq: number;
      readonly version: string;
      readonly state: 'sending';
      readonly attemptId: string;
      /** Process time of the claim, for the lease; not the policy clock. */
      readonly claimedAt: string;
    }
  | {
      readonly seq: number;
      readonly version: string;
      readonly state: 'sent' | 'undeliverable';
      readonly delivery: 'sent' | 'suppressed' | 'no-address' | 'address-frozen';
      readonly attemptId: string;
      readonly at: string;
    };

/** The policy a day is governed by: a published version, or the deployed catalogue. */
export interface PolicyVersionView {
  readonly version: string;
  readonly effectiveDate: string;
  readonly catalogue: Catalogue;
  /** The publish sequence; absent for the deployed catalogue. */
  readonly seq?: number;
  readonly summary?: string;
  readonly publishedAt?: string;
}

/** The version in force on a day, and the one that will follow it, if any. */
export interface PolicyInForce {
  readonly current: PolicyVersionView;
  readonly upcoming?: PolicyVersionView;
  /** Published versions that cannot be used with the deployed catalogue (see {@link selectInForce}). */
  readonly unusable: readonly string[];
}

/** The sort key of a version's record. */
export const versionSk = (seq: number) => `V#${String(seq).padStart(8, '0')}`;

/**
 * The earliest effective date a version published at `now` may carry: the Seoul day of `now`
 * plus the notice lead, so members have the whole lead in calendar days (7 days: published on
 * the 1st, effective the 8th at the earliest).
 */
export function earliestEffectiveDate(now: Date, lead: Duration): string {
  return addToSeoulDay(seoulDay(now), lead);
}

/** Whether `day` is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

/** Whether a later version was published before `record` took effect. */
export function isSuperseded(record: PolicyVersionRecord, all: readonly PolicyVersionRecord[]): boolean {
  return all.some(
    (later) => later.seq > record.seq && seoulDay(new Date(later.publishedAt)) < record.effectiveDate,
  );
}

/**
 * The digest of the schema this code validates a version's changeable parts against: built into
 * each bundle (lib/bundling.ts), so the schema is bundled only where a version is published, and
 * computed from the schema where the code runs unbundled (tests, the local stack).
 */
export function versionedSchemaInUse(): string {
  return process.env.VERSIONED_SCHEMA_DIGEST ?? versionedSchemaDigest();
}

/**
 * SHA-256 (hex) of a version record's canonical JSON (RFC 8785) without its `digest`: the
 * catalogue, dates, sequence, summary and publisher, as published.
 */
export function recordDigest(record: Omit<PolicyVersionRecord, 'digest'> & { digest?: unknown }): string {
  const { digest: _digest, ...rest } = record;
  return createHash('sha256')
    .update(canonicalize(rest) ?? '', 'utf8')
    .digest('hex');
}

/** Records whose digest this instance has checked (records are read once a minute and never change). */
const intact = new WeakSet<PolicyVersionRecord>();

/**
 * A record published before versions carried their digests holds neither attribute. It is not
 * failed closed, which would stop every reader of an upgraded stack, but is unusable like one of
 * another schema ({@link usable}): the deployed catalogue governs until the officer publishes
 * again. Removing both attributes gains nothing over deleting the record, which no digest prevents.
 */
function publishedBeforeDigests(record: PolicyVersionRecord): boolean {
  return !('digest' in record) && !('schemaDigest' in record);
}

/**
 * Fails closed unless every record is as published: a record whose digest is missing or differs
 * was changed outside the publish route (or was never published by it), so no policy is
 * decided from the versions, rather than one the officer never validated governing.
 */
export function assertIntact(records: readonly PolicyVersionRecord[]): void {
  for (const record of records) {
    if (intact.has(record) || publishedBeforeDigests(record)) continue;
    if (typeof record.digest !== 'string' || record.digest !== recordDigest(record)) {
      throw new DependencyFailed('dynamodb', {
        cause: new Error(`policy version record ${String(record.sk)} does not match its digest`),
      });
    }
    intact.add(record);
  }
}

/**
 * The published version a record holds, or undefined when it cannot govern under the deployed
 * code: validated against another schema than this code's, or its deploy-time entries differ
 * from the deployed ones. The publish route validated it, and its digest shows it unchanged
 * since ({@link assertIntact}), so it is not validated again.
 */
function usable(deployed: Catalogue, record: PolicyVersionRecord): PolicyVersionView | undefined {
  if (record.schemaDigest !== versionedSchemaInUse()) return undefined;
  const catalogue = record.catalogue as Catalogue;
  if (deployTimeDifferences(deployed, catalogue).length > 0) return undefined;
  return {
    version: record.version,
    effectiveDate: record.effectiveDate,
    catalogue,
    seq: record.seq,
    summary: record.summary,
    publishedAt: record.publishedAt,
  };
}

/**
 * The version in force on Seoul day `today`: the latest published version whose effective date
 * has come, unless superseded, else the deployed catalogue; and the upcoming one. A version is
 * skipped when a deploy has since moved past it (its version is not newer than the deployed
 * catalogue's, its deploy-time entries no longer match, or the schema of its changeable parts
 * changed): the deployed catalogue governs. Throws {@link DependencyFailed} when any record is
 * not as published ({@link assertIntact}).
 */
export function selectInForce(
  deployed: Catalogue,
  records: readonly PolicyVersionRecord[],
  today: string,
): PolicyInForce {
  assertIntact(records);
  const base: PolicyVersionView = {
    version: deployed.policy.version,
    effectiveDate: deployed.policy.effectiveDate,
    catalogue: deployed,
  };
  let current = base;
  let upcoming: PolicyVersionView | undefined;
  const unusable: string[] = [];
  for (const record of [...records].sort((a, b) => a.seq - b.seq)) {
    if (isSuperseded(record, records)) continue;
    // A deploy of a catalogue file at least as new takes over from what was published before it.
    if (compareVersions(record.version, deployed.policy.version) <= 0) continue;
    const view = usable(deployed, record);
    if (!view) {
      unusable.push(record.version);
      continue;
    }
    if (record.effectiveDate <= today) current = view;
    else upcoming = view;
  }
  return { current, ...(upcoming ? { upcoming } : {}), unusable };
}

/**
 * The notice of a new version (L18), in the member's language: what changes, when, and where
 * to read it. The summary of changes is the officer's, as published.
 */
export function policyNoticeText(
  next: PolicyVersionView,
  current: PolicyVersionView,
  policyUrl: string | undefined,
  lang: Language = DEFAULT_LANGUAGE,
): { subject: string; text: string } {
  const c = next.catalogue;
  const service = c.operator.service[lang];
  const questions = c.contacts.officer.email ?? c.contacts.others.find((o) => o.email)?.email;
  const officer = c.contacts.officer;
  const effective = seoulDayText(next.effectiveDate, lang);
  const lead = durationText(c.policyChange.noticeLead, lang);
  if (lang === 'ko') {
    const where = policyUrl
      ? `${policyUrl}${policyUrl.includes('?') ? '&' : '?'}lang=ko`
      : '서비스의 개인정보 처리방침 페이지(GET /v1/policy)';
    const lines = [
      `${service} 개인정보 처리방침이 변경됩니다.`,
      '',
      `새 버전(${next.version})은 ${effective}(한국 표준시)부터 시행됩니다. 그때까지는 현재 버전(${current.version})이 적용됩니다.`,
      '',
      '변경 내용:',
      next.summary ?? '',
      '',
      `새 방침 전문 보기: ${where}`,
      `모든 변경은 시행 ${lead} 전까지 알려드립니다.`,
      ...(questions ? [`문의: ${questions} (${officer.name.ko}, ${officer.role.ko})`] : []),
    ];
    return {
      subject: `[${service}] ${effective}부터 개인정보 처리방침이 변경됩니다`,
      text: lines.join('\n'),
    };
  }
  const where = policyUrl
    ? `${policyUrl}${policyUrl.includes('?') ? '&' : '?'}lang=en`
    : 'the privacy policy page of the service (GET /v1/policy)';
  const lines = [
    `We are changing the privacy policy of ${service}.`,
    '',
    `Version ${next.version} takes effect on ${effective} (Korea Standard Time). Until then version ${current.version} applies.`,
    '',
    'What changes:',
    next.summary ?? '',
    '',
    `Read the new version in full: ${where}`,
    `We announce every change at least ${lead} before it takes effect.`,
    ...(questions ? [`Questions: ${questions} (${officer.name.en}, ${officer.role.en})`] : []),
  ];
  return {
    subject: `${service}: our privacy policy changes on ${effective}`,
    text: lines.join('\n'),
  };
}

/** Whether the fan-out of `seq` should go on: the version exists and no newer one was published. */
export function stillAnnounced(
  records: readonly PolicyVersionRecord[],
  seq: number,
): PolicyVersionRecord | undefined {
  const record = records.find((r) => r.seq === seq);
  // A newer version's notice reaches every member; an older one's would only confuse.
  if (!record || records.some((r) => r.seq > seq)) return undefined;
  return record;
}

/** How far a version's notices have gone. */
export interface FanOutProgress {
  readonly segments: number;
  readonly segmentsDone: number;
  /** Members queued for a notice so far; the worker's log counts sent and undeliverable ones. */
  readonly membersQueued: number;
}

/** The progress of a fan-out from its segments' items. */
export function fanOutProgress(segments: readonly SegmentRecord[]): FanOutProgress {
  return {
    segments: segments.length,
    segmentsDone: segments.filter((s) => s.done).length,
    membersQueued: segments.reduce((sum, s) => sum + s.queued, 0),
  };
}

/** Where a published version stands. */
export type VersionStatus =
  | 'in-force'
  | 'upcoming'
  | 'past'
  | 'superseded'
  | 'replaced-by-deploy'
  | 'unusable';

/** Where `record` stands among `records` on the day `inForce` was selected for. */
export function versionStatus(
  deployed: Catalogue,
  records: readonly PolicyVersionRecord[],
  inForce: PolicyInForce,
  record: PolicyVersionRecord,
): VersionStatus {
  if (compareVersions(record.version, deployed.policy.version) <= 0) return 'replaced-by-deploy';
  if (isSuperseded(record, records)) return 'superseded';
  if (inForce.unusable.includes(record.version)) return 'unusable';
  if (inForce.current.seq === record.seq) return 'in-force';
  return inForce.upcoming?.seq === record.seq ? 'upcoming' : 'past';
}
