/** The public routes of the published policy and of this API's own description. */
import * as z from 'zod/mini';
import { LANGUAGES } from '../../policy/i18n';
import { POLICY_FORMATS, type Route } from './route';

/** get-policy: the route of lambdas/handlers/get-policy.ts. */
export const getPolicyRoute = {
  id: 'get-policy',
  method: 'GET',
  path: '/v1/policy',
  access: 'public',
  summary:
    'The privacy policy in force, rendered from the catalogue (HTML, Markdown or JSON), in Korean or English.',
  tags: ['policy'],
  query: () =>
    z.strictObject({
      format: z.optional(z.enum(POLICY_FORMATS)),
      /** The language: wins over Accept-Language; an unsupported value is a 400 naming `lang`. */
      lang: z.optional(z.enum(LANGUAGES)),
    }),
  responses: {
    200: {
      description:
        "The policy in force and, when a change is announced, the upcoming version (L18); the format follows ?format= or the Accept header (default HTML), the language ?lang= or the Accept-Language header (default Korean); Content-Language names it. In Korean the sections follow PIPC's privacy-policy writing guideline, headed by the privacy labels.",
      contentTypes: ['text/html', 'text/markdown', 'application/json'],
    },
  },
  raises: {},
  followsPolicyVersion: true,
  grants: {},
} as const satisfies Route;

/** get-openapi: the route of lambdas/handlers/get-openapi.ts. */
export const getOpenapiRoute = {
  id: 'get-openapi',
  method: 'GET',
  path: '/v1/openapi.json',
  access: 'public',
  summary: 'This API as an OpenAPI 3.1 document.',
  tags: ['policy'],
  responses: { 200: { description: 'The OpenAPI document.', contentTypes: ['application/json'] } },
  raises: {},
  grants: {},
} as const satisfies Route;

/** Policy routes, in the order of the OpenAPI document. */
export const policyRoutes = [getPolicyRoute, getOpenapiRoute] as const;
