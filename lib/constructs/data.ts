import { type RemovalPolicy, Tags } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  type GlobalSecondaryIndexPropsV2,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  type KeyDomain,
  type TableDefinition,
  type TableName,
  tables,
} from '../../model/resources';
import type { Catalogue } from '../../policy/schema';
import { RETAINED } from '../defaults';
import { tableRetentionTags } from '../retention';

/** Tag naming the catalogue retention class of a table's items. */
export const RETENTION_CLASS_TAG = 'retention-class';
/** Tag giving that class's period (ISO 8601, `until-withdrawal` or `none`). */
export const RETENTION_PERIOD_TAG = 'retention-period';

/** Properties of {@link Data}. */
export interface DataProps {
  /** The catalogue whose record classes tag the tables. */
  readonly catalogue: Catalogue;
  /** The key of each key domain; a table is encrypted with the key its definition names. */
  readonly keys: Readonly<Record<KeyDomain, IKey>>;
  /**
   * What happens to the tables when the stack is deleted.
   * @default RETAINED (removed only if the first create fails), with deletion protection on
   */
  readonly removalPolicy?: RemovalPolicy;
}

function attribute(a: KeyAttribute) {
  return { name: a.name, type: a.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

/** The table properties every product table gets, whatever its definition. */
function tableProps(def: TableDefinition, key: IKey, removalPolicy: RemovalPolicy) {
  const indexes: GlobalSecondaryIndexPropsV2[] = def.indexes.map((index) => ({
    indexName: index.name,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
    projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
  }));
  return {
    partitionKey: attribute(def.partitionKey),
    ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
    globalSecondaryIndexes: indexes,
    billing: Billing.onDemand(),
    encryption: TableEncryptionV2.customerManagedKey(key),
    // The window bounds how long a deleted item, or a shredded data key, stays restorable.
    pointInTimeRecoverySpecification: {
      pointInTimeRecoveryEnabled: true,
      recoveryPeriodInDays: def.recoveryDays,
    },
    deletionProtection: true,
    removalPolicy,
    ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
    ...(def.stream ? { dynamoStream: StreamViewType.NEW_IMAGE } : {}),
  };
}

/** One DynamoDB table per entry of the resource model's `tables`. */
export class Data extends Construct {
  /** Each table, by its name in the resource model. */
  readonly tables: Readonly<Record<TableName, TableV2>>;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RETAINED;
    const built = {} as Record<TableName, TableV2>;
    for (const [name, def] of Object.entries(tables) as [TableName, TableDefinition][]) {
      const table = new TableV2(this, name, tableProps(def, props.keys[def.key], removalPolicy));
      const retention = tableRetentionTags(props.catalogue, def);
      if (retention) {
        Tags.of(table).add(RETENTION_CLASS_TAG, retention.class);
        Tags.of(table).add(RETENTION_PERIOD_TAG, retention.period);
      }
      built[name] = table;
    }
    this.tables = built;
  }
}
