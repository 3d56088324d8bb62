/**
 * The IAM side of a synthesized template: each Lambda function, its role, and every policy that
 * role carries (customer-managed policies naming it, AWS::IAM::Policy resources attached to it,
 * inline policies), with CloudFormation tokens resolved to the emulator's resources of the same
 * stack. The link between a template resource and an emulator resource is the function
 * environment: the template gives a function `MEMBERS_TABLE: {Ref: Datamembers…}` and the local
 * stack gives it `MEMBERS_TABLE: littleone-members`, so both name the same table.
 */
import type { NamedPolicy, Statement } from './policy';

/** A value of the template: CloudFormation JSON has no useful static type. */
// biome-ignore lint/suspicious/noExplicitAny: raw CloudFormation JSON
type Cfn = any;

/** A template as JSON. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Cfn }>>;
}

/** Where the emulator runs: every ARN is built in this partition, region and account. */
export interface EmulatorScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** A Lambda function of the template and the role it runs with. */
export interface TemplateFunction {
  readonly logicalId: string;
  readonly roleLogicalId: string;
  /** The handler file the function runs (the role says `Runs <handler>`). */
  readonly handler: string;
}

/** The Lambda functions of a template; throws on a function whose role or handler is unknown. */
export function functionsOf(template: TemplateJson): TemplateFunction[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      const role = r.Properties?.Role?.['Fn::GetAtt']?.[0];
      if (typeof role !== 'string' || !template.Resources[role]) {
        throw new Error(`${logicalId} has no role of this template`);
      }
      const described = /^Runs (\S+)$/.exec(template.Resources[role].Properties?.Description ?? '');
      if (!described) throw new Error(`${logicalId}'s role ${role} does not say which handler it runs`);
      return { logicalId, roleLogicalId: role, handler: described[1]! };
    });
}

/** Resolves `Ref` and `Fn::GetAtt` of a resource; undefined when the emulator has no counterpart. */
export type ResourceRefs = (logicalId: string, attribute?: string) => string | undefined;

/** A token that names no emulator resource: it matches no ARN (only a `*` pattern would). */
function unresolved(logicalId: string, attribute?: string): string {
  return `unresolved:${logicalId}${attribute ? `.${attribute}` : ''}`;
}

/** Resolves CloudFormation intrinsics (Ref, GetAtt, Join, Sub, Select, Split, pseudo parameters). */
export function resolveValue(value: Cfn, refs: ResourceRefs, scope: EmulatorScope): Cfn {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, refs, scope));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, refs, scope)]));
  }
  const [name] = keys as [string];
  const arg = value[name];
  const ref = (target: string, attribute?: string): string => {
    if (!attribute) {
      const pseudo = pseudoParameter(target, scope);
      if (pseudo !== undefined) return pseudo;
    }
    return refs(target, attribute) ?? unresolved(target, attribute);
  };
  switch (name) {
    case 'Ref':
      return ref(arg);
    case 'Fn::GetAtt': {
      const [target, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
      return ref(target, attribute);
    }
    case 'Fn::Join': {
      const [separator, parts] = arg;
      return (resolveValue(parts, refs, scope) as unknown[]).map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = resolveValue(arg, refs, scope);
      return list[Number(index)];
    }
    case 'Fn::Split': {
      const [separator, text] = resolveValue(arg, refs, scope);
      return String(text).split(separator);
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(arg) ? arg : [arg, {}];
      const vars = resolveValue(variables, refs, scope) as Record<string, string>;
      return String(text).replace(/\$\{([^}!]+)\}/g, (_, token: string) => {
        if (Object.hasOwn(vars, token)) return String(vars[token]);
        const [target, attribute] = token.split(/\.(.+)/);
        return ref(target!, attribute);
      });
    }
    default:
      throw new Error(`${name} is not resolvable here`);
  }
}

