/** The OpenAPI 3.1 document of the API, generated from the route table and its schemas. */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import { memberItems } from './item-schemas';
import {
  CONCURRENT_CHANGE_RETRY_AFTER_SECONDS,
  PROBLEM_KINDS,
  type ProblemKind,
  problemType,
} from './problems';
import { blockableUse, MAX_IDEMPOTENCY_KEY_LENGTH, OFFICER_GROUP, type Route } from './route';
import { routesOf } from './table';

type JsonObject = Record<string, unknown>;

const problemRef = { $ref: '#/components/schemas/Problem' };

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output' = 'input'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

/**
 * An example of a JSON schema's instance, from the examples its fields declare (a constant or
 * an enumeration's first value where they declare none); objects hold their required fields and
 * the optional ones that have an example. Undefined where a field has nothing to show.
 */
export function exampleOf(schema: JsonObject): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  if (options) return exampleOf(options.find((o) => o.type !== 'null') ?? options[0]!);
  if (schema.type === 'array') {
    const item = exampleOf((schema.items ?? {}) as JsonObject);
    return item === undefined ? [] : [item];
  }
  if (schema.type !== 'object') return undefined;
  const required = new Set((schema.required ?? []) as string[]);
  const fields = Object.entries((schema.properties ?? {}) as Record<string, JsonObject>)
    .map(([name, property]) => [name, exampleOf(property)] as const)
    .filter(([name, value]) => value !== undefined || required.has(name));
  return Object.fromEntries(fields);
}

/** Every problem kind a route can answer, with the cases it covers there. */
export function problemsOf(route: Route): Map<ProblemKind, string[]> {
  const kinds = new Map<ProblemKind, string[]>();
  const add = (kind: ProblemKind, why: string) => kinds.set(kind, [...(kinds.get(kind) ?? []), why]);
  add('invalid-input', 'Invalid request: each problem names its field; nothing was changed.');
  if (route.idempotent)
    add('invalid-input', `An Idempotency-Key longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  if (route.access !== 'public') add('unauthorized', 'Missing, invalid or expired bearer token.');
  if (route.access === 'officer') add('forbidden', `The caller is not in the ${OFFICER_GROUP} group.`);
  if (blockableUse(route) !== undefined)
    add('forbidden', 'The membership is suspended (L12) and the catalogue blocks this use of the service.');
  for (const [kind, why] of Object.entries(route.raises) as [ProblemKind, string][]) add(kind, why);
  if (route.idempotent && route.access === 'member' && route.use !== 'withdraw')
    add('not-found', 'A replay of a request whose member has since withdrawn or been destroyed (G10).');
  if (route.idempotent) {
    add('rule-violated', 'The Idempotency-Key was used for a different request.');
    add('concurrent-change', 'A request with the same Idempotency-Key is still running.');
  }
  if (route.body) {
    add('payload-too-large', 'The body is too large.');
    add('unsupported-media-type', 'The body is not application/json.');
  }
  add('internal-error', 'Internal error; nothing was changed.');
  add('dependency-failed', 'A dependency is unavailable; nothing was changed. Retry later.');
  return kinds;
}

/** The statuses a route answers with a problem, each with its kinds and their cases. */
function problemResponses(route: Route): JsonObject {
  const byStatus = new Map<number, [ProblemKind, string[]][]>();
  for (const [kind, cases] of problemsOf(route)) {
    const { status } = PROBLEM_KINDS[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [kind, cases]]);
  }
  const responses: JsonObject = {};
  for (const [status, kinds] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = kinds
      .map(([kind, cases]) => `\`${problemType(kind)}\`: ${cases.join(' ')}`)
      .join('\n\n');
    const retry = kinds.some(([kind]) => kind === 'concurrent-change');
    responses[String(status)] = {
      description,
      ...(retry
        ? {
            headers: {
              'Retry-After': {
                description: `On a concurrent change: seconds to wait (${CONCURRENT_CHANGE_RETRY_AFTER_SECONDS}) before retrying the same request, with the same Idempotency-Key.`,
                schema: { type: 'integer', minimum: 0 },
              },
            },
          }
        : {}),
      content: {
        'application/problem+json': {
          schema: {
            allOf: [problemRef, { properties: { type: { enum: kinds.map(([kind]) => problemType(kind)) } } }],
          },
        },
      },
    };
  }
  return responses;
}

