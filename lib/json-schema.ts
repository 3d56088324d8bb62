/**
 * Request schemas for API Gateway, converted from the route table's zod/mini schemas so the
 * gateway refuses malformed bodies with the same rules the handler applies. API Gateway models
 * speak JSON Schema draft 4 only; anything the converter does not understand is an error rather
 * than a silently weaker model.
 */
import { type JsonSchema, JsonSchemaType, JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import * as z from 'zod/mini';
import type { RequestSchema } from '../model/routes/route';

type Json = Record<string, unknown>;

const TYPES = new Set<string>(Object.values(JsonSchemaType));
/** Keywords whose value passes through unchanged. */
const SCALARS = new Set([
  'title',
  'description',
  'enum',
  'default',
  'format',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
]);
const SCHEMA_VALUED = new Set([
  'additionalItems',
  'additionalProperties',
  'not',
  'propertyNames',
  'contains',
  'items',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, message: string): never {
  throw new TypeError(`JSON Schema at ${path}: ${message}`);
}

function convertType(value: unknown, path: string): JsonSchemaType | JsonSchemaType[] {
  const one = (t: unknown): JsonSchemaType => {
    if (typeof t !== 'string' || !TYPES.has(t)) fail(path, `unknown type ${JSON.stringify(t)}`);
    return t as JsonSchemaType;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function convertSchemaOrBoolean(value: unknown, path: string): JsonSchema | boolean {
  if (typeof value === 'boolean') return value;
  return toApiGatewaySchema(value, path);
}

/** Converts a draft-4 JSON Schema document into the CDK's {@link JsonSchema}; throws on unknown keywords. */
export function toApiGatewaySchema(document: unknown, path = '#'): JsonSchema {
  if (!isObject(document)) fail(path, 'expected an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const at = `${path}/${key}`;
    if (key === '$schema') {
      if (value !== JsonSchemaVersion.DRAFT4)
        fail(at, `API Gateway models need draft 4, not ${String(value)}`);
      out.schema = JsonSchemaVersion.DRAFT4;
    } else if (key === '$ref') {
      out.ref = value;
    } else if (key === 'id' || key === '$id') {
      out.id = value;
    } else if (key === 'type') {
      out.type = convertType(value, at);
    } else if (key === 'const') {
      // Draft 4 has no const; a one-value enum says the same.
      out.enum = [value];
    } else if (SCALARS.has(key)) {
      out[key] = value;
    } else if (SCHEMA_VALUED.has(key)) {
      out[key] = Array.isArray(value)
        ? value.map((v, i) => toApiGatewaySchema(v, `${at}/${i}`))
        : convertSchemaOrBoolean(value, at);
    } else if (SCHEMA_MAPS.has(key)) {
      if (!isObject(value)) fail(at, 'expected an object of schemas');
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, toApiGatewaySchema(v, `${at}/${k}`)]),
      );
    } else if (SCHEMA_LISTS.has(key)) {
      if (!Array.isArray(value)) fail(at, 'expected an array of schemas');
      out[key] = value.map((v, i) => toApiGatewaySchema(v, `${at}/${i}`));
    } else if (key === 'dependencies') {
      if (!isObject(value)) fail(at, 'expected an object');
      out.dependencies = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          Array.isArray(v) ? v : toApiGatewaySchema(v, `${at}/${k}`),
        ]),
      );
    } else {
      fail(at, `keyword "${key}" has no API Gateway equivalent`);
    }
  }
  return out as JsonSchema;
}

/** The draft-4 JSON Schema of what a client may send, as zod/mini describes it. */
export function draft4Of(schema: RequestSchema): Json {
  // `input`: the gateway sees the request before any zod transform or default applies.
  return z.toJSONSchema(schema, { target: 'draft-4', io: 'input' }) as Json;
}

/** The API Gateway model schema of a request body schema. */
export function bodyModelSchema(schema: RequestSchema): JsonSchema {
  return toApiGatewaySchema(draft4Of(schema));
}

/** Query-string parameters for API Gateway (`method.request.querystring.x` → required), from a query schema. */
export function queryParameters(schema: RequestSchema): Record<string, boolean> {
  const document = draft4Of(schema);
  const properties = isObject(document.properties) ? Object.keys(document.properties) : [];
  const required = new Set(Array.isArray(document.required) ? document.required.map(String) : []);
  return Object.fromEntries(
    properties.map((name) => [`method.request.querystring.${name}`, required.has(name)]),
  );
}
