/**
 * Creates in an emulator the resources the stack defines, read from model/resources.ts
 * (never a second list), and returns the environment a handler needs to use them. Idempotent:
 * what already exists is kept, so re-running against the same emulator is harmless.
 */

import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type KeySchemaElement,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException as ScheduleNotFound,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  GetConfigurationSetCommand,
  GetEmailIdentityCommand,
  SESv2Client,
  NotFoundException as SesNotFound,
} from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { hasPhotos, PHOTOS_BUCKET_ENV } from '../model/photos';
import {
  ENV,
  type KeyAttribute,
  type KeyDomain,
  keyDomains,
  keyEnv,
  type QueueName,
  SCHEDULE_TIMEZONE,
  type TableDefinition,
  type TableName,
  tableEnv,
  tables,
} from '../model/resources';
import {
  importJob,
  type JobEvent,
  type JobName,
  jobs,
  type QueueDefinition,
  queues,
} from '../model/workloads';
import { isProfileName, loadCatalogue } from '../policy/catalogue';
import { SEOUL_REGION } from '../policy/schema';
import { ensureDemoSilos } from './silos';

/** The only region the product runs in. */
export const REGION = SEOUL_REGION;
/** The account moto reports; only used to build ARNs nothing will ever call. */
export const LOCAL_ACCOUNT = '123456789012';

