/**
 * The IAM check: every recorded call of a function is evaluated against the policies of that
 * function's role in the synthesized template of its profile, and every grant of those policies
 * is matched with the calls that used it.
 */
import { evaluate, type NamedPolicy, type Statement } from './policy';
import type { Call, Recordings } from './recordings';
import { authzRequestsOf, type PartitionKeyOf } from './requests';
import {
  type EmulatorScope,
  emulatorRefs,
  functionsOf,
  policiesOfRole,
  type ResourceRefs,
  type TemplateFunction,
  type TemplateJson,
} from './template';

/** A call the role's policies would refuse. */
export interface Denial {
  readonly profile: string;
  readonly handler: string;
  readonly call: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: string;
}

/** One action on one resource entry of an Allow statement that no recorded call used. */
export interface UnusedGrant {
  readonly profile: string;
  readonly handler: string;
  readonly action: string;
  /** The resource entry as the template writes it, tokens shown as `<LogicalId.Attribute>`. */
  readonly resource: string;
  /** The CloudFormation type of the resource the entry names, or `*`. */
  readonly resourceType: string;
  /** The logical id of the resource the entry names, if it names one. */
  readonly logicalId?: string;
  /** Whether the entry is an index of the table (`…/index/…`). */
  readonly index: boolean;
  /**
   * Whether the handler's function (in any profile) used another action of the same statement on
   * the same resource (for an index: any action on its table): the grant is the unused part of a
   * word (an access level, a key use) the function does use there.
   */
  readonly statementUsed: boolean;
  /** The service the statement's kms:ViaService condition admits, if any (e.g. `dynamodb`). */
  readonly viaService?: string;
}

/** What the check found. */
export interface IamReport {
  /** Calls evaluated (attributed to a function). */
  readonly calls: number;
  /** IAM requests those calls needed (one call may need several). */
  readonly requests: number;
  /** Functions with at least one recorded call, as `profile/handler`. */
  readonly functionsCalling: readonly string[];
  /** Functions of the templates, as `profile/handler`. */
  readonly functions: readonly string[];
  readonly denials: readonly Denial[];
  readonly unused: readonly UnusedGrant[];
  /** Grants (action × resource entry) in the checked roles' Allow statements. */
  readonly grants: number;
  /**
   * Handlers a test ran with a catalogue of its own that the profile's stack does not ship (a
   * route served only where a policy names what it needs), as `profile/handler`: no role to check.
   */
  readonly unshipped: readonly string[];
}

/** A profile's template and how its tables are keyed (for dynamodb:LeadingKeys). */
export interface ProfileTemplate {
  readonly template: TemplateJson;
  readonly partitionKeyOf?: (tableName: string, env: Readonly<Record<string, string>>) => string | undefined;
}

