/**
 * IAM policy evaluation for identity-based policies, as AWS documents it: a request is allowed
 * when some Allow statement matches it and no Deny statement does. A statement matches when its
 * Action (or NotAction), its Resource (or NotResource) and every condition of its Condition block
 * match. Unknown condition operators throw, so an unmodelled policy never silently passes.
 */

/** A value of a condition key in the request: single-valued keys hold a string, multivalued a list. */
export type ContextValue = string | readonly string[];

/** What one authorization asks: an action on a resource, with the request's condition keys. */
export interface AuthzRequest {
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** The resource ARN the action is authorized against. */
  readonly resource: string;
  /** Condition keys of the request context; names are matched case-insensitively. */
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/** One statement of a policy document, with every token already resolved. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ContextValue | boolean | number>>>>;
}

/** A resolved policy document, named for reports (e.g. the template's logical id). */
export interface NamedPolicy {
  readonly name: string;
  readonly statements: readonly Statement[];
}

/** A statement that matched a request: which policy, which statement, which of its entries. */
export interface StatementMatch {
  readonly policy: string;
  readonly index: number;
  readonly effect: 'Allow' | 'Deny';
  /** The Action entry that matched (undefined for NotAction statements). */
  readonly action?: string;
  /** The Resource entry that matched (undefined for NotResource statements). */
  readonly resource?: string;
}

/** The outcome of evaluating a request against a set of policies. */
export interface Decision {
  readonly decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  /** Every matching statement: the Allows that grant it and the Denies that refuse it. */
  readonly matches: readonly StatementMatch[];
}

function list<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** A pattern after policy variables are replaced: literal text, `*` (any run) or `?` (one character). */
type Token =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'one' };

/**
 * Splits an IAM pattern into tokens. Policy variables (`${aws:username}`, with an optional
 * `, 'default'`) are replaced by the context's value as literal text, and `${*}`, `${?}`, `${$}`
 * stand for the literal characters; a variable the context lacks makes the pattern match
 * nothing (undefined), as in IAM.
 */
function tokenize(pattern: string, context?: ReadonlyMap<string, ContextValue>): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '$' && pattern[i + 1] === '{' && context) {
      const close = pattern.indexOf('}', i);
      if (close > 0) {
        const inner = pattern.slice(i + 2, close);
        i = close + 1;
        if (inner === '*' || inner === '?' || inner === '$') {
          tokens.push({ kind: 'text', text: inner });
          continue;
        }
        const [key, fallback] = inner.split(/\s*,\s*/);
        const value = context.get(key!.toLowerCase());
        if (typeof value === 'string') tokens.push({ kind: 'text', text: value });
        else if (fallback !== undefined) tokens.push({ kind: 'text', text: fallback.replace(/^'|'$/g, '') });
        else return undefined;
        continue;
      }
    }
    tokens.push(c === '*' ? { kind: 'any' } : c === '?' ? { kind: 'one' } : { kind: 'text', text: c });
    i++;
  }
  return tokens;
}

/** Compiled patterns: a check evaluates the same few hundred patterns for every recorded call. */
const compiled = new Map<string, RegExp>();

function tokensRegExp(tokens: readonly Token[], ignoreCase: boolean): RegExp {
  const body = tokens
    .map((t) =>
      t.kind === 'any' ? '.*' : t.kind === 'one' ? '.' : t.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  const flags = ignoreCase ? 'si' : 's';
  const key = `${flags}:${body}`;
  let regExp = compiled.get(key);
  if (!regExp) {
    regExp = new RegExp(`^${body}$`, flags);
    compiled.set(key, regExp);
  }
  return regExp;
}

/** Whether `value` matches the IAM wildcard pattern (`*` any run of characters, `?` one). */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return tokensRegExp(tokenize(pattern)!, ignoreCase).test(value);
}

/** Actions match case-insensitively, with wildcards, service prefix included. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** Splits tokens at the first five colons of literal text: an ARN's six components. */
function arnComponents(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'text' && t.text.includes(':') && parts.length < 6) {
      const pieces = t.text.split(':');
      pieces.forEach((piece, i) => {
        if (i > 0 && parts.length < 6) parts.push([]);
        else if (i > 0) parts[parts.length - 1]!.push({ kind: 'text', text: ':' });
        if (piece) parts[parts.length - 1]!.push({ kind: 'text', text: piece });
      });
    } else {
      parts[parts.length - 1]!.push(t);
    }
  }
  return parts;
}

/**
 * Whether an ARN matches an ARN pattern (policy variables resolved from `context`): each of the
 * six components is matched on its own, so a wildcard never spans the colon between two
 * components; `*` alone matches every resource.
 */