function pseudoParameter(name: string, scope: EmulatorScope): string | undefined {
  switch (name) {
    case 'AWS::Partition':
      return scope.partition;
    case 'AWS::Region':
      return scope.region;
    case 'AWS::AccountId':
      return scope.account;
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}

function refsTo(roleLogicalId: string, roles: Cfn): boolean {
  return Array.isArray(roles) && roles.some((r) => r?.Ref === roleLogicalId);
}

/**
 * Every identity policy of a role, resolved: customer-managed policies (attached through their
 * `Roles` or the role's `ManagedPolicyArns`), AWS::IAM::Policy resources, inline policies. A
 * permissions boundary or an AWS-managed policy is not modelled and throws.
 */
export function policiesOfRole(
  template: TemplateJson,
  roleLogicalId: string,
  refs: ResourceRefs,
  scope: EmulatorScope,
): NamedPolicy[] {
  const role = template.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role`);
  if (role.Properties?.PermissionsBoundary) throw new Error(`${roleLogicalId} has a permissions boundary`);
  const statementsOf = (document: Cfn): Statement[] => {
    const resolved = resolveValue(document, refs, scope);
    return Array.isArray(resolved.Statement) ? resolved.Statement : [resolved.Statement];
  };
  const policies: NamedPolicy[] = [];
  const attached = new Set<string>();
  for (const arn of role.Properties?.ManagedPolicyArns ?? []) {
    const id = arn?.Ref;
    if (typeof id !== 'string' || template.Resources[id]?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(`${roleLogicalId} uses a managed policy outside the template: ${JSON.stringify(arn)}`);
    }
    attached.add(id);
  }
  for (const [id, r] of Object.entries(template.Resources)) {
    if (
      r.Type === 'AWS::IAM::ManagedPolicy' &&
      (attached.has(id) || refsTo(roleLogicalId, r.Properties?.Roles))
    ) {
      policies.push({ name: id, statements: statementsOf(r.Properties.PolicyDocument) });
    }
    if (r.Type === 'AWS::IAM::Policy' && refsTo(roleLogicalId, r.Properties?.Roles)) {
      policies.push({ name: id, statements: statementsOf(r.Properties.PolicyDocument) });
    }
  }
  for (const inline of role.Properties?.Policies ?? []) {
    policies.push({
      name: `${roleLogicalId}/${inline.PolicyName}`,
      statements: statementsOf(inline.PolicyDocument),
    });
  }
  return policies;
}

/** The attributes of one template resource in the emulator. */
type Attributes = Record<string, string>;

/** The ARN of a template resource of a type the functions name, from what its Ref resolves to. */
function attributesOf(type: string, ref: string, scope: EmulatorScope): Attributes | undefined {
  const arn = (service: string, resource: string) =>
    `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:${resource}`;
  switch (type) {
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table':
      return { Ref: ref, Arn: arn('dynamodb', `table/${ref}`) };
    case 'AWS::KMS::Key': {
      const id = ref.includes(':key/') ? ref.split(':key/')[1]! : ref;
      return { Ref: id, Arn: arn('kms', `key/${id}`), KeyId: id };
    }
    case 'AWS::SQS::Queue': {
      const name = ref.split('/').pop()!;
      return { Ref: ref, QueueUrl: ref, QueueName: name, Arn: arn('sqs', name) };
    }
    case 'AWS::Events::EventBus':
      return { Ref: ref, Name: ref, Arn: arn('events', `event-bus/${ref}`) };
    case 'AWS::Cognito::UserPool':
      return { Ref: ref, UserPoolId: ref, Arn: arn('cognito-idp', `userpool/${ref}`) };
    case 'AWS::S3::Bucket':
      return { Ref: ref, Arn: `arn:${scope.partition}:s3:::${ref}` };
    case 'AWS::SES::ConfigurationSet':
    case 'AWS::SES::EmailIdentity':
      return { Ref: ref };
    default:
      return undefined;
  }
}

/** The variable holding a function's From address (model/resources.ts ENV.senderAddress). */
const SENDER_ADDRESS = 'SENDER_ADDRESS';

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * The emulator counterpart of every template resource a function's environment names, from one
 * stack's environment. The SES identity is matched through the From address: the template's
 * domain identity is the one its SENDER_ADDRESS is in, the emulator's the domain of its own.
 */
export function emulatorRefs(
  template: TemplateJson,
  env: Readonly<Record<string, string>>,
  scope: EmulatorScope,
): ResourceRefs {
  const byId = new Map<string, Attributes>();
  const learn = (logicalId: string, ref: string) => {
    const type = template.Resources[logicalId]?.Type;
    const attributes = type ? attributesOf(type, ref, scope) : undefined;
    if (!attributes) return;
    const known = byId.get(logicalId);
    if (known && known.Ref !== attributes.Ref) {
      throw new Error(`${logicalId} stands for both ${known.Ref} and ${attributes.Ref} in the emulator`);
    }
    byId.set(logicalId, attributes);
  };
  for (const [, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    for (const [name, value] of Object.entries<Cfn>(r.Properties?.Environment?.Variables ?? {})) {
      const actual = env[name];
      if (actual === undefined) continue;
      const target = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
      if (typeof target === 'string') learn(target, actual);
      if (name === SENDER_ADDRESS && typeof value === 'string') {
        const identity = Object.entries(template.Resources).find(
          ([, x]) => x.Type === 'AWS::SES::EmailIdentity' && x.Properties?.EmailIdentity === domainOf(value),
        );
        if (identity) learn(identity[0], domainOf(actual));
      }
    }
  }
  return (logicalId, attribute) => byId.get(logicalId)?.[attribute ?? 'Ref'];
}
