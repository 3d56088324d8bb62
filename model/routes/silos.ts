/**
 * The callback route of the operator's custom systems (issue 15): a system asked on the bus to
 * erase a member's data answers here with its outcome, authenticated by the token the event
 * carried (an HMAC by KMS of the request and the silo), not by a member's or officer's sign-in.
 */
import * as z from 'zod/mini';
import { siloAnswerResponse } from './responses';
import type { Route } from './route';

/** The outcomes a custom system may answer. */
export const SILO_ANSWER_OUTCOMES = ['erased', 'nothing-held', 'failed'] as const;

/** post-silo-answer: the route of lambdas/handlers/post-silo-answer.ts. */
export const postSiloAnswerRoute = {
  id: 'post-silo-answer',
  method: 'POST',
  path: '/v1/silo-requests/{requestId}/silos/{silo}/answer',
  access: 'public',
  summary:
    "A custom system's answer to a silo request: erased, nothing held, or failed with its reason; authenticated by the event's token.",
  tags: ['silos'],
  // A system retrying with the same Idempotency-Key gets its first answer back.
  idempotent: true,
  body: () =>
    z.strictObject({
      /** The `token` of the SiloErasureRequested event. */
      token: z.string().check(z.minLength(16), z.maxLength(128)),
      outcome: z.enum(SILO_ANSWER_OUTCOMES),
      /** Records or objects erased. */
      count: z.optional(z.int().check(z.minimum(0), z.maximum(1_000_000_000))),
      /** Why the system could not erase (required with `failed`); no personal data. */
      reason: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    }),
  responses: {
    200: {
      description: 'The answer, taken or (after an earlier final answer) left as it was.',
      schema: siloAnswerResponse,
    },
  },
  raises: {
    forbidden: "The token is not this request's and silo's.",
    'not-found': 'No custom silo of this request awaits an answer.',
  },
  grants: {
    // The answer goes to the request's ledger record; the last one signs the full receipt.
    tables: { requests: 'readwrite', vault: 'read-append', idempotency: 'readwrite' },
    keys: { receipts: ['sign'], callbacks: ['mac'] },
  },
} as const satisfies Route;

/** Silo routes, in the order of the OpenAPI document. */
export const siloRoutes = [postSiloAnswerRoute] as const;
