/**
 * Idempotency-Key support: a repeated mutation has one effect and returns the first response.
 * Keys are scoped to the caller (token subject), so one member's key can never replay another's
 * response, and the body is part of the check, so reusing a key for a different request is
 * refused. Responses of mutations carry no personal data by design, so the stored record never
 * holds any.
 *
 * A record per key in the idempotency table, in the format of the Powertools DynamoDB
 * persistence layer this replaces (id, status, expiration, in_progress_expiration, validation,
 * data), so records written before still replay. Powertools and its JMESPath engine cost every
 * idempotent function 41 KB for what is three conditional writes here.
 *
 * It fails closed: before the operation, a failure of the table refuses the request as a
 * dependency failure (nothing done); after it, the operation stands and is answered, and only
 * its record stays in progress until it expires; on an error, the operation's own error is
 * answered. Operations are idempotent by their own conditional writes too, so a retry that
 * re-runs one after the in-progress window is harmless.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConcurrentChange, DependencyFailed, RuleViolated } from '../runtime/errors';
import { logger } from '../runtime/logger';
import { awsCall } from './aws-call';
import { documentClient, putIf, tableName } from './dynamodb';

/** How long a key is remembered. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

/** The header, as the header normalizer leaves it. */
const HEADER = 'idempotency-key';
/** Attempts at claiming a key whose record changed between the write and the read. */
const ATTEMPTS = 3;

/** A request's claim on its key, kept for the after and error phases. */
interface Claim {
  readonly id: string;
  readonly validation: string;
}

/** An idempotency record as stored. */
interface IdempotencyRecord {
  readonly id: string;
  readonly status: 'INPROGRESS' | 'COMPLETED';
  /** Epoch seconds. */
  readonly expiration: number;
  /** Epoch milliseconds: when an unfinished request stops holding its key. */
  readonly in_progress_expiration?: number;
  readonly validation?: string;
  readonly data?: APIGatewayProxyResult;
}

type IdempotentRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

const claims = new WeakMap<IdempotentRequest, Claim>();

/** Powertools' hash (MD5, base64): ids and validations of records written before stay the same. */
function hash(value: unknown): string {
  return createHash('md5').update(JSON.stringify(value)).digest('base64');
}

/**
 * The claim of a request: its key scoped to caller, method and path, and its body's hash; none
 * without a key. An empty header is no key: it would otherwise be one key shared by everyone.
 */
export function claimOf(event: APIGatewayProxyEvent): Claim | undefined {
  const key = event.headers?.[HEADER];
  if (!key) return undefined;
  const sub = (event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined)?.sub;
  const scope = [sub ?? null, key, event.httpMethod ?? null, event.path ?? null];
  return {
    id: `${process.env.AWS_LAMBDA_FUNCTION_NAME ?? ''}#${hash(scope)}`,
    validation: hash(event.body ?? null),
  };
}

/** Writes the claim in progress unless a live record holds the key; false when one does. */
async function claim(c: Claim, remainingMs: number | undefined, now: number): Promise<boolean> {
  return putIf({
    TableName: tableName('idempotency'),
    Item: {
      id: c.id,
      status: 'INPROGRESS',
      expiration: Math.round(now / 1000 + IDEMPOTENCY_WINDOW_SECONDS),
      ...(remainingMs ? { in_progress_expiration: now + remainingMs } : {}),
      validation: c.validation,
    },
    // Free, expired, or held by a request that ran out of time.
    ConditionExpression:
      'attribute_not_exists(id) OR expiration < :now OR (#status = :inprogress AND attribute_exists(in_progress_expiration) AND in_progress_expiration < :nowMs)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':now': now / 1000, ':nowMs': now, ':inprogress': 'INPROGRESS' },
  });
}

async function recordOf(id: string): Promise<IdempotencyRecord | undefined> {
  const out = await awsCall('dynamodb', () =>
    documentClient.send(
      new GetCommand({ TableName: tableName('idempotency'), Key: { id }, ConsistentRead: true }),
    ),
  );
  return out.Item as IdempotencyRecord | undefined;
}

/**
 * What a request finds under a key someone holds: the first response to replay, or a refusal.
 * Undefined when the record went away, expired or was abandoned meanwhile: the key is free to
 * claim again.
 */
function verdict(
  c: Claim,
  record: IdempotencyRecord | undefined,
  now: number,
): APIGatewayProxyResult | undefined {
  if (!record || record.expiration < now / 1000) return undefined;
  const abandoned = record.status === 'INPROGRESS' && (record.in_progress_expiration ?? Infinity) < now;
  if (abandoned) return undefined;
  if (record.validation !== c.validation) {
    throw new RuleViolated(
      'Idempotency-Key reused',
      'This Idempotency-Key was used for a different request.',
    );
  }
  if (record.status === 'COMPLETED' && record.data) return record.data;
  throw new ConcurrentChange(
    'A request with this Idempotency-Key is still running; retry it.',
    'Request in progress',
  );
}

/**
 * Whether a stored response still holds for the request replaying it; throws the error the
 * current state calls for when it does not (e.g. 404 once the member it was about is gone).
 */
export type ReplayCheck = (event: APIGatewayProxyEvent) => Promise<void>;

/**
 * The middy middleware of an idempotent route. No header, no idempotency: the request just runs.
 * A replay is answered only when `stillHolds` (the route's) lets it.
 */
export function idempotentRequests(
  stillHolds?: ReplayCheck,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: async (request) => {
      const c = claimOf(request.event);
      if (!c) return undefined;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const now = Date.now();
        if (await claim(c, request.context.getRemainingTimeInMillis?.(), now)) {
          claims.set(request, c);
          return undefined;
        }
        // A replay ends the request here: middy answers it without running the handler.
        const replay = verdict(c, await recordOf(c.id), now);
        if (replay) {
          await stillHolds?.(request.event);
          return replay;
        }
      }
      throw new DependencyFailed('dynamodb', { cause: new Error('Idempotency record kept changing') });
    },
    after: async (request) => {
      const c = claims.get(request);
      if (!c || !request.response) return;
      try {
        await awsCall('dynamodb', () =>
          documentClient.send(
            new UpdateCommand({
              TableName: tableName('idempotency'),
              Key: { id: c.id },
              UpdateExpression:
                'SET expiration = :expiration, #status = :completed, #data = :data, validation = :validation',
              ExpressionAttributeNames: { '#status': 'status', '#data': 'data' },
              ExpressionAttributeValues: {
                ':expiration': Math.round(Date.now() / 1000 + IDEMPOTENCY_WINDOW_SECONDS),
                ':completed': 'COMPLETED',
                ':data': request.response,
                ':validation': c.validation,
              },
            }),
          ),
        );
      } catch (error) {
        logger.warn('idempotency record not saved', { error: (error as Error).name });
      }
    },
    onError: async (request) => {
      // Only the request that claimed the key releases it; a refused duplicate leaves it alone.
      const c = claims.get(request);
      if (!c) return;
      try {
        await awsCall('dynamodb', () =>
          documentClient.send(new DeleteCommand({ TableName: tableName('idempotency'), Key: { id: c.id } })),
        );
      } catch (error) {
        // The in-progress record expires with the function's timeout; the retry then runs.
        logger.warn('idempotency record not released', { error: (error as Error).name });
      }
    },
  };
}
