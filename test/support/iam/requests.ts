/**
 * What IAM authorizes for one recorded AWS call: the IAM action(s), the resource ARN(s) and the
 * condition keys of the request. Some API operations are authorized by other actions (a
 * TransactWriteItems by PutItem, UpdateItem, DeleteItem or ConditionCheckItem on each item's
 * table; a SendMessageBatch by SendMessage) and some by several (a BatchWriteItem also needs each
 * item's PutItem or DeleteItem here, the stricter reading). An operation this module does not
 * know throws: an unmodelled call must never pass unchecked.
 */
import type { AuthzRequest, ContextValue } from './policy';
import type { EmulatorScope } from './template';

/** A call as the recorders see it. */
export interface CallOnTheWire {
  readonly service: string;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are AWS JSON
type Json = any;

function parse(call: CallOnTheWire): Json {
  if (call.body === '') return {};
  try {
    return JSON.parse(call.body);
  } catch {
    throw new Error(`${call.service}:${call.action} has a body that is not JSON`);
  }
}

function arn(scope: EmulatorScope, service: string, resource: string): string {
  return `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:${resource}`;
}

/** The table (or index) ARN of a DynamoDB table name or ARN. */
function tableArn(scope: EmulatorScope, table: string, index?: string): string {
  const base = table.startsWith('arn:') ? table : arn(scope, 'dynamodb', `table/${table}`);
  return index ? `${base}/index/${index}` : base;
}

const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

const BATCH_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  PutRequest: 'dynamodb:PutItem',
  DeleteRequest: 'dynamodb:DeleteItem',
};

/** The partition-key values of a request, for dynamodb:LeadingKeys (when the key schema is known). */
export type PartitionKeyOf = (table: string) => string | undefined;

function leadingKeys(
  item: Json,
  table: string,
  partitionKeyOf?: PartitionKeyOf,
): Record<string, ContextValue> {
  const name = partitionKeyOf?.(table);
  const attribute = name ? item?.[name] : undefined;
  const value = attribute?.S ?? attribute?.N ?? attribute?.B;
  return typeof value === 'string' ? { 'dynamodb:LeadingKeys': [value] } : {};
}

function dynamodb(
  call: CallOnTheWire,
  body: Json,
  scope: EmulatorScope,
  pk?: PartitionKeyOf,
): AuthzRequest[] {
  const single = (
    action: string,
    table: string,
    context: Record<string, ContextValue> = {},
    index?: string,
  ) => ({
    action: `dynamodb:${action}`,
    resource: tableArn(scope, table, index),
    context,
  });
  switch (call.action) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [single(call.action, body.TableName, leadingKeys(body.Key, body.TableName, pk))];
    case 'PutItem':
      return [single(call.action, body.TableName, leadingKeys(body.Item, body.TableName, pk))];
    case 'Query':
    case 'Scan':
      return [single(call.action, body.TableName, {}, body.IndexName)];
    case 'DescribeTable':
      return [single(call.action, body.TableName)];
    case 'BatchGetItem':
      return Object.entries<Json>(body.RequestItems ?? {}).map(([table, read]) =>
        single('BatchGetItem', table, {
          ...((read.Keys ?? []).length > 0
            ? {
                'dynamodb:LeadingKeys': (read.Keys as Json[]).flatMap(
                  (k) => leadingKeys(k, table, pk)['dynamodb:LeadingKeys'] ?? [],
                ),
              }
            : {}),
        }),
      );
    case 'BatchWriteItem':
      return Object.entries<Json>(body.RequestItems ?? {}).flatMap(([table, writes]) => {
        const kinds = new Set((writes as Json[]).flatMap((w) => Object.keys(w)));
        return [
          single('BatchWriteItem', table),
          ...[...kinds].map((kind) => {
            const action = BATCH_WRITE_ACTIONS[kind];
            if (!action) throw new Error(`BatchWriteItem request ${kind} is not modelled`);
            return { ...single('BatchWriteItem', table), action };
          }),
        ];
      });
    case 'TransactWriteItems':
      return (body.TransactItems as Json[]).map((item) => {
        const [kind, operation] = Object.entries<Json>(item)[0]!;
        const action = TRANSACT_WRITE_ACTIONS[kind];
        if (!action) throw new Error(`TransactWriteItems item ${kind} is not modelled`);
        const key = kind === 'Put' ? operation.Item : operation.Key;
        return {
          action,
          resource: tableArn(scope, operation.TableName),
          context: leadingKeys(key, operation.TableName, pk),
        };
      });
    case 'TransactGetItems':
      return (body.TransactItems as Json[]).map((item) => ({
        action: 'dynamodb:GetItem',
        resource: tableArn(scope, item.Get.TableName),
        context: leadingKeys(item.Get.Key, item.Get.TableName, pk),
      }));
    default:
      throw new Error(`dynamodb:${call.action} is not modelled`);
  }
}

/** The ARN of a KMS key as a request names it; an alias cannot be resolved from the request alone. */
function keyArn(scope: EmulatorScope, keyId: unknown): string {
  if (typeof keyId !== 'string' || keyId === '') throw new Error('a KMS call without KeyId is not modelled');
  if (keyId.startsWith('arn:')) {
    if (keyId.includes(':alias/')) throw new Error('a KMS call naming an alias is not modelled');
    return keyId;
  }
  if (keyId.startsWith('alias/')) throw new Error('a KMS call naming an alias is not modelled');
  return arn(scope, 'kms', `key/${keyId}`);
}