export function arnMatches(
  pattern: string,
  arn: string,
  context?: ReadonlyMap<string, ContextValue>,
): boolean {
  const tokens = tokenize(pattern, context ?? new Map());
  if (!tokens) return false;
  if (tokens.length === 1 && tokens[0]!.kind === 'any') return true;
  const p = arnComponents(tokens);
  const a = arn.split(':');
  if (p.length === 1) return tokensRegExp(tokens, false).test(arn);
  // A pattern with fewer than six components is no ARN: IAM matches nothing with it.
  if (p.length !== 6 || a.length < 6 || a[0] !== 'arn') return false;
  const actual = [...a.slice(0, 5), a.slice(5).join(':')];
  return p.every((part, i) => tokensRegExp(part, false).test(actual[i]!));
}

/** Whether `value` matches a StringLike pattern, policy variables resolved from `context`. */
function stringLike(pattern: string, value: string, context: ReadonlyMap<string, ContextValue>): boolean {
  const tokens = tokenize(pattern, context);
  return tokens !== undefined && tokensRegExp(tokens, false).test(value);
}

/** A StringEquals value with policy variables replaced (no wildcards). */
function substitute(pattern: string, context: ReadonlyMap<string, ContextValue>): string | undefined {
  const tokens = tokenize(pattern, context);
  if (!tokens) return undefined;
  return tokens.map((t) => (t.kind === 'text' ? t.text : t.kind === 'any' ? '*' : '?')).join('');
}

type Comparator = (policyValue: string, requestValue: string) => boolean;

function parseNumber(text: string): number | undefined {
  const n = Number(text);
  return text.trim() === '' || Number.isNaN(n) ? undefined : n;
}

function parseDate(text: string): number | undefined {
  const asNumber = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  return Number.isNaN(asNumber) ? undefined : asNumber;
}

