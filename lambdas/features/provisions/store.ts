import { membersTable } from '../../../model/members-table';
import { putIf, tableName, updateItem } from '../../adapters/dynamodb';
import { type CorrectionNoticeRecord, type ProvisionRecord, writeTransaction } from '../members/store';

/**
 * Writes a provision if the member's profile is still at revision `rev` (not withdrawn,
 * restricted or changed meanwhile); a change meanwhile is 409.
 */
export function saveProvision(memberId: string, rev: number, record: ProvisionRecord): Promise<void> {
  const members = tableName('members');
  return writeTransaction([
    {
      ConditionCheck: {
        TableName: members,
        Key: membersTable.profile(memberId),
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': rev },
      },
    },
    { Put: { TableName: members, Item: record, ConditionExpression: 'attribute_not_exists(sk)' } },
  ]);
}

/**
 * Claims a correction notice as sent, so concurrent or repeated runs send it once; false when it
 * is claimed or sent already. A notice left pending by a failed email may be claimed again.
 */
export function claimCorrectionNotice(notice: CorrectionNoticeRecord): Promise<boolean> {
  return putIf({
    TableName: tableName('members'),
    Item: notice,
    ConditionExpression: 'attribute_not_exists(sk) OR #status = :pending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pending': 'pending' },
  });
}

/** Puts a claimed notice whose email failed back to pending; fails when its claim changed meanwhile. */
export async function returnNoticeToPending(notice: CorrectionNoticeRecord): Promise<void> {
  await updateItem({
    TableName: tableName('members'),
    Key: { pk: notice.pk, sk: notice.sk },
    UpdateExpression: 'SET #status = :pending REMOVE sentAt',
    ConditionExpression: '#status = :sent AND sentAt = :at',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pending': 'pending', ':sent': 'sent', ':at': notice.sentAt },
  });
}
