/**
 * The synthesized template's resources, each tied to the emulator resource built from the same
 * entry of the resource model (model/resources.ts, model/workloads.ts): the table whose keys and
 * indexes it declares, the key of the domain it describes, the work queue whose variable names
 * it. Template resources the model does not describe (the operations key, dead-letter queues of
 * jobs, the SES domain identity) are created in the emulator here, so that every `Ref` and
 * `Fn::GetAtt` a function's environment or role policy holds resolves to something real.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  type BootstrapResult,
  clientConfig,
  LOCAL_ACCOUNT,
  physicalNames,
  REGION,
} from '../../local/bootstrap';
import {
  ENV,
  type KeyDomain,
  keyDomains,
  type TableDefinition,
  type TableName,
  tables,
} from '../../model/resources';
import { type QueueDefinition, queues } from '../../model/workloads';

/** A value of the template: CloudFormation JSON has no useful static type. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is walked, not typed
type Cfn = any;

/** A template as JSON: its resources by logical id. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Cfn }>>;
}

/** What a logical id stands for in the emulator. */
export interface EmulatorResource {
  /** The template's resource type, e.g. `AWS::DynamoDB::GlobalTable`. */
  readonly type: string;
  /**
   * The model entry it is built from, e.g. `table:members`, `key:blindIndex`, `queue:inactivity`,
   * `deadLetterQueue:inactivity`, `userPool`, `configurationSet`; `extra` when the model does not
   * describe it (then the emulator resource was created for the template).
   */
  readonly model: string;
  /** What `Ref` resolves to: a table or queue name's physical form, a queue URL, a key id, an id. */
  readonly ref: string;
  /** The emulator ARN (account 123456789012, ap-northeast-2). */
  readonly arn: string;
  /** What `Fn::GetAtt` resolves to, by attribute name (`Arn` always). */
  readonly attrs: Readonly<Record<string, string>>;
}

/** Logical id → emulator resource. */
export type ResourceMap = ReadonlyMap<string, EmulatorResource>;

const arnOf = (service: string, resource: string) =>
  `arn:aws:${service}:${REGION}:${LOCAL_ACCOUNT}:${resource}`;

