/**
 * The demo configuration of the operator's data silos in the emulator (issue 15): each DynamoDB
 * silo's table (with its member index), each S3 silo's bucket with versioning on, the stack's
 * event bus, and, standing in for the operator's custom systems, a queue a rule on the bus feeds
 * with the requests to them, where a local system (or a test) reads what it is asked; and the
 * operator's app, a queue a second rule feeds with the lifecycle events (local/lifecycle-events.ts).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LIFECYCLE_EVENT_TYPES, LIFECYCLE_SOURCE } from '../model/lifecycle-events';
import { EVENT_BUS, eventBusName } from '../model/resources';
import type { Catalogue } from '../policy/schema';

/** The local queue receiving the requests put on the bus for custom silos. */
export const customSiloInbox = (profile: string) => `${profile}-custom-silo-requests`;

/** The queue a rule on the bus feeds with every lifecycle event: the operator's app, locally. */
export const lifecycleInbox = (profile: string) => `${profile}-lifecycle-events`;
/** The publisher's failure destination, locally: what failed every retry, by stream position. */
export const outboxDeadLetters = (profile: string) => `${profile}-outbox-dead-letters`;

/** Creates the inbox, the rule feeding it and the dead-letter queue; idempotent. */
export async function ensureLifecycleInbox(
  clients: Pick<SiloClients, 'events' | 'sqs'>,
  profile: string,
  bus: string,
): Promise<void> {
  await clients.sqs.send(new CreateQueueCommand({ QueueName: outboxDeadLetters(profile) }));
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: lifecycleInbox(profile) }));
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  const rule = `${profile}-lifecycle-events`;
  await clients.events.send(
    new PutRuleCommand({
      Name: rule,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: [LIFECYCLE_SOURCE], 'detail-type': LIFECYCLE_EVENT_TYPES }),
    }),
  );
  await clients.events.send(
    new PutTargetsCommand({
      Rule: rule,
      EventBusName: bus,
      Targets: [{ Id: 'app', Arn: Attributes!.QueueArn! }],
    }),
  );
}

/** Clients the demo silos are created with. */
export interface SiloClients {
  readonly ddb: DynamoDBClient;
  readonly s3: S3Client;
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
}

async function ensureSiloTable(
  ddb: DynamoDBClient,
  silo: Extract<Catalogue['silos'][string], { kind: 'dynamodb' }>,
) {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: silo.table }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set([silo.partitionKey, ...(silo.sortKey ? [silo.sortKey] : [])]);
  if (silo.memberIndex) attributes.add(silo.memberIndex.attribute);
  await ddb.send(
    new CreateTableCommand({
      TableName: silo.table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: silo.partitionKey, KeyType: 'HASH' },
        ...(silo.sortKey ? [{ AttributeName: silo.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      ...(silo.memberIndex
        ? {
            GlobalSecondaryIndexes: [
              {
                IndexName: silo.memberIndex.name,
                KeySchema: [{ AttributeName: silo.memberIndex.attribute, KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
          }
        : {}),
    }),
  );
}

async function ensureSiloBucket(s3: S3Client, bucket: string, region: string) {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: region as 'ap-northeast-2' },
      }),
    );
  }
  // Versioned, so erasure must reach every version and delete marker.
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
}

/** Creates the bus, the demo silos of `c` and the custom systems' inbox; returns the bus name. */
export async function ensureDemoSilos(clients: SiloClients, c: Catalogue): Promise<string> {
  const bus = eventBusName(c.profile);
  try {
    await clients.events.send(new DescribeEventBusCommand({ Name: bus }));
  } catch {
    await clients.events.send(new CreateEventBusCommand({ Name: bus }));
  }
  for (const silo of Object.values(c.silos)) {
    if (silo.kind === 'dynamodb') await ensureSiloTable(clients.ddb, silo);
    else if (silo.kind === 's3') await ensureSiloBucket(clients.s3, silo.bucket, c.region);
  }
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: customSiloInbox(c.profile) }),
  );
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  await clients.events.send(
    new PutRuleCommand({
      Name: `${c.profile}-custom-silos`,
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: [EVENT_BUS.source], 'detail-type': ['SiloErasureRequested'] }),
    }),
  );
  await clients.events.send(
    new PutTargetsCommand({
      Rule: `${c.profile}-custom-silos`,
      EventBusName: bus,
      Targets: [{ Id: 'inbox', Arn: Attributes!.QueueArn! }],
    }),
  );
  await ensureLifecycleInbox(clients, c.profile, bus);
  return bus;
}