function parameters(route: Route, catalogue: Catalogue): JsonObject[] {
  const params: JsonObject[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query?.(catalogue);
  if (query) {
    const schema = jsonSchema(query) as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      params.push({
        name,
        in: 'query',
        required: schema.required?.includes(name) ?? false,
        schema: property,
      });
    }
  }
  if (route.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: `Repeating a request with the same key has one effect and returns the first response; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (400 otherwise), an empty key is none.`,
      schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    });
  }
  return params;
}

function operation(route: Route, catalogue: Catalogue): JsonObject {
  const responses: JsonObject = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const types = r.contentTypes ?? (status === '204' ? [] : ['application/json']);
    const schema = r.schema ? jsonSchema(r.schema(catalogue), 'output') : undefined;
    responses[status] = {
      description: r.description,
      ...(types.length > 0
        ? {
            content: Object.fromEntries(
              types.map((t) => [
                t,
                schema && t === 'application/json' ? { schema, example: exampleOf(schema) } : {},
              ]),
            ),
          }
        : {}),
      ...(r.links
        ? {
            links: Object.fromEntries(
              Object.entries(r.links).map(([name, link]) => [
                name,
                { operationId: link.operationId, parameters: link.parameters },
              ]),
            ),
          }
        : {}),
    };
  }
  Object.assign(responses, problemResponses(route));

  const body = route.body?.(catalogue);
  const example = route.id === 'post-members' ? joinExample(catalogue) : undefined;
  return {
    operationId: route.id,
    summary: route.summary,
    tags: route.tags,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: parameters(route, catalogue),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(body), ...(example ? { example } : {}) } },
          },
        }
      : {}),
    responses,
  };
}

/** A join that succeeds: every required purpose consented, the age affirmed, the version in force. */
function joinExample(c: Catalogue): JsonObject {
  const examples: Record<string, string> = { email: 'member@example.com', phone: '+82 10 1234 5678' };
  const items = Object.fromEntries(
    memberItems(c)
      .filter(([, item]) => item.requiredFor.includes(c.signIn[0]!))
      .map(([id, item]) => [
        id,
        item.format.type === 'enum'
          ? String(item.format.values[0])
          : (examples[item.format.type] ?? `sample-${id}`),
      ]),
  );
  const consents = Object.fromEntries(Object.keys(c.purposes).map((p) => [p, true]));
  return { items, consents, ageAffirmation: true, policyVersion: c.policy.version };
}

/** The OpenAPI 3.1 document for a profile's API. */
export function openApiDocument(catalogue: Catalogue): JsonObject {
  const served = routesOf(catalogue);
  const paths: Record<string, JsonObject> = {};
  for (const route of served) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, catalogue);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${catalogue.operator.service.en} privacy-rights API`,
      version: catalogue.policy.version,
      description: `Privacy rights of ${catalogue.operator.service.en} members, enforcing the policy version ${catalogue.policy.version} (profile ${catalogue.profile}). Member ids come from the bearer token only.`,
    },
    servers: [{ url: '/', description: 'The API Gateway stage, or http://localhost:3000 locally' }],
    security: [{ bearer: [] }],
    tags: [...new Set(served.flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token.' },
      },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details. Never carries personal data or internals.',
          properties: {
            type: {
              type: 'string',
              format: 'uri',
              description: 'The kind of problem: urn:privacy-rights:problem:<kind>, listed in the README.',
            },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, problem: { type: 'string' } },
                required: ['field', 'problem'],
              },
            },
          },
          required: ['type', 'title', 'status'],
        },
      },
    },
  };
}
