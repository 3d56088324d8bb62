/**
 * fast-check arbitraries built from the route table's request schemas (as the JSON Schema the
 * gateway models use), so property tests generate what the handlers are told to accept and a
 * wide range of what they must refuse. Which is which is decided by the very zod schema the
 * handler validates with.
 */
import fc from 'fast-check';

/** The subset of JSON Schema draft 4 our request schemas use. */
export interface Schema {
  readonly type?: 'object' | 'string' | 'boolean' | 'null' | 'number' | 'integer' | 'array';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly enum?: readonly unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly allOf?: readonly Schema[];
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** A request body as sent on the wire. */
export interface RawBody {
  readonly text: string;
  readonly contentType: string | undefined;
  /** What the case tries, for failure messages. */
  readonly kind: string;
}

const withinLength = (s: Schema) => (value: string) =>
  value.length >= (s.minLength ?? 0) && value.length <= (s.maxLength ?? Number.POSITIVE_INFINITY);

function stringOf(s: Schema): fc.Arbitrary<string> {
  if (s.enum) return fc.constantFrom(...(s.enum as string[]));
  const fits = withinLength(s);
  // A string may carry several patterns: zod declares the second one (an email's local-part
  // limit) under allOf.
  const patterns = [s.pattern, ...(s.allOf ?? []).map((p) => p.pattern)]
    .filter((p): p is string => p !== undefined)
    .map((p) => new RegExp(p));
  const matches = (value: string) => fits(value) && patterns.every((p) => p.test(value));
  const email = s.format === 'email' || patterns.some((p) => p.source.includes('@'));
  if (email) return fc.emailAddress({ size: 'small' }).filter(matches);
  if (s.format === 'uri') return fc.webUrl({ size: 'small' }).filter(matches);
  if (patterns[0]) return fc.stringMatching(patterns[0], { size: 'small' }).filter(matches);
  // Any Unicode, not only ASCII: names are written in Hangul, and with emoji.
  return fc
    .string({ unit: 'binary', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 60) })
    .filter(fits);
}

/** Values the schema accepts. */
export function validValue(s: Schema): fc.Arbitrary<unknown> {
  const choices = s.anyOf ?? s.oneOf;
  if (choices) return fc.oneof(...choices.map(validValue));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(s);
    case 'array': {
      const constraints = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 10) };
      const item = validValue(s.items ?? {});
      return s.uniqueItems
        ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) })
        : fc.array(item, constraints);
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -(2 ** 31), max: s.maximum ?? 2 ** 31 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true });
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, schema]) => [name, validValue(schema)]),
      );
      const record = fc.record(properties, { requiredKeys: [...(s.required ?? [])] });
      if (typeof s.additionalProperties !== 'object') return record;
      return fc
        .tuple(record, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })))
        .map(([known, extra]) => ({ ...extra, ...known }));
    }
    default:
      if (s.enum) return fc.constantFrom(...s.enum);
      throw new Error(`no generator for schema type ${String(s.type)}`);
  }
}

/** Field names an attacker would try to set: ids, state, expiry, consent flags, prototype keys. */
export const MASS_ASSIGNMENT_FIELDS = [
  'memberId',
  'sub',
  'pk',
  'sk',
  'status',
  'rev',
  'ttl',
  'expiresAt',
  'joinedAt',
  'lastSignInAt',
  'consents',
  'granted',
  'admin',
  'groups',
  'restriction',
  '__proto__',
  'constructor',
] as const;

type Json = unknown;

/** Every path to a value inside `value` (the root included), e.g. [], ['items'], ['items','email']. */
function paths(value: Json, prefix: string[] = []): string[][] {
  const here = [prefix];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) here.push(...paths(child, [...prefix, key]));
  }
  return here;
}

function objectPaths(value: Json): string[][] {
  return paths(value).filter((p) => {
    const at = p.reduce<Json>((v, k) => (v as Record<string, Json>)[k], value);
    return at !== null && typeof at === 'object' && !Array.isArray(at);
  });
}