function entries<K extends string, V>(record: Readonly<Record<K, V>>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

/** The key and index shape of a table, as both the template and the model can state it. */
function tableShape(
  keys: readonly { AttributeName: string; KeyType: string }[],
  indexes: string[],
  ttl?: string,
) {
  return JSON.stringify({
    keys: keys.map((k) => `${k.AttributeName}:${k.KeyType}`),
    indexes: indexes.sort(),
    ttl,
  });
}

/** The model table a template table is built from, by its keys, index names and TTL attribute. */
function modelTableOf(props: Cfn): TableName | undefined {
  const shape = tableShape(
    props.KeySchema ?? [],
    (props.GlobalSecondaryIndexes ?? []).map((i: Cfn) => i.IndexName),
    props.TimeToLiveSpecification?.Enabled ? props.TimeToLiveSpecification.AttributeName : undefined,
  );
  const found = entries(tables as Readonly<Record<TableName, TableDefinition>>).filter(([, def]) => {
    const keys = [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
    ];
    const ttl = def.ttlAttribute;
    return (
      tableShape(
        keys,
        def.indexes.map((i) => i.name),
        ttl,
      ) === shape
    );
  });
  return found.length === 1 ? found[0]![0] : undefined;
}

/** `{ Ref: id }` or `{ 'Fn::GetAtt': [id, …] }` → id. */
function referencedId(value: Cfn): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

/** Options of {@link emulatorResources}. */
export interface EmulatorResourcesOptions {
  readonly profile: string;
  /** The emulator the bootstrap ran against (extras are created there). */
  readonly endpoint: string;
}

/**
 * Maps every logical id of `template` that stands for a table, key, queue, user pool, SES
 * configuration set or identity, SNS topic, REST API and stage, Lambda function or IAM role to
 * its emulator resource. Tables, keys, work queues and their dead-letter queues, the user pool
 * and the configuration set are bootstrap's (`boot`); the others are created or named here.
 * Throws when a model resource has no counterpart in the template or two template resources
 * claim one model entry.
 */
export async function emulatorResources(
  template: TemplateJson,
  boot: BootstrapResult,
  options: EmulatorResourcesOptions,
): Promise<Map<string, EmulatorResource>> {
  const { profile } = options;
  const config = clientConfig(options.endpoint);
  const kms = new KMSClient(config);
  const sqs = new SQSClient(config);
  const ses = new SESv2Client(config);
  const ddb = new DynamoDBClient(config);
  const map = new Map<string, EmulatorResource>();
  const claimed = new Map<string, string>();
  const claim = (model: string, id: string) => {
    const other = claimed.get(model);
    if (other) throw new Error(`template resources ${other} and ${id} are both built from ${model}`);
    claimed.set(model, id);
  };
  const queueArn = async (url: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes!.QueueArn!;
  const queueResource = async (type: string, model: string, url: string): Promise<EmulatorResource> => {
    const arn = await queueArn(url);
    return {
      type,
      model,
      ref: url,
      arn,
      attrs: { Arn: arn, QueueUrl: url, QueueName: arn.split(':').pop()! },
    };
  };

  // Work queues are named by the variable that carries their URL (queues[name].env).
  const workQueueOf = new Map<string, string>();
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    for (const [variable, value] of Object.entries<Cfn>(r.Properties?.Environment?.Variables ?? {})) {
      const queue = entries(queues).find(([, q]: [string, QueueDefinition]) => q.env === variable)?.[0];
      const id = referencedId(value);
      if (queue && id) workQueueOf.set(id, queue);
    }
  }
  // The imports bucket is the one the import job's IMPORTS_BUCKET names.
  const importsBucketIds = new Set<string>();
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const id = referencedId(r.Properties?.Environment?.Variables?.[ENV.importsBucket]);
    if (id) importsBucketIds.add(id);
  }
  const deadLetterOf = new Map<string, string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    const queue = workQueueOf.get(id);
    const target = referencedId(r.Properties?.RedrivePolicy?.deadLetterTargetArn);
    if (queue && target) deadLetterOf.set(target, queue);
  }

  try {
    for (const [id, r] of Object.entries(template.Resources)) {
      const props = r.Properties ?? {};
      switch (r.Type) {
        case 'AWS::DynamoDB::GlobalTable':
        case 'AWS::DynamoDB::Table': {
          const table = modelTableOf(props);
          if (!table) throw new Error(`table ${id} matches no table of model/resources.ts`);
          claim(`table:${table}`, id);
          const name = boot.tables[table];
          const arn = arnOf('dynamodb', `table/${name}`);
          // A streamed table's stream, as the emulator labelled it when bootstrap created the table.
          const streamArn = (tables[table] as TableDefinition).stream
            ? (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table?.LatestStreamArn
            : undefined;
          map.set(id, {
            type: r.Type,
            model: `table:${table}`,
            ref: name,
            arn,
            attrs: { Arn: arn, ...(streamArn ? { StreamArn: streamArn } : {}) },
          });
          break;
        }
        case 'AWS::KMS::Key': {
          const domain = entries(keyDomains).find(([, d]) => d.description === props.Description)?.[0] as
            | KeyDomain
            | undefined;
          let keyId: string;
          if (domain) {
            claim(`key:${domain}`, id);
            keyId = boot.keys[domain];
          } else {
            const made = await kms.send(
              new CreateKeyCommand({
                ...(props.KeySpec ? { KeySpec: props.KeySpec } : {}),
                ...(props.KeyUsage ? { KeyUsage: props.KeyUsage } : {}),
                Description: props.Description,
              }),
            );
            keyId = made.KeyMetadata!.KeyId!;
          }
          const arn = arnOf('kms', `key/${keyId}`);
          map.set(id, {
            type: r.Type,
            model: domain ? `key:${domain}` : 'extra',
            ref: keyId,
            arn,
            attrs: { Arn: arn, KeyId: keyId },
          });
          break;
        }
        case 'AWS::SQS::Queue': {
          const work = workQueueOf.get(id);
          const dead = deadLetterOf.get(id);
          if (work) {
            claim(`queue:${work}`, id);
            map.set(
              id,
              await queueResource(r.Type, `queue:${work}`, boot.queues[work as keyof typeof queues]),
            );
          } else if (dead) {
            claim(`deadLetterQueue:${dead}`, id);
            const url = boot.queues[dead as keyof typeof queues].replace(
              /[^/]+$/,
              physicalNames.deadLetterQueue(profile, dead as keyof typeof queues),
            );
            map.set(id, await queueResource(r.Type, `deadLetterQueue:${dead}`, url));
          } else {
            const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${profile}-${id}` }));
            map.set(id, await queueResource(r.Type, 'extra', QueueUrl!));
          }
          break;
        }
        case 'AWS::Events::EventBus': {
          // Bootstrap created the bus (and the demo silos it asks custom systems on) by this name.
          claim('eventBus', id);
          const name = boot.env[ENV.eventBus]!;
          if (props.Name !== name)
            throw new Error(`event bus ${id} is named ${props.Name}, the emulator's is ${name}`);
          const arn = arnOf('events', `event-bus/${name}`);
          map.set(id, { type: r.Type, model: 'eventBus', ref: name, arn, attrs: { Arn: arn, Name: name } });
          break;
        }
        case 'AWS::Cognito::UserPool': {
          claim('userPool', id);
          if (props.UserPoolName !== undefined && props.UserPoolName !== physicalNames.userPool(profile)) {
            throw new Error(
              `user pool ${id} is named ${props.UserPoolName}, the emulator's is ${physicalNames.userPool(profile)}`,
            );
          }
          const arn = arnOf('cognito-idp', `userpool/${boot.userPoolId}`);
          map.set(id, {
            type: r.Type,
            model: 'userPool',
            ref: boot.userPoolId,
            arn,
            attrs: { Arn: arn, ProviderName: `cognito-idp.${REGION}.amazonaws.com/${boot.userPoolId}` },
          });
          break;
        }
        case 'AWS::SES::ConfigurationSet': {
          claim('configurationSet', id);
          const name = boot.env[ENV.configurationSet]!;
          const arn = arnOf('ses', `configuration-set/${name}`);
          map.set(id, { type: r.Type, model: 'configurationSet', ref: name, arn, attrs: { Arn: arn } });
          break;
        }
        case 'AWS::SES::EmailIdentity': {
          const identity = String(props.EmailIdentity);
          try {
            await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: identity }));
          } catch (error) {
            if ((error as Error).name !== 'AlreadyExistsException') throw error;
          }
          const arn = arnOf('ses', `identity/${identity}`);
          map.set(id, { type: r.Type, model: 'extra', ref: identity, arn, attrs: { Arn: arn } });
          break;
        }
        case 'AWS::SNS::Topic': {
          // No function calls SNS: the topic is named, not created.
          const arn = arnOf('sns', `${profile}-${id}`);
          map.set(id, {
            type: r.Type,
            model: 'extra',
            ref: arn,
            arn,
            attrs: { TopicArn: arn, TopicName: `${profile}-${id}` },
          });
          break;
        }
        case 'AWS::ApiGateway::RestApi': {
          const apiId = `${profile}api`;
          const arn = `arn:aws:apigateway:${REGION}::/restapis/${apiId}`;
          map.set(id, {
            type: r.Type,
            model: 'extra',
            ref: apiId,
            arn,
            attrs: { RestApiId: apiId, RootResourceId: 'root' },
          });
          break;
        }
        case 'AWS::ApiGateway::Stage': {
          const stage = String(props.StageName ?? 'prod');
          map.set(id, { type: r.Type, model: 'extra', ref: stage, arn: stage, attrs: {} });
          break;
        }
        case 'AWS::S3::Bucket': {
          if (importsBucketIds.has(id)) {
            claim('importsBucket', id);
            const name = boot.env[ENV.importsBucket]!;
            const arn = `arn:aws:s3:::${name}`;
            map.set(id, { type: r.Type, model: 'importsBucket', ref: name, arn, attrs: { Arn: arn } });
            break;
          }
          // The photos bucket, where the profile has one (bootstrap creates it).
          claim('photosBucket', id);
          if (!boot.photosBucket) throw new Error(`bucket ${id}: the emulator has no photos bucket`);
          const arn = `arn:aws:s3:::${boot.photosBucket}`;
          map.set(id, {
            type: r.Type,
            model: 'photosBucket',
            ref: boot.photosBucket,
            arn,
            attrs: { Arn: arn },
          });
          break;
        }
        case 'AWS::Lambda::Function': {
          const name = `${profile}-${id}`;
          const arn = arnOf('lambda', `function:${name}`);
          map.set(id, { type: r.Type, model: 'extra', ref: name, arn, attrs: { Arn: arn } });
          break;
        }
        case 'AWS::IAM::Role': {
          const name = `${profile}-${id}`;
          const arn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;
          map.set(id, { type: r.Type, model: 'extra', ref: name, arn, attrs: { Arn: arn, RoleId: name } });
          break;
        }
        default:
          break;
      }
    }
  } finally {
    for (const client of [kms, sqs, ses, ddb]) client.destroy();
  }

  const expected = [
    ...Object.keys(tables).map((t) => `table:${t}`),
    ...Object.keys(keyDomains).map((d) => `key:${d}`),
  ];
  const missing = expected.filter((m) => !claimed.has(m));
  if (missing.length > 0) throw new Error(`the template has no resource built from ${missing.join(', ')}`);
  return map;
}

