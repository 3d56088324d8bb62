import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type Duration, type ILocalBundling, Stack } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import {
  Grant,
  type IGrantable,
  type IPrincipal,
  ManagedPolicy,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type CfnLogGroup, type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Grants, KeyUse, PhotoUse, SiloAccess } from '../../model/grants';
import {
  DELETE_ACCOUNT_ACTIONS,
  keyActions,
  PHOTO_KEY_ACTIONS,
  PHOTO_USE_ACTIONS,
  PUT_EVENTS_ACTIONS,
  READ_ACCOUNT_MFA_ACTIONS,
  READ_IMPORT_ACTIONS,
  SEND_EMAIL_ACTIONS,
  SEND_MESSAGE_ACTIONS,
  SILO_BUCKET_ACTIONS,
  SILO_TABLE_ACTIONS,
  TABLE_KEY_ACTIONS,
  TABLE_READ_ACTIONS,
  type TableAccess,
  tableActions,
} from '../../model/grants';
import { PHOTO_PREFIX, PHOTOS_BUCKET_ENV } from '../../model/photos';
import {
  ENV,
  type KeyDomain,
  keyEnv,
  type QueueName,
  type TableName,
  tableEnv,
  tables,
} from '../../model/resources';
import { queues } from '../../model/workloads';
import { loadCatalogue } from '../../policy/catalogue';
import { FUNCTION_DEFAULTS, RETAINED } from '../defaults';
import { emulatorSwitchOf } from '../settings';
import { ManagedPolicyRole } from './managed-policy-role';

/** The repository root: handlers, the lock file and tsconfig live there. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The entry file of a handler name, e.g. `get-policy` → lambdas/handlers/get-policy.ts. */
export function handlerEntry(handler: string): string {
  return fileURLToPath(new URL(`../../lambdas/handlers/${handler}.ts`, import.meta.url));
}

/** Where this process bundled every handler for a profile, once: a synth needs them all. */
const bundledHandlers = new Map<string, string>();

/** The directory holding `handler`'s bundle for `profile`; bundles every handler on first use. */
function bundleDirOf(profile: string, handler: string): string {
  let dir = bundledHandlers.get(profile);
  if (!dir) {
    const made = mkdtempSync(join(tmpdir(), `privacy-bundles-${profile}-`));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'lib', 'bundle-handlers.ts'), profile, made],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    bundledHandlers.set(profile, made);
    dir = made;
  }
  return join(dir, handler);
}

/**
 * Bundles a handler on this machine with lib/bundling.ts, the options `npm run bench` measures.
 * Its fields are part of the asset's cache key, so each handler and profile gets its own asset.
 */
class LocalEsbuild implements ILocalBundling {
  constructor(
    readonly profile: string,
    readonly handler: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    cpSync(bundleDirOf(this.profile, this.handler), outputDir, { recursive: true });
    return true;
  }
}

/** The bundled code of a handler for a profile: index.mjs and its source map, hashed by content. */
function bundledCode(profile: string, handler: string): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: Runtime.NODEJS_22_X.bundlingImage,
      local: new LocalEsbuild(profile, handler),
    },
  });
}

/** How a function sends notices: the SES identity and configuration set it may use. */
export interface EmailSender {
  /** ARN of the SES identity notices are sent from. */
  readonly identityArn: string;
  /** ARN of the configuration set every notice goes through. */
  readonly configurationSetArn: string;
  /** Name of that configuration set (SES_CONFIGURATION_SET). */
  readonly configurationSetName: string;
  /** The From address (SENDER_ADDRESS). */
  readonly senderAddress: string;
}

/** The resources a function can be bound to, by their names in the resource model. */
export interface BindableResources {
  /** Each table of the resource model. */
  readonly tables: Readonly<Record<TableName, ITableV2>>;
  /** Each key domain's key. */
  readonly keys: Readonly<Record<KeyDomain, IKey>>;
  /** @default - functions that ask for `sendEmail` fail to synthesize */
  readonly email?: EmailSender;
  /** @default - functions that ask for `deleteAccounts` fail to synthesize */
  readonly userPool?: IUserPool;
  /** @default - functions that ask for a queue fail to synthesize */
  readonly queues?: Readonly<Partial<Record<QueueName, IQueue>>>;
  /** @default - functions that ask for `putEvents` fail to synthesize */
  readonly eventBus?: IEventBus;
  /**
   * The photos bucket, in stacks whose profile has photo items.
   * @default - none: `photos` grants bind nothing, as the profile's code never reaches a bucket
   */
  readonly photos?: IBucket;
  /** @default - functions that ask for `readImports` fail to synthesize */
  readonly importsBucket?: IBucket;
}

