/**
 * Starting and resuming the notice fan-out of a policy version (L18): the messages that drive it,
 * queued by the publish route and by the daily job. The worker's steps are in notices.ts.
 */
import type { Catalogue } from '../../../policy/schema';
import { compareVersions } from '../../../policy/versions';
import { enqueue } from '../../adapters/queue';
import { listVersionRecords, segmentsOf } from './store';

/** A message of the policy-notices queue: ids and a clock only, never personal data. */
export type NoticeMessage =
  | { readonly kind: 'segment'; readonly seq: number; readonly segment: number; readonly now: string }
  | { readonly kind: 'member'; readonly seq: number; readonly memberId: string; readonly now: string };

/** Queues the next page of each of `segments` of version `seq`. */
export async function queueSegments(seq: number, segments: readonly number[], now: Date): Promise<number> {
  const at = now.toISOString();
  return enqueue(
    'policyNotices',
    segments.map((segment) =>
      JSON.stringify({ kind: 'segment', seq, segment, now: at } satisfies NoticeMessage),
    ),
  );
}

/**
 * Queues the notice of version `seq` to one member (L18): a member who joins while it is
 * announced, whom the fan-out may have passed already. The worker's claim makes it one notice
 * whichever message arrives first.
 */
export async function queueMemberNotice(seq: number, memberId: string, now: Date): Promise<void> {
  await enqueue('policyNotices', [
    JSON.stringify({ kind: 'member', seq, memberId, now: now.toISOString() } satisfies NoticeMessage),
  ]);
}

/** Counts of one run of the daily job. */
export interface ResumeCounts {
  /** 1 when the latest version's fan-out is unfinished, else 0. */
  readonly versions: number;
  readonly segmentsResumed: number;
}

/**
 * The daily job: queues the next page of every unfinished segment of the latest version. A
 * segment whose chain is still alive is queued twice: the two deliveries race for its step.
 */
export async function resumeFanOuts(deployed: Catalogue, now: Date): Promise<ResumeCounts> {
  const records = await listVersionRecords();
  const latest = records.at(-1);
  if (!latest || compareVersions(latest.version, deployed.policy.version) <= 0) {
    return { versions: 0, segmentsResumed: 0 };
  }
  const open = (await segmentsOf(latest.seq)).filter((s) => !s.done).map((s) => s.segment);
  if (open.length === 0) return { versions: 0, segmentsResumed: 0 };
  await queueSegments(latest.seq, open, now);
  return { versions: 1, segmentsResumed: open.length };
}
