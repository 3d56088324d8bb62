/**
 * The inactivity engine's persistence: the sparse `inactivity` index of the members table,
 * queried by Seoul day (each of the day's shards, and the day unsharded, as profiles written
 * before the shards carry it), and the conditional transitions of a member's inactivity state. Each
 * transition is one conditional update of the profile; false means its condition no longer
 * held (a sign-in, another delivery, a withdrawal), never a failure.
 */
import { inactivityBucket, memberPk } from '../../../model/members-table';
import { INACTIVITY_INDEX } from '../../../model/resources';
import { queryIndex } from '../../adapters/dynamodb';
import { updateProfileIf } from '../members/store';
import type { InactivityState, NoticedState } from './rules';

/** The ids of the members in one bucket of the index: a day's shard, or a bare day written before the shards. */
export async function membersIn(bucket: string): Promise<string[]> {
  const items = await queryIndex('members', INACTIVITY_INDEX, bucket);
  return items.map((item) => String(item.pk).slice(memberPk('').length));
}

/**
 * A conditional update of the profile; false when the condition no longer holds. It names
 * exactly the attributes its expressions use, as DynamoDB requires.
 */
async function transition(
  memberId: string,
  update: string,
  condition: string,
  values: Record<string, unknown>,
): Promise<boolean> {
  // The profile attributes the transitions name, by their placeholder.
  const attributes: Readonly<Record<string, string>> = {
    '#inactivity': 'inactivity',
    '#state': 'state',
    '#attempt': 'attemptId',
    '#held': 'heldUntil',
    '#status': 'status',
    '#bucket': INACTIVITY_INDEX.partitionKey.name,
  };
  const used = `${update} ${condition}`.match(/#\w+/g) ?? [];
  const names = Object.fromEntries(used.map((name) => [name, attributes[name]!]));
  return (await updateProfileIf(memberId, { update, condition, names, values })) !== undefined;
}

/** A notice attempt, as its claim records it. */
export type NoticeClaim = Extract<InactivityState, { readonly state: 'notifying' }> & {
  readonly heldUntil: number;
};

/**
 * Claims a notice attempt for a member still signed in last at `seen` and not withdrawing: when
 * no attempt exists, or the one that does is no longer held at `wallNow`. The claim moves the
 * member to the bucket of `today`, so a crash before the record is retried.
 */
export function claimNotice(
  memberId: string,
  seen: string,
  claim: NoticeClaim,
  today: string,
  wallNow: number,
): Promise<boolean> {
  return transition(
    memberId,
    'SET #inactivity = :claim, #bucket = :today',
    'lastSignInAt = :seen AND #status <> :withdrawing AND (attribute_not_exists(#inactivity) OR ' +
      '(#inactivity.#state = :notifying AND (attribute_not_exists(#inactivity.#held) OR #inactivity.#held < :wall)))',
    {
      ':claim': claim,
      ':today': inactivityBucket(today, memberId),
      ':seen': seen,
      ':withdrawing': 'withdrawing',
      ':notifying': 'notifying',
      ':wall': wallNow,
    },
  );
}

/** Gives back the notice attempt `attemptId`, if it is still the one under way. */
export function releaseNotice(memberId: string, attemptId: string): Promise<boolean> {
  return transition(
    memberId,
    'REMOVE #inactivity',
    '#inactivity.#state = :notifying AND #inactivity.#attempt = :attempt',
    { ':notifying': 'notifying', ':attempt': attemptId },
  );
}

/**
 * Records the outcome of the notice attempt it names and moves the member to the bucket of
 * `destroyDay`; false when the attempt is no longer on the profile (a sign-in removed it).
 */
export function recordNotice(memberId: string, notified: NoticedState, destroyDay: string): Promise<boolean> {
  return transition(
    memberId,
    'SET #inactivity = :notified, #bucket = :destroyDay',
    '#inactivity.#attempt = :attempt',
    {
      ':notified': notified,
      ':destroyDay': inactivityBucket(destroyDay, memberId),
      ':attempt': notified.attemptId,
    },
  );
}

/**
 * Marks a noticed member for destruction, if they were still signed in last at `seen` and the
 * notice on record is `attemptId`; the member moves to the bucket of `today` so a crash resumes.
 */
export function markDestroying(
  memberId: string,
  seen: string,
  attemptId: string,
  today: string,
): Promise<boolean> {
  return transition(
    memberId,
    'SET #inactivity.#state = :destroying, #bucket = :today',
    'lastSignInAt = :seen AND #inactivity.#state = :notified AND #inactivity.#attempt = :attempt',
    {
      ':destroying': 'destroying',
      ':today': inactivityBucket(today, memberId),
      ':seen': seen,
      ':notified': 'notified',
      ':attempt': attemptId,
    },
  );
}

/**
 * Moves a member whose step is not due yet to the bucket of the day it is (a published version
 * changed the period since the bucket was set), if they were still signed in last at `seen` and
 * their inactivity state is still the one read (`attemptId`, or none).
 */
export function moveBucket(
  memberId: string,
  seen: string,
  attemptId: string | undefined,
  day: string,
): Promise<boolean> {
  return transition(
    memberId,
    'SET #bucket = :day',
    attemptId === undefined
      ? 'lastSignInAt = :seen AND #status <> :withdrawing AND attribute_not_exists(#inactivity)'
      : 'lastSignInAt = :seen AND #status <> :withdrawing AND #inactivity.#attempt = :attempt',
    {
      ':day': inactivityBucket(day, memberId),
      ':seen': seen,
      ':withdrawing': 'withdrawing',
      ...(attemptId === undefined ? {} : { ':attempt': attemptId }),
    },
  );
}
