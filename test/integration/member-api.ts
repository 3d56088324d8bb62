/**
 * Helpers for member-rights tests: JSON calls as a given member, every table read back from the
 * emulator, the emails it recorded, and the check of an identifier taken from the sign-in.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand as DocScan, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { clientConfig, physicalNames } from '../../local/bootstrap';
import type { TokenOptions } from '../../local/issuer';
import { readOutbox } from '../../local/outbox';
import { type TableName, tables } from '../../model/resources';
import { loadCatalogue } from '../../policy/catalogue';
import { contractViolations } from '../support/contract';
import type { TestStack } from './harness';

/** A response with its body parsed when it is JSON. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are asserted field by field.
  readonly json: any;
}

/** Calls the API as member `sub` (or anonymously with sub undefined). */
export async function call(
  stack: TestStack,
  method: string,
  path: string,
  options: { sub?: string; token?: TokenOptions; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.sub) headers.authorization = `Bearer ${await stack.token(options.sub, options.token)}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // Every answer keeps the declared contract (issue 14, items 8 and 9): its status is declared for
  // its operation, and its body is what the OpenAPI document says.
  const violations = contractViolations(loadCatalogue(stack.profile), {
    method,
    path,
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    text,
  });
  if (violations.length > 0) throw new Error(`Contract broken: ${violations.join('; ')}`);
  return { status: response.status, headers: response.headers, text, json };
}

/** Every item of every table, as the emulator holds it (raw attribute values). */
export async function scanTables<Skipped extends TableName = never>(
  stack: TestStack,
  skip: readonly Skipped[] = [],
): Promise<Record<Exclude<TableName, Skipped>, Record<string, unknown>[]>> {
  const client = new DynamoDBClient(clientConfig(stack.endpoint));
  const result = {} as Record<TableName, Record<string, unknown>[]>;
  for (const table of Object.keys(tables) as TableName[]) {
    if ((skip as readonly TableName[]).includes(table)) continue;
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, never> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: physicalNames.table(stack.profile, table),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      startKey = page.LastEvaluatedKey as typeof startKey;
    } while (startKey);
    result[table] = items;
  }
  return result;
}

/** Items of one table as plain objects. */
export async function scanTable(stack: TestStack, table: TableName): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoint)));
  const out = await doc.send(new DocScan({ TableName: physicalNames.table(stack.profile, table) }));
  return (out.Items ?? []) as Record<string, unknown>[];
}

/** The latest verification code emailed to `address`. */
export async function latestCode(stack: TestStack, address: string): Promise<string> {
  const mails = (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));
  const code = mails.at(-1)?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error('no verification code was sent');
  return code;
}

/** Emails sent to `address`. */
export async function mailsTo(stack: TestStack, address: string) {
  return (await readOutbox(stack.endpoint)).filter((m) => m.to.includes(address));
}

/**
 * The identifier item `field` is the verified sign-in's: a join naming `other` in it is refused
 * with 422 without echoing it, and stores nothing; a join leaving it out stores `expected`.
 */
export async function expectIdentifierFromSignIn(
  stack: TestStack,
  join: {
    sub: string;
    token: TokenOptions;
    body: { items: Record<string, unknown> };
    field: string;
    other: string;
    expected: string;
  },
): Promise<void> {
  const { sub, token, body, field } = join;
  const refused = await call(stack, 'POST', '/v1/members', {
    sub,
    token,
    body: { ...body, items: { ...body.items, [field]: join.other } },
  });
  expect(refused.status, refused.text).toBe(422);
  expect(refused.json).toMatchObject({
    title: 'Identifier does not match your sign-in',
    field: `items.${field}`,
  });
  expect(refused.text).not.toContain(join.other);
  expect((await scanTable(stack, 'members')).filter((i) => i.pk === `M#${sub}`)).toEqual([]);

  const joined = await call(stack, 'POST', '/v1/members', { sub, token, body });
  expect(joined.status, joined.text).toBe(201);
  const me = await call(stack, 'GET', '/v1/me', { sub, token });
  expect(me.json.items.find((i: { id: string }) => i.id === field).value).toBe(join.expected);
}