/** Properties of {@link PrivacyFunction}. */
export interface PrivacyFunctionProps {
  /** Handler file under lambdas/handlers/, without `.ts`; it exports `handler`. */
  readonly handler: string;
  /** Shown in the Lambda console: what the function does. */
  readonly description: string;
  /** The catalogue profile the handler loads (POLICY_PROFILE). */
  readonly profile: string;
  /** Exactly what the handler may touch; nothing else is granted. */
  readonly grants: Grants;
  /** What the grants may name. */
  readonly resources: BindableResources;
  /** Encrypts the stack's function log group. */
  readonly logsKey: IKey;
  /** Days the functions' logs are kept: the catalogue's access-log period, rounded up. */
  readonly logRetentionDays: number;
  /** @default FUNCTION_DEFAULTS.timeout (10 seconds) */
  readonly timeout?: Duration;
  /** @default FUNCTION_DEFAULTS.memorySize (512 MB) */
  readonly memorySize?: number;
  /**
   * Receives asynchronous invocations that failed every retry (scheduled jobs).
   * @default - none: API functions are invoked synchronously and answer the caller instead
   */
  readonly deadLetterQueue?: IQueue;
}

/** The construct id of the stack's function log group. */
const FUNCTION_LOGS_ID = 'FunctionLogs';

/**
 * The stack's one log group for every function's logs, created by the first function. One group
 * per function would cost a CloudFormation resource each, and a stack holds at most 500; Lambda
 * names each stream after its function (YYYY/MM/DD/<function>[<version>]<instance>), so one
 * function's lines are still found by stream prefix. Every function keeps logs for the same
 * catalogue period, so a second period is a programming error.
 */
function functionLogGroup(scope: Construct, key: IKey, retentionDays: number): LogGroup {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(FUNCTION_LOGS_ID);
  if (existing instanceof LogGroup) {
    const stated = (existing.node.defaultChild as CfnLogGroup).retentionInDays;
    if (stated !== retentionDays)
      throw new Error(`Function logs are kept ${stated} days; a function asked for ${retentionDays}.`);
    return existing;
  }
  return new LogGroup(stack, FUNCTION_LOGS_ID, {
    retention: retentionDays as RetentionDays,
    encryptionKey: key,
    // Logs outlive the stack: the policy's access-log period still runs after a teardown.
    removalPolicy: RETAINED,
  });
}

/**
 * The project's Lambda function: Node 22 on arm64, ESM bundle with source maps, active tracing,
 * JSON logs in the stack's encrypted function log group, whose retention follows the catalogue,
 * and grants bound from the route table so permissions and environment variables are set in one call.
 */
export class PrivacyFunction extends Construct implements IGrantable {
  /** Handler file under lambdas/handlers/ the function runs, without `.ts`. */
  readonly handler: string;
  /** The bundled Lambda function. */
  readonly function: NodejsFunction;
  /** The execution role; every grant lands in its customer-managed policy. */
  readonly role: ManagedPolicyRole;
  /** The stack's encrypted log group every function writes to (its streams name the function). */
  readonly logGroup: ILogGroup;
  /** The role, so constructs can grant to the function directly. */
  readonly grantPrincipal: IPrincipal;
  private readonly resources: BindableResources;
  private readonly profile: string;
  /** The bucket/key patterns of the silo objects granted, for the wildcard findings' acknowledgment. */
  readonly siloObjectPatterns: string[] = [];

