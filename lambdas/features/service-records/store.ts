/** How a service record is kept: an item of the member's partition, sorted by creation time (L10). */
import { membersTable } from '../../../model/members-table';
import { tableName } from '../../adapters/dynamodb';
import { type MemberRecord, profileUpdate, type ServiceRecord, writeTransaction } from '../members/store';

/**
 * Adds a record under the member's partition. The write also moves the profile (read at its
 * revision) on, so a withdrawal that read the member before it fails and is retried, and never
 * leaves the record behind unretained; a concurrent change fails it (409).
 */
export function putServiceRecord(
  profile: MemberRecord,
  record: Omit<ServiceRecord, 'pk' | 'sk'>,
): Promise<void> {
  const { memberId } = profile;
  return writeTransaction([
    profileUpdate(memberId, profile.rev, {}),
    {
      Put: {
        TableName: tableName('members'),
        Item: { ...membersTable.serviceRecord(memberId, record.createdAt, record.recordId), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}
