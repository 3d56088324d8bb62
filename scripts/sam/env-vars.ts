/**
 * The env-vars file of `sam local invoke/start-api --env-vars`: for each function of the
 * template, by logical id, every variable it declares with a real value, either the emulator's
 * resources (the names local/bootstrap.ts creates) or a deployed stack's physical resources.
 */
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { ENV } from '../../model/resources';
import type { CfnTemplate, CfnValue, SamFunction } from './template';

/** A variable could not be given a real value; the message names the function and the variable. */
export class UnresolvedVariable extends Error {
  override name = 'UnresolvedVariable';
}

/** The env-vars file: function logical id → variable → value. */
export type EnvVarsFile = Record<string, Record<string, string>>;

/** Gives a variable its value, or throws {@link UnresolvedVariable}. */
export type VariableResolver = (name: string, value: CfnValue, fn: SamFunction) => string;

/** Builds the file from every variable of every function. */
export function envVarsFile(functions: readonly SamFunction[], resolve: VariableResolver): EnvVarsFile {
  const file: EnvVarsFile = {};
  for (const fn of functions) {
    file[fn.logicalId] = Object.fromEntries(
      Object.entries(fn.variables).map(([name, value]) => [name, resolve(name, value, fn)]),
    );
  }
  return file;
}

/** What the emulator side knows: bootstrap's handler environment and where things are reached. */
export interface EmulatorValues {
  /** The environment local/bootstrap.ts returned for the profile. */
  readonly env: Readonly<Record<string, string>>;
  /** AWS_ENDPOINT_URL as the function's container reaches the emulator. */
  readonly containerEndpoint: string;
  /** The API's base URL as members see it (POLICY_URL is built from it). */
  readonly apiUrl: string;
}

/**
 * Variables of bootstrap's environment that describe the local process rather than a resource:
 * the template's value stands (each function instance paces itself; SAM passes the region and
 * credentials of the shell).
 */
const PROCESS_VARIABLES = new Set([
  ENV.sendRate,
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_EC2_METADATA_DISABLED',
]);

/**
 * Resolves against an emulator by variable name: the model names each variable after its
 * resource, and bootstrap returns the same names. A resource variable takes the emulator's value
 * even where the template has a literal (the sender address differs locally); anything else keeps
 * the template's literal. A token bootstrap has no value for is an error, never a guess.
 */
export function emulatorResolver(values: EmulatorValues): VariableResolver {
  return (name, value, fn) => {
    if (name === ENV.endpoint) return values.containerEndpoint;
    if (name === ENV.policyUrl) return `${values.apiUrl.replace(/\/$/, '')}/v1/policy`;
    const local = values.env[name];
    if (local !== undefined && !PROCESS_VARIABLES.has(name)) return local;
    if (typeof value === 'string') return value;
    throw new UnresolvedVariable(`${fn.logicalId}: ${name} has no emulator value (${JSON.stringify(value)})`);
  };
}

/** One resource of a deployed stack. */
export interface StackResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
}

/** A deployed stack as far as resolution needs it. */
export interface DeployedStack {
  readonly region: string;
  readonly accountId: string;
  readonly resources: readonly StackResource[];
}

/** ARNs of resources whose physical id is a name, an id or a URL, by resource type. */
const ARN_OF: Readonly<Record<string, (id: string, region: string, account: string) => string>> = {
  'AWS::KMS::Key': (id, r, a) => `arn:aws:kms:${r}:${a}:key/${id}`,
  'AWS::DynamoDB::GlobalTable': (id, r, a) => `arn:aws:dynamodb:${r}:${a}:table/${id}`,
  'AWS::DynamoDB::Table': (id, r, a) => `arn:aws:dynamodb:${r}:${a}:table/${id}`,
  'AWS::SQS::Queue': (url, r, a) => `arn:aws:sqs:${r}:${a}:${url.split('/').pop()}`,
  'AWS::Cognito::UserPool': (id, r, a) => `arn:aws:cognito-idp:${r}:${a}:userpool/${id}`,
};

