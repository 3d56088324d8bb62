/**
 * Addresses SES reported as permanently bouncing or complaining. Kept as the blind-index MAC of
 * the address (the same keyed HMAC members are looked up by), never the address itself, in the
 * members table under a partition of their own.
 */

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { membersTable } from '../../model/members-table';
import { awsCall } from './aws-call';
import { blindIndex } from './blind-index';
import { documentClient, tableName } from './dynamodb';

/** Why an address is suppressed. */
export type SuppressionReason = 'bounce' | 'complaint';

/** Records `address` (of item `itemId`) as suppressed; repeating it only refreshes the record. */
export async function suppress(
  profile: string,
  itemId: string,
  address: string,
  reason: SuppressionReason,
  at: Date,
): Promise<void> {
  const mac = await blindIndex(profile, itemId, address);
  await awsCall('dynamodb', () =>
    documentClient.send(
      new PutCommand({
        TableName: tableName('members'),
        Item: { ...membersTable.suppression(mac), reason, at: at.toISOString() },
      }),
    ),
  );
}

/**
 * Whether notices to `address` must not be sent. `mac` is the address's blind index when the
 * caller holds it already (a member's lookup item), which spares a KMS call.
 */
export async function isSuppressed(
  profile: string,
  itemId: string,
  address: string,
  mac?: string,
): Promise<boolean> {
  mac ??= await blindIndex(profile, itemId, address);
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({
        TableName: tableName('members'),
        Key: membersTable.suppression(mac),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item !== undefined;
}