function numeric(test: (request: number, policy: number) => boolean): Comparator {
  return (p, r) => {
    const a = parseNumber(r);
    const b = parseNumber(p);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

function date(test: (request: number, policy: number) => boolean): Comparator {
  return (p, r) => {
    const a = parseDate(r);
    const b = parseDate(p);
    return a !== undefined && b !== undefined && test(a, b);
  };
}

/** The positive form of each operator and whether the operator negates it. */
const OPERATORS: Readonly<Record<string, { readonly base: string; readonly negated: boolean }>> = {
  StringEquals: { base: 'StringEquals', negated: false },
  StringNotEquals: { base: 'StringEquals', negated: true },
  StringEqualsIgnoreCase: { base: 'StringEqualsIgnoreCase', negated: false },
  StringNotEqualsIgnoreCase: { base: 'StringEqualsIgnoreCase', negated: true },
  StringLike: { base: 'StringLike', negated: false },
  StringNotLike: { base: 'StringLike', negated: true },
  NumericEquals: { base: 'NumericEquals', negated: false },
  NumericNotEquals: { base: 'NumericEquals', negated: true },
  NumericLessThan: { base: 'NumericLessThan', negated: false },
  NumericLessThanEquals: { base: 'NumericLessThanEquals', negated: false },
  NumericGreaterThan: { base: 'NumericGreaterThan', negated: false },
  NumericGreaterThanEquals: { base: 'NumericGreaterThanEquals', negated: false },
  DateEquals: { base: 'DateEquals', negated: false },
  DateNotEquals: { base: 'DateEquals', negated: true },
  DateLessThan: { base: 'DateLessThan', negated: false },
  DateLessThanEquals: { base: 'DateLessThanEquals', negated: false },
  DateGreaterThan: { base: 'DateGreaterThan', negated: false },
  DateGreaterThanEquals: { base: 'DateGreaterThanEquals', negated: false },
  Bool: { base: 'Bool', negated: false },
  ArnEquals: { base: 'ArnLike', negated: false },
  ArnLike: { base: 'ArnLike', negated: false },
  ArnNotEquals: { base: 'ArnLike', negated: true },
  ArnNotLike: { base: 'ArnLike', negated: true },
};

function comparator(base: string, context: ReadonlyMap<string, ContextValue>): Comparator {
  switch (base) {
    case 'StringEquals':
      return (p, r) => substitute(p, context) === r;
    case 'StringEqualsIgnoreCase':
      return (p, r) => substitute(p, context)?.toLowerCase() === r.toLowerCase();
    case 'StringLike':
      return (p, r) => stringLike(p, r, context);
    case 'ArnLike':
      return (p, r) => arnMatches(p, r, context);
    case 'Bool':
      return (p, r) => p.toLowerCase() === r.toLowerCase();
    case 'NumericEquals':
      return numeric((a, b) => a === b);
    case 'NumericLessThan':
      return numeric((a, b) => a < b);
    case 'NumericLessThanEquals':
      return numeric((a, b) => a <= b);
    case 'NumericGreaterThan':
      return numeric((a, b) => a > b);
    case 'NumericGreaterThanEquals':
      return numeric((a, b) => a >= b);
    case 'DateEquals':
      return date((a, b) => a === b);
    case 'DateLessThan':
      return date((a, b) => a < b);
    case 'DateLessThanEquals':
      return date((a, b) => a <= b);
    case 'DateGreaterThan':
      return date((a, b) => a > b);
    case 'DateGreaterThanEquals':
      return date((a, b) => a >= b);
    default:
      throw new Error(`condition operator ${base} is not modelled`);
  }
}

/**
 * One `operator: { key: values }` entry. Values of one key are ORed, keys are ANDed. A missing
 * key fails a positive operator and passes a negated one, except with `IfExists` (passes) and
 * `Null` (tests presence); `ForAllValues` passes on a missing key, `ForAnyValue` fails.
 */
function conditionHolds(
  operatorName: string,
  key: string,
  policyValues: readonly string[],
  context: ReadonlyMap<string, ContextValue>,
): boolean {
  const value = context.get(key.toLowerCase());
  const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
  let qualifier: 'ForAllValues' | 'ForAnyValue' | undefined;
  let name = operatorName;
  const qualified = /^(ForAllValues|ForAnyValue):(.+)$/.exec(name);
  if (qualified) {
    qualifier = qualified[1] as 'ForAllValues' | 'ForAnyValue';
    name = qualified[2]!;
  }
  if (name === 'Null') {
    if (qualifier) throw new Error(`${operatorName} is not a valid condition operator`);
    return policyValues.some((p) => (p.toLowerCase() === 'true' ? !present : present));
  }
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const op = OPERATORS[name];
  if (!op) throw new Error(`condition operator ${operatorName} is not modelled`);
  const compare = comparator(op.base, context);
  // Per request value: a positive operator matches any policy value; a negated one matches none.
  const valueMatches = (requestValue: string) => {
    const any = policyValues.some((p) => compare(p, requestValue));
    return op.negated ? !any : any;
  };
  if (!present) {
    if (ifExists) return true;
    if (qualifier === 'ForAllValues') return true;
    if (qualifier === 'ForAnyValue') return false;
    return op.negated;
  }
  const values = list(value as ContextValue);
  if (qualifier === 'ForAllValues') return values.every(valueMatches);
  if (qualifier === 'ForAnyValue') return values.some(valueMatches);
  if (values.length !== 1) {
    throw new Error(
      `condition key ${key} has several values: the policy must use ForAllValues or ForAnyValue`,
    );
  }
  return valueMatches(values[0]!);
}

function stringValues(raw: ContextValue | boolean | number): string[] {
  return (Array.isArray(raw) ? raw : [raw]).map((v) => String(v));
}

/** Whether every condition of a statement's Condition block holds for the request context. */
export function conditionsHold(
  condition: Statement['Condition'],
  context: Readonly<Record<string, ContextValue>> = {},
): boolean {
  if (!condition) return true;
  const byKey = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(condition).every(([operator, entries]) =>
    Object.entries(entries).every(([key, raw]) => conditionHolds(operator, key, stringValues(raw), byKey)),
  );
}

/** The statement's entries that match the request, or undefined when the statement does not apply. */
function statementMatch(
  statement: Statement,
  request: AuthzRequest,
  context: ReadonlyMap<string, ContextValue>,
): { action?: string; resource?: string } | undefined {
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) {
    throw new Error('a statement needs exactly one of Action and NotAction');
  }
  if ((statement.Resource === undefined) === (statement.NotResource === undefined)) {
    throw new Error('a statement needs exactly one of Resource and NotResource');
  }
  let action: string | undefined;
  if (statement.Action !== undefined) {
    action = list(statement.Action).find((a) => actionMatches(a, request.action));
    if (action === undefined) return undefined;
  } else if (list(statement.NotAction).some((a) => actionMatches(a, request.action))) {
    return undefined;
  }
  const resourceMatches = (pattern: string) => arnMatches(pattern, request.resource, context);
  let resource: string | undefined;
  if (statement.Resource !== undefined) {
    resource = list(statement.Resource).find(resourceMatches);
    if (resource === undefined) return undefined;
  } else if (list(statement.NotResource).some(resourceMatches)) {
    return undefined;
  }
  if (!conditionsHold(statement.Condition, request.context)) return undefined;
  return { ...(action !== undefined ? { action } : {}), ...(resource !== undefined ? { resource } : {}) };
}

/** Evaluates one request against identity policies: explicit Deny, then Allow, else implicit deny. */
export function evaluate(policies: readonly NamedPolicy[], request: AuthzRequest): Decision {
  const context = new Map(Object.entries(request.context ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const matches: StatementMatch[] = [];
  for (const policy of policies) {
    policy.statements.forEach((statement, index) => {
      const hit = statementMatch(statement, request, context);
      if (hit) matches.push({ policy: policy.name, index, effect: statement.Effect, ...hit });
    });
  }
  const decision = matches.some((m) => m.effect === 'Deny')
    ? 'explicit-deny'
    : matches.some((m) => m.effect === 'Allow')
      ? 'allow'
      : 'implicit-deny';
  return { decision, matches };
}