/** Credentials the emulator accepts and AWS refuses, so a mistake can never reach real AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Physical names of the resources, per profile; the same scheme the CDK stack would use locally. */
export const physicalNames = {
  table: (profile: string, table: TableName) => `${profile}-${table}`,
  keyAlias: (profile: string, domain: KeyDomain) => `alias/privacy-${profile}-${domain}`,
  sender: (profile: string) => `privacy@${profile}.example.com`,
  configurationSet: (profile: string) => `${profile}-privacy`,
  userPool: (profile: string) => `privacy-${profile}`,
  schedule: (profile: string, job: JobName) => `${profile}-${job}`,
  jobFunctionArn: (profile: string, job: JobName) =>
    `arn:aws:lambda:${REGION}:${LOCAL_ACCOUNT}:function:${profile}-${jobs[job].handler}`,
  schedulerRoleArn: (profile: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${profile}-scheduler`,
  queue: (profile: string, queue: QueueName) => `${profile}-${queue}`,
  deadLetterQueue: (profile: string, queue: QueueName) => `${profile}-${queue}-dead-letters`,
  photosBucket: (profile: string) => `${profile}-photos`,
  importsBucket: (profile: string) => `${profile}-imports`,
};

/** SDK client settings pointing at the emulator, never at AWS. */
export function clientConfig(endpoint: string) {
  return { region: REGION, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 };
}

/** What bootstrap created or found, by logical name. */
export interface BootstrapResult {
  /** The environment of a handler: profile, table names, key ids, sender, region, endpoint. */
  readonly env: Record<string, string>;
  readonly tables: Readonly<Record<TableName, string>>;
  readonly keys: Readonly<Record<KeyDomain, string>>;
  readonly schedules: Readonly<Record<JobName, string>>;
  /** The user pool standing in for the stack's: withdrawal deletes accounts from it. */
  readonly userPoolId: string;
  /** Each work queue's URL. */
  readonly queues: Readonly<Record<QueueName, string>>;
  /** The photos bucket, where the profile has photo items. */
  readonly photosBucket?: string;
}

/**
 * The photos bucket as the stack builds it (lib/constructs/photos.ts): versioned, encrypted under
 * the members key, public access blocked. The TLS policy and the lifecycle are the stack's; the
 * infrastructure test checks them on the template.
 */
async function ensurePhotosBucket(s3: S3Client, name: string, keyArn: string): Promise<void> {
  const exists = await s3.send(new HeadBucketCommand({ Bucket: name })).then(
    () => true,
    () => false,
  );
  if (!exists)
    await s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: name,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: name,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
}

function attribute(a: KeyAttribute): AttributeDefinition {
  return { AttributeName: a.name, AttributeType: a.type };
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

/** Every attribute a table's keys and indexes use, each defined once. */
function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const all = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const byName = new Map<string, KeyAttribute>();
  for (const a of all) if (a) byName.set(a.name, a);
  return [...byName.values()].map(attribute);
}

/** A KMS key as handlers (id) and tables (ARN) name it. */
interface LocalKey {
  readonly id: string;
  readonly arn: string;
}

async function ensureKey(kms: KMSClient, profile: string, domain: KeyDomain): Promise<LocalKey> {
  const alias = physicalNames.keyAlias(profile, domain);
  const wanted = keyDomains[domain];
  try {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: alias }));
    if (KeyMetadata?.KeySpec !== wanted.spec || KeyMetadata.KeyUsage !== wanted.usage) {
      throw new Error(
        `${alias} exists as ${KeyMetadata?.KeySpec}/${KeyMetadata?.KeyUsage}, not ${wanted.spec}/${wanted.usage}: use a fresh emulator`,
      );
    }
    return { id: KeyMetadata.KeyId!, arn: KeyMetadata.Arn! };
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({
      KeySpec: wanted.spec,
      KeyUsage: wanted.usage,
      Description: wanted.description,
      Tags: [
        { TagKey: 'profile', TagValue: profile },
        { TagKey: 'domain', TagValue: domain },
      ],
    }),
  );
  const key = { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.id }));
  return key;
}

function sameKeySchema(
  actual: readonly KeySchemaElement[] | undefined,
  expected: KeySchemaElement[],
): boolean {
  const show = (k: readonly KeySchemaElement[]) => k.map((e) => `${e.AttributeName}:${e.KeyType}`).join(',');
  return show(actual ?? []) === show(expected);
}

async function ensureTable(
  ddb: DynamoDBClient,
  name: string,
  table: TableDefinition,
  kmsKeyArn: string,
): Promise<void> {
  const expectedKeys = keySchema(table.partitionKey, table.sortKey);
  try {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    // Keys cannot change in place: a drifted table means the emulator predates resources.ts.
    if (!sameKeySchema(Table?.KeySchema, expectedKeys)) {
      throw new Error(`table ${name} exists with other keys than resources.ts defines: use a fresh emulator`);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await ddb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: expectedKeys,
        ...(table.indexes.length > 0
          ? {
              GlobalSecondaryIndexes: table.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: index.projection },
              })),
            }
          : {}),
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: kmsKeyArn },
        ...(table.stream
          ? { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }
          : {}),
      }),
    );
  }
  if (table.ttlAttribute) {
    const { TimeToLiveDescription } = await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const enabled =
      TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' ||
      TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING';
    // DynamoDB refuses to enable TTL twice; only ask when it is off.
    if (!enabled) {
      await ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      );
    } else if (TimeToLiveDescription?.AttributeName !== table.ttlAttribute) {
      throw new Error(
        `table ${name} expires items on another attribute than resources.ts defines: use a fresh emulator`,
      );
    }
  }
}

async function ensureEmailSender(ses: SESv2Client, sender: string, configurationSet: string) {
  try {
    await ses.send(new GetEmailIdentityCommand({ EmailIdentity: sender }));
  } catch (error) {
    if (!(error instanceof SesNotFound)) throw error;
    // moto verifies a new identity at once (AWS would send a verification mail).
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: sender }));
  }
  try {
    await ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: configurationSet }));
  } catch (error) {
    if (!(error instanceof SesNotFound)) throw error;
    await ses.send(new CreateConfigurationSetCommand({ ConfigurationSetName: configurationSet }));
  }
}

async function ensureUserPool(cognito: CognitoIdentityProviderClient, name: string): Promise<string> {
  for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 })) {
    const found = page.UserPools?.find((pool) => pool.Name === name);
    if (found?.Id) return found.Id;
  }
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: name }));
  return UserPool!.Id!;
}

async function ensureSchedule(scheduler: SchedulerClient, profile: string, job: JobName): Promise<string> {
  const name = physicalNames.schedule(profile, job);
  const input: JobEvent = { job };
  const definition = {
    Name: name,
    Description: jobs[job].description,
    ScheduleExpression: jobs[job].schedule,
    ScheduleExpressionTimezone: SCHEDULE_TIMEZONE,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: {
      // A function that does not exist: moto cannot invoke Lambda, `npm run job` stands in.
      Arn: physicalNames.jobFunctionArn(profile, job),
      RoleArn: physicalNames.schedulerRoleArn(profile),
      Input: JSON.stringify(input),
    },
  };
  try {
    await scheduler.send(new GetScheduleCommand({ Name: name }));
    // Keep an existing schedule in step with resources.ts: the cron may have changed.
    const { ScheduleArn } = await scheduler.send(new UpdateScheduleCommand(definition));
    return ScheduleArn!;
  } catch (error) {
    if (!(error instanceof ScheduleNotFound)) throw error;
  }
  try {
    const { ScheduleArn } = await scheduler.send(new CreateScheduleCommand(definition));
    return ScheduleArn!;
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
    return (await scheduler.send(new GetScheduleCommand({ Name: name }))).Arn!;
  }
}

/** A work queue and its dead-letter queue, with the redrive the CDK stack sets. Idempotent. */
async function ensureQueue(sqs: SQSClient, profile: string, queue: QueueName): Promise<string> {
  const def = queues[queue];
  const dead = await sqs.send(
    new CreateQueueCommand({ QueueName: physicalNames.deadLetterQueue(profile, queue) }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dead.QueueUrl!, AttributeNames: ['QueueArn'] }),
  );
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: physicalNames.queue(profile, queue),
      Attributes: {
        VisibilityTimeout: String(def.workerTimeoutSeconds * 6),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes!.QueueArn,
          maxReceiveCount: def.maxReceiveCount,
        }),
      },
    }),
  );
  return QueueUrl!;
}

/** The bucket the import job reads export objects from. Idempotent. */
async function ensureBucket(s3: S3Client, name: string): Promise<string> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(
      new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }),
    );
  }
  return name;
}

function entries<K extends string, V>(record: Readonly<Record<K, V>>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

/** Creates (or finds) every resource of `profile` at `endpoint`; returns the handler environment. */
export async function bootstrap(options: { profile: string; endpoint: string }): Promise<BootstrapResult> {
  const { profile, endpoint } = options;
  if (!isProfileName(profile)) throw new Error(`unknown profile "${profile}"`);
  const config = clientConfig(endpoint);
  const kms = new KMSClient(config);
  const ddb = new DynamoDBClient(config);
  const ses = new SESv2Client(config);
  const scheduler = new SchedulerClient(config);
  const cognito = new CognitoIdentityProviderClient(config);
  const sqs = new SQSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const events = new EventBridgeClient(config);
  try {
    const keys = {} as Record<KeyDomain, LocalKey>;
    for (const [domain] of entries(keyDomains)) keys[domain] = await ensureKey(kms, profile, domain);

    const tableNames = {} as Record<TableName, string>;
    await Promise.all(
      entries(tables).map(async ([table, definition]) => {
        tableNames[table] = physicalNames.table(profile, table);
        await ensureTable(ddb, tableNames[table], definition, keys[definition.key].arn);
      }),
    );

    const sender = physicalNames.sender(profile);
    const configurationSet = physicalNames.configurationSet(profile);
    await ensureEmailSender(ses, sender, configurationSet);

    const schedules = {} as Record<JobName, string>;
    for (const [job] of entries(jobs)) schedules[job] = await ensureSchedule(scheduler, profile, job);
    const userPoolId = await ensureUserPool(cognito, physicalNames.userPool(profile));

    const queueUrls = {} as Record<QueueName, string>;
    for (const [queue] of entries(queues)) queueUrls[queue] = await ensureQueue(sqs, profile, queue);
    const importsBucket = await ensureBucket(s3, physicalNames.importsBucket(profile));

    const eventBus = await ensureDemoSilos({ ddb, s3, events, sqs }, loadCatalogue(profile));
    const photosBucket = hasPhotos(loadCatalogue(profile)) ? physicalNames.photosBucket(profile) : undefined;
    if (photosBucket) await ensurePhotosBucket(s3, photosBucket, keys.members.arn);

    const env: Record<string, string> = {
      [ENV.profile]: profile,
      ...Object.fromEntries(entries(tables).map(([table]) => [tableEnv(table), tableNames[table]])),
      ...Object.fromEntries(entries(keyDomains).map(([domain]) => [keyEnv(domain), keys[domain].id])),
      [ENV.senderAddress]: sender,
      [ENV.configurationSet]: configurationSet,
      [ENV.userPoolId]: userPoolId,
      [ENV.eventBus]: eventBus,
      ...Object.fromEntries(entries(queues).map(([queue, d]) => [d.env, queueUrls[queue]])),
      ...(photosBucket ? { [PHOTOS_BUCKET_ENV]: photosBucket } : {}),
      // Locally one process is every instance of every worker at once, with one pacer for all its
      // sends: it keeps to a queue's whole rate, as all the deployed instances together do.
      [ENV.sendRate]: String(
        Math.max(...Object.values<QueueDefinition>(queues).map((q) => q.sendsPerSecond ?? 1)),
      ),
      [ENV.importsBucket]: importsBucket,
      [ENV.importRate]: String(importJob.ratePerSecond),
      ...localAwsEnvironment(endpoint),
    };
    const keyIds = Object.fromEntries(entries(keys).map(([domain, key]) => [domain, key.id])) as Record<
      KeyDomain,
      string
    >;
    return {
      env,
      tables: tableNames,
      keys: keyIds,
      schedules,
      userPoolId,
      queues: queueUrls,
      ...(photosBucket ? { photosBucket } : {}),
    };
  } finally {
    for (const client of [kms, ddb, ses, scheduler, cognito, sqs, s3, events]) client.destroy();
    for (const client of [kms, ddb, ses, scheduler, cognito, sqs, s3]) client.destroy();
  }
}

/** The SDK's own variables: Seoul, the emulator, and credentials only the emulator accepts. */
export function localAwsEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    [ENV.endpoint]: endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Variables that could route an SDK client to a real account; removed before handlers load. */
const REAL_AWS_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

/**
 * Sets `env` on this process (handlers read it at import) and removes what could reach real AWS.
 * Returns a function restoring the previous values, for tests.
 */
export function applyEnvironment(env: Readonly<Record<string, string>>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const name of [...Object.keys(env), ...REAL_AWS_VARIABLES]) previous.set(name, process.env[name]);
  for (const name of REAL_AWS_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
