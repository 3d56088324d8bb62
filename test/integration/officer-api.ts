/**
 * Helpers for the privacy officer's tests: calls with an officer's token, every officer route
 * with placeholder parameters, and the access-record chain read back from the emulator.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACCESS_CHAIN, type AccessRecord } from '../../lambdas/features/access-records/rules';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import { officerRoutes } from '../../model/routes/officer';
import type { TestStack } from './harness';
import { type ApiResponse, call } from './member-api';

/** The officers' group claim. */
export const OFFICER = { groups: ['privacy-officer'] } as const;

/** Calls the API as officer `sub`. */
export function asOfficer(
  stack: TestStack,
  method: string,
  path: string,
  body?: unknown,
  sub = 'officer-kim',
): Promise<ApiResponse> {
  return call(stack, method, path, { sub, token: OFFICER, ...(body !== undefined ? { body } : {}) });
}

/** Every officer route with its path parameters filled in, as a client would call it. */
export function officerCalls(memberId: string) {
  return officerRoutes.map((route) => ({
    id: route.id,
    method: route.method,
    path: route.path
      .replace('{memberId}', memberId)
      .replace('{requestId}', 'req-1')
      .replace('{month}', '2026-11'),
  }));
}

/** A document client on the stack's emulator. */
export function documentClientOf(stack: TestStack) {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
}

/** The access-record chain, oldest first. */
export async function chainOf(stack: TestStack): Promise<AccessRecord[]> {
  const out = await documentClientOf(stack).send(
    new QueryCommand({
      TableName: physicalNames.table(stack.profile, 'handlerAccess'),
      KeyConditionExpression: 'chain = :c',
      ExpressionAttributeValues: { ':c': ACCESS_CHAIN },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as AccessRecord[];
}