const KMS_CONTEXT_FIELDS: Readonly<Record<string, string>> = {
  EncryptionAlgorithm: 'kms:EncryptionAlgorithm',
  MacAlgorithm: 'kms:MacAlgorithm',
  SigningAlgorithm: 'kms:SigningAlgorithm',
  MessageType: 'kms:MessageType',
  KeySpec: 'kms:DataKeySpec',
};

function kms(call: CallOnTheWire, body: Json, scope: EmulatorScope): AuthzRequest[] {
  const context: Record<string, ContextValue> = { 'kms:CallerAccount': scope.account };
  const encryptionContext = (body.EncryptionContext ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(encryptionContext))
    context[`kms:EncryptionContext:${key}`] = value;
  if (Object.keys(encryptionContext).length > 0)
    context['kms:EncryptionContextKeys'] = Object.keys(encryptionContext);
  for (const [field, key] of Object.entries(KMS_CONTEXT_FIELDS)) {
    if (typeof body[field] === 'string') context[key] = body[field];
  }
  return [{ action: `kms:${call.action}`, resource: keyArn(scope, body.KeyId), context }];
}

/** The queue ARN of a queue URL (http(s)://host/<account>/<name>). */
function queueArn(scope: EmulatorScope, url: unknown): string {
  if (typeof url !== 'string') throw new Error('an SQS call without QueueUrl is not modelled');
  const [account, name] = new URL(url).pathname.split('/').filter(Boolean).slice(-2);
  return `arn:${scope.partition}:sqs:${scope.region}:${account}:${name}`;
}

/** SQS batch operations are authorized as their single forms. */
const SQS_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function sqs(call: CallOnTheWire, body: Json, scope: EmulatorScope): AuthzRequest[] {
  const action = `sqs:${SQS_ACTIONS[call.action] ?? call.action}`;
  if (call.action === 'GetQueueUrl') {
    const account = body.QueueOwnerAWSAccountId ?? scope.account;
    return [{ action, resource: `arn:${scope.partition}:sqs:${scope.region}:${account}:${body.QueueName}` }];
  }
  return [{ action, resource: queueArn(scope, body.QueueUrl) }];
}

/** The address of `Name <a@b>` or `a@b`. */
function addressOf(text: string): string {
  return /<([^>]+)>/.exec(text)?.[1] ?? text.trim();
}

function ses(call: CallOnTheWire, body: Json, scope: EmulatorScope): AuthzRequest[] {
  if (call.action !== 'SendEmail') throw new Error(`ses:${call.action} is not modelled`);
  const from = addressOf(String(body.FromEmailAddress ?? ''));
  const display = /^\s*"?([^"<]*?)"?\s*</.exec(String(body.FromEmailAddress ?? ''))?.[1];
  const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((f) =>
    ((body.Destination?.[f] ?? []) as string[]).map(addressOf),
  );
  const context: Record<string, ContextValue> = {
    'ses:ApiVersion': '2',
    'ses:FromAddress': from,
    ...(display ? { 'ses:FromDisplayName': display } : {}),
    ...(recipients.length > 0 ? { 'ses:Recipients': recipients } : {}),
  };
  // The stack verifies a domain: SES authorizes the send against the From address's domain identity.
  const identity =
    typeof body.FromEmailAddressIdentityArn === 'string'
      ? body.FromEmailAddressIdentityArn
      : arn(scope, 'ses', `identity/${from.slice(from.lastIndexOf('@') + 1)}`);
  return [
    { action: 'ses:SendEmail', resource: identity, context },
    ...(body.ConfigurationSetName
      ? [
          {
            action: 'ses:SendEmail',
            resource: arn(scope, 'ses', `configuration-set/${body.ConfigurationSetName}`),
            context,
          },
        ]
      : []),
  ];
}

function cognito(call: CallOnTheWire, body: Json, scope: EmulatorScope): AuthzRequest[] {
  if (typeof body.UserPoolId !== 'string')
    throw new Error(`cognito-idp:${call.action} without UserPoolId is not modelled`);
  return [
    {
      action: `cognito-idp:${call.action}`,
      resource: arn(scope, 'cognito-idp', `userpool/${body.UserPoolId}`),
    },
  ];
}

/**
 * S3 object reads, as the SDK sends them to an emulator: path style, `/<bucket>/<key>`, the
 * operation in `x-id`. Only GetObject is modelled; any other S3 call throws.
 */
function s3(call: CallOnTheWire, scope: EmulatorScope): AuthzRequest[] {
  const [path, query] = call.path.split('?') as [string, string | undefined];
  const operation = new URLSearchParams(query ?? '').get('x-id');
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (call.method !== 'GET' || operation !== 'GetObject' || !match) {
    throw new Error(`s3 call ${call.method} ${call.path} is not modelled`);
  }
  return [
    {
      action: 's3:GetObject',
      resource: `arn:${scope.partition}:s3:::${match[1]}/${decodeURIComponent(match[2]!)}`,
    },
  ];
}

/** The IAM requests one call needs allowed; every one of them must be. */
export function authzRequestsOf(
  call: CallOnTheWire,
  scope: EmulatorScope,
  partitionKeyOf?: PartitionKeyOf,
): AuthzRequest[] {
  const body = parse(call);
  switch (call.service) {
    case 'dynamodb':
      return dynamodb(call, body, scope, partitionKeyOf);
    case 'kms':
      return kms(call, body, scope);
    case 'sqs':
      return sqs(call, body, scope);
    case 'ses':
      return ses(call, body, scope);
    case 'cognito-idp':
      return cognito(call, body, scope);
    case 's3':
      return s3(call, scope);
    default:
      throw new Error(`calls to ${call.service} are not modelled`);
  }
}