function list<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** The first resource a template expression names, skipping pseudo parameters. */
function namedResource(expression: unknown): string | undefined {
  if (Array.isArray(expression)) {
    for (const e of expression) {
      const found = namedResource(e);
      if (found) return found;
    }
    return undefined;
  }
  if (expression === null || typeof expression !== 'object') return undefined;
  const record = expression as Record<string, unknown>;
  if (typeof record.Ref === 'string' && !record.Ref.startsWith('AWS::')) return record.Ref;
  const att = record['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  return namedResource(Object.values(record));
}

/** Evaluates every attributed call of `recordings` against the templates of its profile. */
export function checkRecordings(
  recordings: Recordings,
  templates: Readonly<Record<string, ProfileTemplate>>,
  scope: EmulatorScope,
): IamReport {
  const functions = new Map<string, TemplateFunction[]>();
  for (const [profile, { template }] of Object.entries(templates))
    functions.set(profile, functionsOf(template));
  const policyCache = new Map<string, NamedPolicy[]>();
  const usedKeys = new Set<string>();
  const calling = new Set<string>();
  const denials: Denial[] = [];
  const unshipped = new Set<string>();
  let calls = 0;
  let requests = 0;

  const functionOf = (call: Call, profile: string): TemplateFunction | undefined => {
    const all = functions.get(profile) ?? [];
    if (call.handler !== undefined) {
      const byHandler = all.filter((f) => f.handler === call.handler);
      if (byHandler.length !== 1)
        throw new Error(`${profile}: ${byHandler.length} functions run ${call.handler}`);
      return byHandler[0];
    }
    return all.find((f) => f.logicalId === call.accessKeyId);
  };

  for (const call of recordings.calls) {
    const stack = recordings.stacks.get(call.source);
    if (call.handler === undefined && call.accessKeyId === 'local') continue;
    if (!stack)
      throw new Error(`calls of ${call.source} have no stack line: their resources cannot be resolved`);
    const profileTemplate = templates[stack.profile];
    if (!profileTemplate) throw new Error(`no template for profile ${stack.profile}`);
    if (
      call.handler !== undefined &&
      !functions.get(stack.profile)?.some((f) => f.handler === call.handler)
    ) {
      unshipped.add(`${stack.profile}/${call.handler}`);
      continue;
    }
    const fn = functionOf(call, stack.profile);
    if (!fn)
      throw new Error(`${call.source}: no function of ${stack.profile} made a call as ${call.accessKeyId}`);
    const cacheKey = `${call.source}|${fn.roleLogicalId}`;
    let policies = policyCache.get(cacheKey);
    if (!policies) {
      const refs: ResourceRefs = stack.logicalIds
        ? (id, attribute) => {
            const r = stack.logicalIds![id];
            return attribute ? r?.attrs[attribute] : r?.ref;
          }
        : emulatorRefs(profileTemplate.template, stack.env ?? {}, scope);
      policies = policiesOfRole(profileTemplate.template, fn.roleLogicalId, refs, scope);
      policyCache.set(cacheKey, policies);
    }
    calls++;
    calling.add(`${stack.profile}/${fn.handler}`);
    const partitionKeyOf: PartitionKeyOf | undefined = profileTemplate.partitionKeyOf
      ? (table) => profileTemplate.partitionKeyOf!(table, stack.env ?? {})
      : undefined;
    for (const request of authzRequestsOf(call, scope, partitionKeyOf)) {
      requests++;
      const result = evaluate(policies, request);
      if (result.decision !== 'allow') {
        denials.push({
          profile: stack.profile,
          handler: fn.handler,
          call: `${call.service}:${call.action}`,
          action: request.action,
          resource: request.resource,
          decision: result.decision,
        });
        continue;
      }
      for (const m of result.matches) {
        if (m.effect !== 'Allow' || m.action === undefined || m.resource === undefined) continue;
        const statement = policies.find((p) => p.name === m.policy)!.statements[m.index]!;
        const resourceIndex = list(statement.Resource).indexOf(m.resource);
        usedKeys.add(`${stack.profile}|${fn.logicalId}|${m.policy}|${m.index}|${m.action}|${resourceIndex}`);
      }
    }
  }

  // Grants are listed from the template itself, tokens shown by name, so they read the same
  // whichever emulator the calls went to. Both profiles' functions take their grants from the
  // one model, so a grant is unused only when no profile's function of that handler used it.
  const unused: UnusedGrant[] = [];
  let grants = 0;
  const shown = (logicalId: string, attribute?: string) =>
    `<${logicalId}${attribute ? `.${attribute}` : ''}>`;
  const names: EmulatorScope = { partition: '<Partition>', region: '<Region>', account: '<AccountId>' };
  interface Grant {
    readonly profile: string;
    readonly fn: TemplateFunction;
    readonly statement: Statement;
    readonly action: string;
    readonly resource: string;
    readonly raw: unknown;
    readonly expression: unknown;
    readonly used: boolean;
  }
  const all: Grant[] = [];
  const usedGrants = new Set<string>();
  const usedWords = new Set<string>();
  const usedResources = new Set<string>();
  const word = (statement: Statement) => [...list(statement.Action)].sort().join(',');
  for (const [profile, { template }] of Object.entries(templates)) {
    for (const fn of functions.get(profile) ?? []) {
      const raw = policiesOfRole(template, fn.roleLogicalId, () => undefined, names);
      const rendered = policiesOfRole(template, fn.roleLogicalId, shown, names);
      rendered.forEach((policy, p) => {
        policy.statements.forEach((statement: Statement, index) => {
          if (statement.Effect !== 'Allow') return;
          const rawResources = list(raw[p]!.statements[index]!.Resource);
          const expressions = templateStatementResources(template, policy.name, fn.roleLogicalId, index);
          for (const action of list(statement.Action)) {
            list(statement.Resource).forEach((resource, r) => {
              const used = usedKeys.has(`${profile}|${fn.logicalId}|${policy.name}|${index}|${action}|${r}`);
              all.push({
                profile,
                fn,
                statement,
                action,
                resource,
                raw: rawResources[r],
                expression: expressions[r],
                used,
              });
              if (!used) return;
              usedGrants.add(`${fn.handler}|${action}|${resource}`);
              usedWords.add(`${fn.handler}|${word(statement)}|${resource}`);
              usedResources.add(`${fn.handler}|${resource}`);
            });
          }
        });
      });
    }
  }
  for (const g of all) {
    grants++;
    if (usedGrants.has(`${g.fn.handler}|${g.action}|${g.resource}`)) continue;
    const template = templates[g.profile]!.template;
    const named = namedResource(g.expression);
    const table = g.resource.split('/index/')[0]!;
    const index = table !== g.resource;
    const via = list(
      g.statement.Condition?.StringEquals?.['kms:ViaService'] as string | string[] | undefined,
    )[0];
    unused.push({
      profile: g.profile,
      handler: g.fn.handler,
      action: g.action,
      resource: g.resource,
      resourceType: named ? template.Resources[named]!.Type : g.raw === '*' ? '*' : 'literal',
      ...(named ? { logicalId: named } : {}),
      index,
      // The unused part of a word used here: for an index, any use of its table.
      statementUsed: index
        ? usedResources.has(`${g.fn.handler}|${table}`)
        : usedWords.has(`${g.fn.handler}|${word(g.statement)}|${g.resource}`),
      ...(via ? { viaService: via.split('.')[0]! } : {}),
    });
  }
  const everyFunction = [...functions.entries()].flatMap(([profile, fns]) =>
    fns.map((f) => `${profile}/${f.handler}`),
  );
  return {
    calls,
    requests,
    functionsCalling: [...calling].sort(),
    functions: everyFunction,
    denials,
    unused,
    grants,
    unshipped: [...unshipped].sort(),
  };
}

/** The unresolved Resource entries of one statement of a role's policy, as the template writes them. */
function templateStatementResources(
  template: TemplateJson,
  policyName: string,
  roleLogicalId: string,
  index: number,
): unknown[] {
  const inline = policyName.startsWith(`${roleLogicalId}/`)
    ? (template.Resources[roleLogicalId]?.Properties?.Policies ?? []).find(
        (x: { PolicyName: string }) => `${roleLogicalId}/${x.PolicyName}` === policyName,
      )
    : template.Resources[policyName]?.Properties;
  const statements = list(inline?.PolicyDocument?.Statement) as { Resource?: unknown }[];
  const resource = statements[index]?.Resource;
  return resource === undefined ? [] : Array.isArray(resource) ? resource : [resource];
}

/** Why a grant may stay unused: matched by action, resource type, kms:ViaService and handlers. */
export interface UnusedGrantReason {
  readonly actions: readonly string[];
  /** The CloudFormation type the grant's resource has, or `*`. */
  readonly resourceType: string;
  /** Only grants whose statement admits the key through this service (kms:ViaService). */
  readonly viaService?: string;
  /** Only grants on resources whose logical id matches this pattern (a RegExp source). */
  readonly logicalId?: string;
  /** Only grants on a table's indexes (true) or on anything but an index (false). @default either */
  readonly index?: boolean;
  /** Only grants whose statement the function uses otherwise (see {@link UnusedGrant.statementUsed}). */
  readonly statementUsed?: boolean;
  /** Only these handlers' grants. @default every handler */
  readonly handlers?: readonly string[];
  readonly reason: string;
}

/** Whether `reason` explains `grant`. */
export function explains(reason: UnusedGrantReason, grant: UnusedGrant): boolean {
  return (
    reason.actions.some((a) => a.toLowerCase() === grant.action.toLowerCase()) &&
    reason.resourceType === grant.resourceType &&
    reason.viaService === grant.viaService &&
    (reason.logicalId === undefined || new RegExp(reason.logicalId).test(grant.logicalId ?? '')) &&
    (reason.index === undefined || reason.index === grant.index) &&
    (reason.statementUsed === undefined || reason.statementUsed === grant.statementUsed) &&
    (reason.handlers === undefined || reason.handlers.includes(grant.handler))
  );
}
