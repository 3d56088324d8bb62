/**
 * Idempotency-Key support through Powertools: a repeated mutation has one effect and returns
 * the first response. Keys are scoped to the caller (token subject), so one member's key can
 * never replay another's response, and the body is part of the check, so reusing a key for a
 * different request is refused. Responses of mutations carry no personal data by design, so
 * the stored record never holds any.
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SEOUL_REGION } from '../../policy/schema';
import { tableName } from './dynamodb';

/** How long a key is remembered. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

let persistence: DynamoDBPersistenceLayer | undefined;

/** The middy middleware of an idempotent route. No header, no idempotency: the request just runs. */
export function idempotentRequests() {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: tableName('idempotency'),
    awsSdkV3Client: new DynamoDBClient({ region: SEOUL_REGION }),
  });
  return makeHandlerIdempotent({
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
}
