/**
 * How an import is kept: each member's babies and records are items of the member's partition
 * (as their routes write them), and a marker per imported account, written in the member's
 * own transaction, tells a rerun what is already done.
 */
import { membersTable } from '../../../model/members-table';
import { getItem, tableName } from '../../adapters/dynamodb';
import type { TransactItem } from '../members/store';

/** Whether an earlier run imported the account `memberId` (one consistent read). */
export async function wasImported(memberId: string): Promise<boolean> {
  const marker = await getItem({
    TableName: tableName('members'),
    Key: membersTable.imported(memberId),
    ProjectionExpression: 'pk',
    ConsistentRead: true,
  });
  return marker !== undefined;
}

/** The guarded put of the import marker: the account's subject and when, nothing else. */
export function importMarker(memberId: string, importedAt: string): TransactItem {
  return {
    Put: {
      TableName: tableName('members'),
      Item: { ...membersTable.imported(memberId), importedAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The put of an imported baby with its sealed items. */
export function babyPut(
  memberId: string,
  babyId: string,
  sealed: Readonly<Record<string, string>>,
  createdAt: string,
): TransactItem {
  return {
    Put: {
      TableName: tableName('members'),
      Item: { ...membersTable.baby(memberId, babyId), babyId, items: sealed, createdAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The put of an imported service record, its value sealed. */
export function recordPut(
  memberId: string,
  record: { recordId: string; itemId: string; retentionClass: string; createdAt: string; value: string },
): TransactItem {
  return {
    Put: {
      TableName: tableName('members'),
      Item: { ...membersTable.serviceRecord(memberId, record.createdAt, record.recordId), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
