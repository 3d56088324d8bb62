/** The OpenAPI 3.1 document of the API, generated from the route table and its schemas. */
import * as z from 'zod/mini';
import type { Catalogue } from '../../policy/schema';
import { OFFICER_GROUP, type Route } from './route';
import { routesOf } from './table';

type JsonObject = Record<string, unknown>;

const problemRef = { $ref: '#/components/schemas/Problem' };
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemRef } },
});

function jsonSchema(schema: z.ZodMiniType): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
  }) as JsonObject;
  return rest;
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
      description: 'Repeating a request with the same key has one effect and returns the first response.',
      schema: { type: 'string', maxLength: 128 },
    });
  }
  return params;
}

function operation(route: Route, catalogue: Catalogue): JsonObject {
  const responses: JsonObject = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const types = r.contentTypes ?? (status === '204' ? [] : ['application/json']);
    responses[status] = {
      description: r.description,
      ...(types.length > 0 ? { content: Object.fromEntries(types.map((t) => [t, {}])) } : {}),
    };
  }
  responses['400'] = problem('Invalid request: each problem names its field; nothing was changed.');
  if (route.access !== 'public') responses['401'] = problem('Missing, invalid or expired bearer token.');
  if (route.access === 'officer')
    responses['403'] = problem(`The caller is not in the ${OFFICER_GROUP} group.`);
  if (route.body) {
    responses['413'] = problem('The body is too large.');
    responses['415'] = problem('The body is not application/json.');
  }
  responses['500'] = problem('Internal error; nothing was changed.');
  responses['503'] = problem('A dependency is unavailable; nothing was changed. Retry later.');

  const body = route.body?.(catalogue);
  return {
    operationId: route.id,
    summary: route.summary,
    tags: route.tags,
    ...(route.access === 'public' ? { security: [] } : {}),
    parameters: parameters(route, catalogue),
    ...(body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } }
      : {}),
    responses,
  };
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
      title: `${catalogue.operator.service} privacy-rights API`,
      version: catalogue.policy.version,
      description: `Privacy rights of ${catalogue.operator.service} members, enforcing the policy version ${catalogue.policy.version} (profile ${catalogue.profile}). Member ids come from the bearer token only.`,
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
            type: { type: 'string' },
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