/** A copy of `value` with the thing at `path` replaced (or removed when `replacement` is `REMOVE`). */
const REMOVE = Symbol('remove');
function replaceAt(value: Json, path: readonly string[], replacement: Json | typeof REMOVE): Json {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && replacement === REMOVE) delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

function nest(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const json = (value: Json, kind: string): RawBody => ({
  text: JSON.stringify(value),
  contentType: 'application/json',
  kind,
});

/** Wrongly typed values: whatever the field expects, some of these are not it. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.string({ maxLength: 10 }),
);

/**
 * Bodies built to break `schema`: extra fields (mass assignment), missing fields, wrong types,
 * huge strings and arrays, deep nesting, invalid JSON and wrong content types. Some of them may
 * happen to be valid; the caller filters those with the handler's own schema.
 */
export function hostileBody(schema: Schema): fc.Arbitrary<RawBody> {
  const valid = validValue(schema);
  const extraField = valid.chain((v) =>
    fc
      .tuple(
        fc.constantFrom(...objectPaths(v)),
        fc.oneof(fc.constantFrom(...MASS_ASSIGNMENT_FIELDS), fc.string({ minLength: 1, maxLength: 12 })),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map(([path, name, extra]) => {
        const injected = JSON.parse(JSON.stringify(v)) as Json;
        const holder = path.reduce<Json>((o, k) => (o as Record<string, Json>)[k], injected);
        // An own key even for "__proto__", as JSON.parse makes it from an attacker's raw body.
        Object.defineProperty(holder, name, {
          value: extra,
          enumerable: true,
          configurable: true,
          writable: true,
        });
        return json(injected, `extra field ${[...path, name].join('.')}`);
      }),
  );
  const missingField = valid.chain((v) => {
    const removable = paths(v).filter((p) => p.length > 0);
    if (removable.length === 0) return fc.constant(json({}, 'empty body'));
    return fc.constantFrom(...removable).map((p) => json(replaceAt(v, p, REMOVE), `missing ${p.join('.')}`));
  });
  const wrongType = valid.chain((v) =>
    fc
      .tuple(fc.constantFrom(...paths(v)), wrongValue)
      .map(([p, bad]) => json(replaceAt(v, p, bad), `wrong type at ${p.join('.') || '(body)'}`)),
  );
  const hugeString = valid.chain((v) =>
    fc
      .tuple(fc.constantFrom(...paths(v)), fc.integer({ min: 1_000, max: 80_000 }))
      .map(([p, n]) => json(replaceAt(v, p, 'x'.repeat(n)), `string of ${n} at ${p.join('.') || '(body)'}`)),
  );
  const hugeArray = valid.chain((v) =>
    fc
      .tuple(fc.constantFrom(...paths(v)), fc.integer({ min: 100, max: 20_000 }))
      .map(([p, n]) =>
        json(replaceAt(v, p, Array(n).fill('a')), `array of ${n} at ${p.join('.') || '(body)'}`),
      ),
  );
  const deep = fc
    .integer({ min: 50, max: 3_000 })
    .map((depth) => json({ items: nest(depth) }, `nesting ${depth}`));
  const invalidJson = fc
    .string({ maxLength: 60 })
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    })
    .map((text): RawBody => ({ text, contentType: 'application/json', kind: 'invalid JSON' }));
  const wrongContentType = fc
    .tuple(
      valid,
      fc.constantFrom(
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data',
      ),
    )
    .map(
      ([v, contentType]): RawBody => ({
        text: JSON.stringify(v),
        contentType,
        kind: `content type ${contentType}`,
      }),
    );

  return fc.oneof(
    extraField,
    missingField,
    wrongType,
    hugeString,
    hugeArray,
    deep,
    invalidJson,
    wrongContentType,
  );
}