  constructor(scope: Construct, id: string, props: PrivacyFunctionProps) {
    super(scope, id);
    this.resources = props.resources;
    this.profile = props.profile;
    this.handler = props.handler;
    const entry = handlerEntry(props.handler);
    if (!existsSync(entry)) {
      throw new Error(`Handler ${props.handler} has no entry file at lambdas/handlers/${props.handler}.ts`);
    }

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.handler}`,
    });
    this.grantPrincipal = this.role;

    this.logGroup = functionLogGroup(this, props.logsKey, props.logRetentionDays);
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      code: bundledCode(props.profile, props.handler),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      timeout: props.timeout ?? FUNCTION_DEFAULTS.timeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        [ENV.profile]: props.profile,
        NODE_OPTIONS: '--enable-source-maps',
        // SAM local overrides only the variables a template declares: with `-c local=true` the
        // endpoint is declared (empty, so the SDK keeps its regional default) for an env-vars file
        // to point every client at an emulator. Never in a deployable synthesis.
        ...(emulatorSwitchOf((key) => this.node.tryGetContext(key)) ? { [ENV.endpoint]: '' } : {}),
      },
    });
    // The role's policy must exist before Lambda validates the dead-letter target.
    this.function.node.addDependency(this.role.policy);

    if (props.deadLetterQueue?.encryptionMasterKey) {
      props.deadLetterQueue.encryptionMasterKey.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    this.bindGrants(props.grants);
  }

  /** Binds every resource of a route's or job's `grants`. */
  bindGrants(grants: Grants): void {
    for (const [name, access] of Object.entries(grants.tables ?? {}) as [TableName, TableAccess][]) {
      this.bindTable(name, access);
    }
    for (const [domain, uses] of Object.entries(grants.keys ?? {}) as [KeyDomain, readonly KeyUse[]][]) {
      this.bindKey(domain, uses);
    }
    if (grants.sendEmail) this.bindEmail();
    if (grants.deleteAccounts) this.bindAccounts();
    if (grants.readAccountMfa) this.bindAccountMfa();
    for (const name of Object.keys(grants.queues ?? {}) as QueueName[]) this.bindQueue(name);
    if (grants.silos) this.bindSilos(grants.silos);
    if (grants.putEvents) this.bindEvents();
    if (grants.photos) this.bindPhotos(grants.photos);
    if (grants.readImports) this.bindImports();
  }

  /**
   * Grants what `access` needs in each of the catalogue's table and bucket silos, and nowhere
   * else: a silo table (and its member index) by name, a silo bucket's listing under the silo's
   * prefix only, and its objects under that prefix. Custom silos are reached through the bus.
   */
  bindSilos(access: SiloAccess): void {
    const stack = Stack.of(this);
    for (const silo of Object.values(loadCatalogue(this.profile).silos)) {
      if (silo.kind === 'dynamodb') {
        const table = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: silo.table });
        const index = silo.memberIndex ? `${table}/index/${silo.memberIndex.name}` : undefined;
        Grant.addToPrincipal({ grantee: this, actions: ['dynamodb:Query'], resourceArns: [index ?? table] });
        const writes = SILO_TABLE_ACTIONS[access].filter((a) => a !== 'dynamodb:Query');
        if (writes.length > 0)
          Grant.addToPrincipal({ grantee: this, actions: writes, resourceArns: [table] });
      } else if (silo.kind === 's3') {
        const under = silo.prefix.replace('{memberId}', '*');
        const actions = SILO_BUCKET_ACTIONS[access];
        this.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: [...actions.bucket],
            resources: [`arn:${stack.partition}:s3:::${silo.bucket}`],
            conditions: { StringLike: { 's3:prefix': [under] } },
          }),
        );
        // IAM's `*` spans slashes: every object under any member's prefix, and nothing else.
        const objects = `${silo.bucket}/${under}*`;
        Grant.addToPrincipal({
          grantee: this,
          actions: [...actions.objects],
          resourceArns: [`arn:${stack.partition}:s3:::${objects}`],
        });
        this.siloObjectPatterns.push(objects);
      }
    }
  }

  /** Grants putting events on the stack's bus, and sets its variable. */
  bindEvents(): void {
    const bus = this.resources.eventBus;
    if (!bus) throw new Error(`${this.node.path} asks for putEvents but the stack has no event bus`);
    Grant.addToPrincipal({
      grantee: this,
      actions: [...PUT_EVENTS_ACTIONS],
      resourceArns: [bus.eventBusArn],
    });
    this.function.addEnvironment(ENV.eventBus, bus.eventBusName);
  }

  /**
   * Grants the S3 actions of `uses` on the photo prefix (list actions only for keys under it), the
   * members key's use through S3 only, and sets the bucket variable. Without a bucket (a profile
   * with no photo items) it grants nothing: that profile's code never calls the bucket.
   */
  bindPhotos(uses: readonly PhotoUse[]): void {
    const bucket = this.resources.photos;
    if (!bucket) return;
    const actions = [...new Set(uses.flatMap((use) => PHOTO_USE_ACTIONS[use]))].sort();
    const listing = actions.filter((a) => a.startsWith('s3:ListBucket'));
    const objects = actions.filter((a) => !a.startsWith('s3:ListBucket'));
    if (objects.length > 0)
      Grant.addToPrincipal({
        grantee: this,
        actions: objects,
        resourceArns: [bucket.arnForObjects(`${PHOTO_PREFIX}*`)],
      });
    if (listing.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: listing,
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${PHOTO_PREFIX}*` } },
        }),
      );
    }
    const keyActions = [...new Set(uses.flatMap((use) => PHOTO_KEY_ACTIONS[use]))].sort();
    const key = this.resources.keys.members;
    if (keyActions.length > 0) {
      Grant.addToPrincipal({
        grantee: this,
        actions: keyActions,
        resourceArns: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      });
    }
    this.function.addEnvironment(PHOTOS_BUCKET_ENV, bucket.bucketName);
  }

  /** Grants reading the objects of the imports bucket, and sets its variable. */
  bindImports(): void {
    const bucket = this.resources.importsBucket;
    if (!bucket) throw new Error(`${this.node.path} asks for readImports but no imports bucket is bound`);
    Grant.addToPrincipal({
      grantee: this,
      actions: [...READ_IMPORT_ACTIONS],
      resourceArns: [bucket.arnForObjects('*')],
    });
    this.function.addEnvironment(ENV.importsBucket, bucket.bucketName);
  }

  /** Grants sending messages to a work queue (and its key's use for that), and sets its URL variable. */
  bindQueue(name: QueueName): void {
    const queue = this.resources.queues?.[name];
    if (!queue) throw new Error(`${this.node.path} sends to queue ${name} but the stack has none`);
    Grant.addToPrincipal({
      grantee: this,
      actions: [...SEND_MESSAGE_ACTIONS],
      resourceArns: [queue.queueArn],
    });
    // SQS encrypts each message under a data key of the queue's key, on the sender's behalf.
    queue.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.function.addEnvironment(queues[name].env, queue.queueUrl);
  }

  /**
   * Grants item access to a table (and only its reads on its named indexes), the table key's use through
   * DynamoDB only, and sets the table-name variable.
   */
  bindTable(name: TableName, access: TableAccess): void {
    const def = tables[name];
    const table = this.resources.tables[name];
    const readsIndexes =
      (access === 'read' || access === 'readwrite' || access === 'read-append') && def.indexes.length > 0;
    const actions = tableActions(access);
    Grant.addToPrincipal({ grantee: this, actions, resourceArns: [table.tableArn] });
    if (readsIndexes) {
      // Only reads name an index; a write on an index ARN would be a grant nothing can use.
      Grant.addToPrincipal({
        grantee: this,
        actions: actions.filter((a) => (TABLE_READ_ACTIONS as readonly string[]).includes(a)),
        resourceArns: def.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      });
    }
    const key = this.resources.keys[def.key];
    Grant.addToPrincipal({
      grantee: this,
      actions: [...TABLE_KEY_ACTIONS[access]],
      resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
    this.function.addEnvironment(tableEnv(name), table.tableName);
  }

  /** Grants the KMS actions of `uses` on a domain key and sets its key variable (the key ARN). */
  bindKey(domain: KeyDomain, uses: readonly KeyUse[]): void {
    const key = this.resources.keys[domain];
    Grant.addToPrincipal({ grantee: this, actions: keyActions(uses), resourceArns: [key.keyArn] });
    this.function.addEnvironment(keyEnv(domain), key.keyArn);
  }

  /** Grants ses:SendEmail on the sender identity and configuration set, and sets their variables. */
  bindEmail(): void {
    const email = this.resources.email;
    if (!email) throw new Error(`${this.node.path} asks for sendEmail but the stack has no email sender`);
    Grant.addToPrincipal({
      grantee: this,
      actions: [...SEND_EMAIL_ACTIONS],
      resourceArns: [email.identityArn, email.configurationSetArn],
    });
    this.function.addEnvironment(ENV.senderAddress, email.senderAddress);
    this.function.addEnvironment(ENV.configurationSet, email.configurationSetName);
  }

  /**
   * Grants reading accounts' MFA settings in the user pool. A Cognito trigger reads the pool that
   * invokes it: the pool names the function, so the statement goes in a policy of its own that
   * nothing waits for (in the role's policy, which the function waits for, it would close a
   * dependency cycle), and the pool id comes with each event instead of a variable.
   */
  bindAccountMfa(): void {
    const pool = this.resources.userPool;
    if (!pool) throw new Error(`${this.node.path} asks for readAccountMfa but no user pool is bound`);
    new ManagedPolicy(this, 'AccountMfaPolicy', {
      description: `Reading sign-in accounts' MFA settings, for ${this.node.path}`,
      roles: [this.role],
      statements: [
        new PolicyStatement({ actions: [...READ_ACCOUNT_MFA_ACTIONS], resources: [pool.userPoolArn] }),
      ],
    });
  }

  /** Grants finding and deleting accounts in the user pool, and sets its variable. */
  bindAccounts(): void {
    const pool = this.resources.userPool;
    if (!pool) throw new Error(`${this.node.path} asks for deleteAccounts but no user pool is bound`);
    Grant.addToPrincipal({
      grantee: this,
      actions: [...DELETE_ACCOUNT_ACTIONS],
      resourceArns: [pool.userPoolArn],
    });
    this.function.addEnvironment(ENV.userPoolId, pool.userPoolId);
  }
}
