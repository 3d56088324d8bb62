/**
 * The emulator the local stack and the tests start (local/emulator.ts) changes how moto finds
 * items and messages, never what it answers: the same requests, sent to it and to moto's own
 * server, get the same answers. Queries of a partition and of an index, forwards and backwards,
 * in pages; scans in pages; a string and a number sort key; a table without one; items of every
 * attribute type, read and written by every kind of request that answers with items; and a queue's
 * sends, receives and counts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactGetItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../local/bootstrap';
import { type Emulator, freePort, startMoto, waitUntilAnswering } from '../../local/emulator';

/** Partitions of each table, and items in each. */
const PARTITIONS = 12;
const PER_PARTITION = 9;

interface Server {
  readonly db: DynamoDBClient;
  readonly sqs: SQSClient;
}

let ours: Emulator;
let plain: ChildProcess;
const servers: Server[] = [];

/** moto's own server, unchanged, on a free port. */
async function startPlainMoto(): Promise<string> {
  const port = await freePort();
  plain = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(endpoint);
  return endpoint;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/** The same tables and items on a server: string and number sort keys, an index, and no sort key. */
async function seed({ db }: Server): Promise<void> {
  const keys = (hash: string, range?: { name: string; type: 'S' | 'N' }) => ({
    AttributeDefinitions: [
      { AttributeName: hash, AttributeType: 'S' as const },
      ...(range ? [{ AttributeName: range.name, AttributeType: range.type }] : []),
    ],
    KeySchema: [
      { AttributeName: hash, KeyType: 'HASH' as const },
      ...(range ? [{ AttributeName: range.name, KeyType: 'RANGE' as const }] : []),
    ],
  });
  const strings = keys('pk', { name: 'sk', type: 'S' });
  await db.send(
    new CreateTableCommand({
      TableName: 'strings',
      BillingMode: 'PAY_PER_REQUEST',
      ...strings,
      AttributeDefinitions: [...strings.AttributeDefinitions, { AttributeName: 'day', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byDay',
          KeySchema: [
            { AttributeName: 'day', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await db.send(
    new CreateTableCommand({
      TableName: 'numbers',
      BillingMode: 'PAY_PER_REQUEST',
      ...keys('pk', { name: 'seq', type: 'N' }),
    }),
  );
  await db.send(
    new CreateTableCommand({ TableName: 'single', BillingMode: 'PAY_PER_REQUEST', ...keys('pk') }),
  );
  for (let p = 0; p < PARTITIONS; p++) {
    // Keys written out of order, so no answer can owe its order to the order of the writes.
    const order = Array.from({ length: PER_PARTITION }, (_, i) => (i * 5 + p) % PER_PARTITION);
    const put = (table: string, items: Record<string, AttributeValue>[]) =>
      db.send(
        new BatchWriteItemCommand({
          RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    await put(
      'strings',
      order.map((i) => ({
        pk: s(`M#${(p * 7) % PARTITIONS}`),
        sk: s(`${['A', 'B', 'a', '가'][i % 4]}#${i}`),
        ...(i % 3 === 0 ? { day: s(`D#${i % 2}`) } : {}),
        v: s('x'.repeat(40 * i)),
      })),
    );
    await put(
      'numbers',
      order.map((i) => ({ pk: s(`M#${p}`), seq: n(i % 2 === 0 ? i * 10 : -i / 4) })),
    );
    await put('single', [{ pk: s(`K#${(p * 5) % PARTITIONS}`), v: n(p) }]);
  }
}

/** Every page of a query or scan: the items and the key each page ended at. */
async function pages(
  { db }: Server,
  input: (QueryCommandInput | ScanCommandInput) & { kind: 'query' | 'scan' },
): Promise<unknown[]> {
  const { kind, ...rest } = input;
  const out: unknown[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(
      kind === 'query'
        ? new QueryCommand({ ...(rest as QueryCommandInput), ExclusiveStartKey: start })
        : new ScanCommand({ ...(rest as ScanCommandInput), ExclusiveStartKey: start }),
    );
    out.push({
      items: page.Items,
      count: page.Count,
      scanned: page.ScannedCount,
      last: page.LastEvaluatedKey,
    });
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

beforeAll(async () => {
  ours = await startMoto();
  for (const endpoint of [ours.endpoint, await startPlainMoto()]) {
    const server = {
      db: new DynamoDBClient(clientConfig(endpoint)),
      sqs: new SQSClient(clientConfig(endpoint)),
    };
    servers.push(server);
    await seed(server);
  }
}, 60_000);
afterAll(async () => {
  for (const { db, sqs } of servers) {
    db.destroy();
    sqs.destroy();
  }
  if (plain?.pid) process.kill(-plain.pid, 'SIGTERM');
  await ours?.stop();
});

/** The answers of both servers to the same reads. */
async function both(input: Parameters<typeof pages>[1]): Promise<[unknown[], unknown[]]> {
  return [await pages(servers[0]!, input), await pages(servers[1]!, input)];
}

describe('the emulator answers as moto does', () => {
  type Read = Parameters<typeof pages>[1];
  /** A query of one partition of `table`. */
  const partition = (table: string, key: string, extra: Partial<QueryCommandInput> = {}): Read => ({
    kind: 'query',
    TableName: table,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': s(key) },
    ...extra,
  });
  /** A query of the `byDay` index for one day. */
  const day = (value: string, extra: Partial<QueryCommandInput> = {}): Read => ({
    kind: 'query',
    TableName: 'strings',
    IndexName: 'byDay',
    KeyConditionExpression: '#d = :d',
    ExpressionAttributeNames: { '#d': 'day' },
    ExpressionAttributeValues: { ':d': s(value) },
    ...extra,
  });
  const reads: [string, Read][] = [
    ['a partition', partition('strings', 'M#5')],
    [
      'a partition backwards, in pages of 2',
      partition('strings', 'M#5', { ScanIndexForward: false, Limit: 2 }),
    ],
    [
      'a partition by a sort-key prefix, filtered',
      partition('strings', 'M#7', {
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
        FilterExpression: 'attribute_exists(#d)',
        ExpressionAttributeNames: { '#d': 'day' },
        ExpressionAttributeValues: { ':p': s('M#7'), ':a': s('A') },
      }),
    ],
    [
      'a number sort key, in a range, in pages of 3',
      partition('numbers', 'M#3', {
        KeyConditionExpression: 'pk = :p AND seq BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':p': s('M#3'), ':lo': n(-1.5), ':hi': n(60) },
        Limit: 3,
      }),
    ],
    ['a table without a sort key', partition('single', 'K#5')],
    ['an index, in pages of 4', day('D#0', { Limit: 4 })],
    ['an index backwards', day('D#1', { ScanIndexForward: false })],
    ['every item of a table, in pages of 7', { kind: 'scan', TableName: 'strings', Limit: 7 }],
    ['every item of a number-keyed table', { kind: 'scan', TableName: 'numbers' }],
    [
      'every item of a table without a sort key, in pages of 5',
      { kind: 'scan', TableName: 'single', Limit: 5 },
    ],
  ];

  it.each(reads)('%s', async (_, read) => {
    const [changed, unchanged] = await both(read);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed).toEqual(unchanged);
  });

  it('a partition that holds nothing', async () => {
    const [changed, unchanged] = await both(partition('strings', 'M#none'));
    expect(changed).toEqual([{ items: [], count: 0, scanned: 0, last: undefined }]);
    expect(changed).toEqual(unchanged);
  });

  it('items of every attribute type, as each kind of request answers them', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    // Every type, nested, with empty values, Hangul and bytes that are not text.
    const everyType = (id: string): Record<string, AttributeValue> => ({
      pk: s(id),
      sk: s('A#1'),
      text: s('이름 name'),
      empty: s(''),
      count: n(-12.5),
      blob: { B: new Uint8Array([0, 255, 128, 10]) },
      strings: { SS: ['b', 'a', '가'] },
      numbers: { NS: ['1', '2.5', '-3'] },
      blobs: { BS: [bytes('one'), new Uint8Array([254, 0])] },
      flag: { BOOL: false },
      nothing: { NULL: true },
      list: { L: [s('x'), n(1), { L: [] }, { M: {} }, { BOOL: true }, { B: bytes('b') }] },
      map: { M: { inner: { M: { deep: { L: [{ SS: ['z'] }, { NULL: true }] } } }, n: n(0) } },
    });
    const answers = [];
    for (const server of servers) {
      const { db } = server;
      const strip = <T extends { $metadata?: unknown }>({ $metadata: _, ...rest }: T) => rest;
      const key = (id: string) => ({ pk: s(id), sk: s('A#1') });
      const got = [];
      got.push(strip(await db.send(new PutItemCommand({ TableName: 'strings', Item: everyType('T#1') }))));
      got.push(
        strip(
          await db.send(
            new PutItemCommand({ TableName: 'strings', Item: everyType('T#1'), ReturnValues: 'ALL_OLD' }),
          ),
        ),
      );
      await db.send(new PutItemCommand({ TableName: 'strings', Item: everyType('T#2') }));
      got.push(strip(await db.send(new GetItemCommand({ TableName: 'strings', Key: key('T#1') }))));
      got.push(await pages(server, partition('strings', 'T#1')));
      got.push(
        strip(
          await db.send(
            new BatchGetItemCommand({ RequestItems: { strings: { Keys: [key('T#1'), key('T#2')] } } }),
          ),
        ),
      );
      got.push(
        strip(
          await db.send(
            new TransactGetItemsCommand({
              TransactItems: [{ Get: { TableName: 'strings', Key: key('T#2') } }],
            }),
          ),
        ),
      );
      for (const ReturnValues of ['ALL_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const) {
        got.push(
          strip(
            await db.send(
              new UpdateItemCommand({
                TableName: 'strings',
                Key: key('T#2'),
                UpdateExpression: 'SET #m.#n = :v, #l = list_append(#l, :more)',
                ExpressionAttributeNames: { '#m': 'map', '#n': 'n', '#l': 'list' },
                ExpressionAttributeValues: { ':v': n(7), ':more': { L: [{ BS: [bytes('c')] }] } },
                ReturnValues,
              }),
            ),
          ),
        );
      }
      // A failed condition answers with the item as it stands.
      const refused = await db
        .send(
          new PutItemCommand({
            TableName: 'strings',
            Item: key('T#2'),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        .catch((e: { name: string; Item?: unknown }) => ({ name: e.name, item: e.Item }));
      got.push(refused);
      got.push(
        strip(
          await db.send(
            new DeleteItemCommand({ TableName: 'strings', Key: key('T#2'), ReturnValues: 'ALL_OLD' }),
          ),
        ),
      );
      answers.push(got);
    }
    expect(answers[0]![2]).toMatchObject({ Item: everyType('T#1') });
    expect(answers[0]!.at(-2)).toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(answers[0]).toEqual(answers[1]);
  });

  it("a queue's sends, receives and counts", async () => {
    const answers = [];
    for (const { sqs } of servers) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work' }));
      for (let batch = 0; batch < 3; batch++) {
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: Array.from({ length: 10 }, (_, i) => ({
              Id: String(i),
              MessageBody: `m${batch * 10 + i}`,
            })),
          }),
        );
      }
      const received = [];
      for (let round = 0; round < 4; round++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
        );
        received.push(Messages.map((m) => m.Body));
      }
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      answers.push({ received, Attributes });
    }
    expect(answers[0]!.received.flat()).toHaveLength(30);
    expect(answers[0]).toEqual(answers[1]);
  });
});
