import { memberPk, PROFILE_SK } from '../../../model/members-table';
import { type Item, scanPage, tableName } from '../../adapters/dynamodb';
import { updateProfileIf } from '../members/store';
import type { PolicyNoticeState, SegmentRecord } from './rules';

/** Items a page reads at most (profiles and the rest of each partition alike). */
export const SCAN_PAGE_ITEMS = 1_000;

/**
 * One page of a segment's scan of the members table: the members found (a withdrawal under way
 * is not a member to tell) and where the next page starts.
 */
export async function memberPage(
  segment: Pick<SegmentRecord, 'segment' | 'totalSegments' | 'cursor'>,
): Promise<{ memberIds: string[]; next: Item | undefined }> {
  const page = await scanPage({
    TableName: tableName('members'),
    Segment: segment.segment,
    TotalSegments: segment.totalSegments,
    Limit: SCAN_PAGE_ITEMS,
    ExclusiveStartKey: segment.cursor,
    // Member profiles only.
    FilterExpression: 'sk = :profile AND #status <> :withdrawing',
    ProjectionExpression: 'pk',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':profile': PROFILE_SK, ':withdrawing': 'withdrawing' },
  });
  return { memberIds: page.items.map((item) => String(item.pk).slice(memberPk('').length)), next: page.next };
}

/**
 * Claims a member's notice of `claim.seq`: only a notice of a lower sequence, or a claim of the
 * same one taken before `staleBefore` (its delivery died), may be replaced, and never on a
 * withdrawal under way. Answers the state the claim replaced, or undefined when it may not claim.
 */
export async function claimNotice(
  memberId: string,
  claim: Extract<PolicyNoticeState, { state: 'sending' }>,
  staleBefore: string,
): Promise<{ readonly previous: PolicyNoticeState | undefined } | undefined> {
  const old = await updateProfileIf(memberId, {
    update: 'SET #notice = :claim',
    condition:
      'attribute_exists(pk) AND #status <> :withdrawing AND (attribute_not_exists(#notice) OR #notice.#seq < :seq OR (#notice.#seq = :seq AND #notice.#state = :sending AND #notice.#claimedAt < :stale))',
    names: {
      '#notice': 'policyNotice',
      '#status': 'status',
      '#seq': 'seq',
      '#state': 'state',
      '#claimedAt': 'claimedAt',
    },
    values: {
      ':claim': claim,
      ':withdrawing': 'withdrawing',
      ':seq': claim.seq,
      ':sending': 'sending',
      ':stale': staleBefore,
    },
    returnOld: true,
  });
  return old && { previous: old.policyNotice as PolicyNoticeState | undefined };
}

/**
 * Replaces the notice state of attempt `attemptId` with `state` (or removes it), if the claim is
 * still that attempt's: a withdrawal or a newer claim meanwhile leaves nothing to change.
 */
export async function settleNotice(
  memberId: string,
  attemptId: string,
  state: PolicyNoticeState | undefined,
): Promise<void> {
  await updateProfileIf(memberId, {
    update: state ? 'SET #notice = :state' : 'REMOVE #notice',
    condition: '#notice.#attempt = :attempt',
    names: { '#notice': 'policyNotice', '#attempt': 'attemptId' },
    values: { ':attempt': attemptId, ...(state ? { ':state': state } : {}) },
    returnOld: true,
  });
}
