/**
 * Last sign-in (G9): the inactivity clock runs from it. Written at most once per member per
 * Seoul day, so frequent sign-ins cost nothing; a sign-in of someone not (yet) a member is a no-op.
 * A sign-in also cancels a pending inactivity notice or destruction and moves the member to the
 * index bucket of their next notice; only a destruction already under way is past stopping.
 */

import { seoulDay } from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';
import { activeBucket } from '../inactivity/rules';
import { updateProfileIf } from './store';

/** Records a sign-in at `now`; returns whether anything was written. */
export async function recordSignIn(c: Catalogue, memberId: string, now: Date): Promise<boolean> {
  const today = seoulDay(now);
  const written = await updateProfileIf(memberId, {
    update: 'SET lastSignInAt = :at, lastSignInDay = :day, inactiveOn = :bucket REMOVE #inactivity',
    condition:
      'attribute_exists(pk) AND #status = :active AND lastSignInDay <> :day AND (attribute_not_exists(#inactivity) OR #inactivity.#state <> :destroying)',
    names: { '#status': 'status', '#inactivity': 'inactivity', '#state': 'state' },
    values: {
      ':at': now.toISOString(),
      ':day': today,
      ':active': 'active',
      ':bucket': activeBucket(c.inactivity, now),
      ':destroying': 'destroying',
    },
  });
  return written !== undefined;
}
