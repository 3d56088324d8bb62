/**
 * The DynamoDB document client, built once per process. The region is the catalogue's (Seoul)
 * and never anything else; an emulator is reached only through AWS_ENDPOINT_URL, which the SDK
 * reads itself, so no code path differs between AWS and a local stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { type TableName, tables } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { awsCall, cancelledByCondition } from './aws-call';

/** Document client that drops undefined attributes and never converts unknown classes. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: SEOUL_REGION }), {
  marshallOptions: { removeUndefinedValues: true },
});

/** The physical name of a table, read from its environment variable on first use. */
export function tableName(table: TableName): string {
  return requireEnv(tables[table].env);
}

/**
 * A put guarded by its condition (new ids, claims): false when the condition does not hold, so
 * the caller decides what an existing item means; any other failure fails closed.
 */
export async function putIf(input: PutCommandInput): Promise<boolean> {
  try {
    await awsCall('dynamodb', () => documentClient.send(new PutCommand(input)), [
      'ConditionalCheckFailedException',
    ]);
    return true;
  } catch (error) {
    if (cancelledByCondition(error)) return false;
    throw error;
  }
}
