/**
 * Last sign-in (G9): the inactivity clock runs from it. Written at most once per member per
 * Seoul day, so frequent sign-ins cost nothing; a sign-in of someone not (yet) a member is a no-op.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../adapters/aws-call';
import { documentClient, tableName } from '../adapters/dynamodb';
import { seoulDay } from './clock';
import { profileKey } from './member-store';

/** Records a sign-in at `now`; returns whether anything was written. */
export async function recordSignIn(memberId: string, now: Date): Promise<boolean> {
  const today = seoulDay(now);
  try {
    await awsCall(
      'dynamodb',
      () =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName('members'),
            Key: profileKey(memberId),
            UpdateExpression: 'SET lastSignInAt = :at, lastSignInDay = :day',
            ConditionExpression: 'attribute_exists(pk) AND #status = :active AND lastSignInDay <> :day',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': now.toISOString(), ':day': today, ':active': 'active' },
          }),
        ),
      ['ConditionalCheckFailedException'],
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
