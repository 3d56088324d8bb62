/**
 * Idempotency-Key support through Powertools: a repeated mutation has one effect and returns
 * the first response. Keys are scoped to the caller (token subject), so one member's key can
 * never replay another's response, and the body is part of the check, so reusing a key for a
 * different request is refused. Responses of mutations carry no personal data by design, so
 * the stored record never holds any.
 */
import { IdempotencyConfig, IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { SEOUL_REGION } from '../../policy/schema';
import { DependencyError } from '../shared/errors';
import { logger } from '../shared/logger';
import { tableName } from './dynamodb';

/** How long a key is remembered. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

let persistence: DynamoDBPersistenceLayer | undefined;

/**
 * The middy middleware of an idempotent route. No header, no idempotency: the request just runs.
 *
 * Powertools' own middleware lets a failure of its table escape the handler. Here it fails
 * closed instead: before the operation, the request is refused as a dependency failure (nothing
 * done); after it, the operation stands and is answered, and only its record is missing; on an
 * error, the operation's own error is answered. Operations are idempotent by their own
 * conditional writes too, so a retry that re-runs one after the in-progress window is harmless.
 */
export function idempotentRequests(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: tableName('idempotency'),
    awsSdkV3Client: new DynamoDBClient({ region: SEOUL_REGION }),
  });
  const inner = makeHandlerIdempotent({
    persistenceStore: persistence,
    config: new IdempotencyConfig({
      // `a && b` is null when the header is absent, which turns idempotency off for the request.
      eventKeyJmesPath:
        'headers."idempotency-key" && [requestContext.authorizer.claims.sub, headers."idempotency-key", httpMethod, path]',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
      throwOnNoIdempotencyKey: false,
    }),
  });
  const persistenceFailed = (error: unknown) => error instanceof IdempotencyPersistenceLayerError;
  return {
    before: async (request) => {
      try {
        return await inner.before!(request as never);
      } catch (error) {
        if (persistenceFailed(error)) throw new DependencyError('dynamodb', { cause: error });
        throw error;
      }
    },
    after: async (request) => {
      try {
        await inner.after!(request as never);
      } catch (error) {
        if (!persistenceFailed(error)) throw error;
        logger.warn('idempotency record not saved', { error: (error as Error).name });
      }
    },
    onError: async (request) => {
      try {
        await inner.onError!(request as never);
      } catch (error) {
        if (!persistenceFailed(error)) throw error;
        // The in-progress record expires with the function's timeout; the retry then runs.
        logger.warn('idempotency record not released', { error: (error as Error).name });
      }
    },
  };
}
