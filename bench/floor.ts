/**
 * The cold-start floor of `npm run bench`: a function that holds only a bare DynamoDB client and
 * does one GetItem. No handler can start faster than this and still read a table.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({ region: process.env.AWS_REGION ?? 'ap-northeast-2' });

/** Reads one item: `key` names the table's key attributes and their string values. */
export const handler = async (event: { table: string; key: Record<string, string> }) =>
  client.send(
    new GetItemCommand({
      TableName: event.table,
      Key: Object.fromEntries(Object.entries(event.key).map(([name, value]) => [name, { S: value }])),
    }),
  );