/** CloudFormation's pseudo parameters, as the emulator's account and region give them. */
const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Region': REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

/**
 * Resolves a template value (a string, or `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`,
 * `Fn::Split`, `Fn::Sub`) against `resources`; throws naming the token it cannot resolve
 * (`Fn::ImportValue` always: the stack imports nothing, and an import would be a new dependency).
 */
export function resolveValue(value: Cfn, resources: ResourceMap, stackName = 'stack'): string {
  const again = (v: Cfn) => resolveValue(v, resources, stackName);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') {
      if (value.Ref === 'AWS::StackName') return stackName;
      const pseudo = PSEUDO[value.Ref];
      if (pseudo !== undefined) return pseudo;
      const found = resources.get(value.Ref);
      if (!found) throw new Error(`cannot resolve Ref ${value.Ref}: no emulator resource`);
      return found.ref;
    }
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [id, attr] = value['Fn::GetAtt'] as [string, string];
      const found = resources.get(id)?.attrs[attr];
      if (found === undefined)
        throw new Error(`cannot resolve Fn::GetAtt ${id}.${attr}: no emulator attribute`);
      return found;
    }
    if (Array.isArray(value['Fn::Join'])) {
      const [separator, parts] = value['Fn::Join'] as [string, Cfn[]];
      return parts.map(again).join(separator);
    }
    if (Array.isArray(value['Fn::Select'])) {
      const [index, list] = value['Fn::Select'] as [Cfn, Cfn];
      const items = Array.isArray(list) ? list.map(again) : again(list).split(',');
      return items[Number(again(index))] ?? '';
    }
    if (Array.isArray(value['Fn::Split'])) {
      const [separator, source] = value['Fn::Split'] as [string, Cfn];
      return again(source).split(separator).join(',');
    }
    if (value['Fn::Sub'] !== undefined) {
      const [text, vars] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
      return String(text).replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
        if (vars && name in vars) return again(vars[name]);
        const [id, attr] = name.split('.') as [string, string | undefined];
        return again(attr ? { 'Fn::GetAtt': [id, attr] } : { Ref: id });
      });
    }
    if (value['Fn::ImportValue'] !== undefined) {
      throw new Error(`cannot resolve Fn::ImportValue ${JSON.stringify(value['Fn::ImportValue'])}`);
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** A Lambda function's environment variables with every token resolved against `resources`. */
export function functionEnvironment(
  template: TemplateJson,
  logicalId: string,
  resources: ResourceMap,
  stackName?: string,
): Record<string, string> {
  const fn = template.Resources[logicalId];
  if (fn?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a Lambda function`);
  const variables = (fn.Properties?.Environment?.Variables ?? {}) as Record<string, Cfn>;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      try {
        return [name, resolveValue(value, resources, stackName)];
      } catch (error) {
        throw new Error(`${logicalId} ${name}: ${(error as Error).message}`);
      }
    }),
  );
}
