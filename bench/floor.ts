/**
 * The cold-start floor of `npm run bench`: a function that holds only a bare DynamoDB client and
 * does one GetItem. No handler can start faster than this and still read a table.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({ region: 'ap-northeast-2' });

/** Reads one item. */
export const handler = async (event: { table: string; id: string }) =>
  client.send(new GetItemCommand({ TableName: event.table, Key: { pk: { S: event.id } } }));
