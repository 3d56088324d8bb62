/**
 * Last sign-in (G9): the inactivity clock runs from it. Written at most once per member per
 * Seoul day, so frequent sign-ins cost nothing; a sign-in of someone not (yet) a member is a no-op.
 * A sign-in also cancels a pending inactivity notice or destruction and moves the member to the
 * index bucket of their next notice; only a destruction already under way is past stopping.
 */

import { seoulDay } from '../../../model/calendar';
import { inactivityBucket } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { activeBucket } from '../inactivity/rules';
import { markSignedIn } from './store';

/** Records a sign-in at `now`; returns whether anything was written. */
export function recordSignIn(c: Catalogue, memberId: string, now: Date): Promise<boolean> {
  const bucket = inactivityBucket(activeBucket(c.inactivity, now), memberId);
  return markSignedIn(memberId, now.toISOString(), seoulDay(now), bucket);
}