/**
 * Resolves the intrinsic functions CDK writes into environment variables (Ref, Fn::GetAtt Arn,
 * Fn::Join, Fn::Select, Fn::Split and the pseudo parameters) against a deployed stack's
 * resources. Anything else is an error naming the variable.
 */
export function stackResolver(stack: DeployedStack): VariableResolver {
  const byId = new Map(stack.resources.map((r) => [r.logicalId, r]));
  const pseudo: Record<string, string> = {
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  return (name, value, fn) => {
    // An empty endpoint: the functions call the stack's own AWS services.
    if (name === ENV.endpoint) return '';
    const fail = (why: string): never => {
      throw new UnresolvedVariable(`${fn.logicalId}: ${name} cannot be resolved (${why})`);
    };
    const evaluate = (v: CfnValue): string | string[] => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const [[fnName, arg]] = Object.entries(v) as [[string, CfnValue]];
        if (fnName === 'Ref') {
          if (pseudo[arg] !== undefined) return pseudo[arg];
          const resource = byId.get(arg);
          if (!resource?.physicalId) return fail(`the stack has no resource ${arg}`);
          return resource.physicalId;
        }
        if (fnName === 'Fn::GetAtt') {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          const resource = byId.get(id);
          const arn = resource && ARN_OF[resource.type];
          if (attribute !== 'Arn' || !resource || !arn) return fail(`no rule for ${id}.${attribute}`);
          return arn(resource.physicalId, stack.region, stack.accountId);
        }
        if (fnName === 'Fn::Join') {
          const [separator, parts] = arg as [string, CfnValue[]];
          return parts.map((p) => evaluate(p)).join(separator);
        }
        if (fnName === 'Fn::Select') {
          const [index, list] = arg as [number | string, CfnValue];
          const items = evaluate(list);
          if (!Array.isArray(items)) return fail('Fn::Select of a non-list');
          return items[Number(index)] ?? fail('Fn::Select out of range');
        }
        if (fnName === 'Fn::Split') {
          const [separator, source] = arg as [string, CfnValue];
          return String(evaluate(source)).split(separator);
        }
        return fail(`unsupported ${fnName}`);
      }
      return fail(`unexpected ${JSON.stringify(v)}`);
    };
    const result = evaluate(value);
    if (Array.isArray(result)) return fail('a list');
    return result;
  };
}

/** Reads a deployed stack's resources (every page: our stacks hold more than 100). */
export async function readStack(client: CloudFormationClient, name: string): Promise<DeployedStack> {
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: name }));
  const stackId = Stacks?.[0]?.StackId;
  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>
  const [, , , region, accountId] = stackId?.split(':') ?? [];
  if (!region || !accountId) throw new Error(`stack ${name} has no readable id`);
  const resources: StackResource[] = [];
  for await (const page of paginateListStackResources({ client }, { StackName: name })) {
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId && r.PhysicalResourceId && r.ResourceType) {
        resources.push({
          logicalId: r.LogicalResourceId,
          physicalId: r.PhysicalResourceId,
          type: r.ResourceType,
        });
      }
    }
  }
  return { region, accountId, resources };
}

/**
 * Values of the file that still look like CloudFormation: an intrinsic function, a CDK token,
 * or a logical id of the template (what SAM puts in place of a Ref it cannot resolve). A value
 * may contain a logical id: CloudFormation names unnamed resources `<stack>-<logical id>-<suffix>`.
 */
export function unresolvedValues(file: EnvVarsFile, template: CfnTemplate): string[] {
  const problems: string[] = [];
  for (const [fn, variables] of Object.entries(file)) {
    for (const [name, value] of Object.entries(variables)) {
      const where = `${fn}.${name}`;
      if (typeof value !== 'string') problems.push(`${where} is not a string`);
      else if (/"?(Ref|Fn::\w+)"?\s*:/.test(value)) problems.push(`${where} holds an intrinsic function`);
      else if (value.includes('${Token[')) problems.push(`${where} holds a CDK token`);
      else if (Object.hasOwn(template.Resources, value)) problems.push(`${where} names a logical id`);
    }
  }
  return problems;
}
