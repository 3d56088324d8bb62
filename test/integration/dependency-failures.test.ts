/**
 * Every kind of dependency failure answers the generic 503 problem and is logged with its kind:
 * KMS, DynamoDB, SES, SQS, the Cognito user pool, and DynamoDB writes left unprocessed after
 * the retries. A 500 is left for programming errors. Each failure is injected by a proxy between
 * the handlers and a real moto server, on a real route, and the handler's own error log line is
 * read back.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearDataKeyCache } from '../../lambdas/adapters/data-keys';
import { profiles } from '../../policy/catalogue';
import type { CatalogueInput } from '../../policy/schema';
import type { FaultProxy, FaultRule } from '../support/fault-proxy';
import { startTestStack, type TestStack } from './harness';
import { type ApiResponse, call } from './member-api';
import { asOfficer } from './officer-api';

const apple = { method: 'apple' as const };
const consents = { membership: true, 'service-delivery': true, 'abuse-prevention': true };

let stack: TestStack;
let faults: FaultProxy;
beforeAll(async () => {
  stack = await startTestStack('littleone', { faults: true });
  faults = stack.faults!;
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => faults.reset());

async function joined(sub: string): Promise<void> {
  const res = await call(stack, 'POST', '/v1/members', {
    sub,
    token: apple,
    body: {
      items: { userName: `${sub} name`, email: `${sub}@example.com` },
      consents,
      ageAffirmation: true,
      policyVersion: '1.0',
    },
  });
  expect(res.status).toBe(201);
}

/** A breach affecting member `sub` alone. */
function breachOf(sub: string) {
  return {
    reason: 'Breach found by the security team',
    discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
    items: ['email'],
    cause: { outsideAttack: false, description: { ko: '유출', en: 'A leak' } },
    measures: { ko: '조치함', en: 'Contained' },
    affected: { kind: 'list', memberIds: [sub] },
  };
}

/** Runs `act` with the handlers' error log captured; the handlers run in this process. */
async function withErrorLog(
  act: () => Promise<ApiResponse>,
): Promise<{ res: ApiResponse; errors: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  const write = process.stderr.write.bind(process.stderr);
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const res = await act();
    return {
      res,
      errors: lines
        .flatMap((l) => l.split('\n'))
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    };
  } finally {
    process.stderr.write = write;
    process.env.POWERTOOLS_LOG_LEVEL = level;
  }
}

const cases: {
  kind: string;
  rule: FaultRule;
  dependency: string;
  act: (sub: string) => Promise<ApiResponse>;
}[] = [
  {
    kind: 'KMS refusing to unwrap a data key',
    rule: { service: 'kms', operation: 'Decrypt', kind: 'realistic' },
    dependency: 'kms',
    act: (sub) => call(stack, 'GET', '/v1/me', { sub, token: apple }),
  },
  {
    kind: 'DynamoDB throttling a read',
    rule: { service: 'dynamodb', operation: 'Query', kind: 'throttled' },
    dependency: 'dynamodb',
    act: (sub) => call(stack, 'GET', '/v1/me', { sub, token: apple }),
  },
  {
    kind: 'SES rejecting a verification code',
    rule: { service: 'ses', operation: 'SendEmail', kind: 'realistic' },
    dependency: 'ses',
    act: (sub) =>
      call(stack, 'PATCH', '/v1/me', {
        sub,
        token: apple,
        body: { items: { email: `${sub}-new@example.com` } },
      }),
  },
  {
    kind: 'the Cognito user pool refusing to delete the sign-in account',
    rule: { service: 'cognito-idp', operation: 'ListUsers', kind: 'denied' },
    dependency: 'cognito',
    act: (sub) => call(stack, 'DELETE', '/v1/me', { sub, token: apple }),
  },
  {
    kind: "DynamoDB leaving a withdrawal's deletes unprocessed after every retry",
    rule: { service: 'dynamodb', operation: 'BatchWriteItem', kind: 'unprocessed' },
    dependency: 'dynamodb',
    act: (sub) => call(stack, 'DELETE', '/v1/me', { sub, token: apple }),
  },
  {
    kind: "SQS refusing a policy version's notices",
    rule: { service: 'sqs', operation: 'SendMessageBatch', kind: 'denied' },
    dependency: 'sqs',
    act: () => {
      const input = structuredClone(profiles.littleone) as CatalogueInput;
      const effectiveDate = '2031-03-09';
      return asOfficer(stack, 'POST', '/v1/admin/policy-versions', {
        catalogue: { ...input, policy: { ...input.policy, version: '1.1', effectiveDate } },
        effectiveDate,
        summary: 'Version 1.1: the contacts are updated.',
      });
    },
  },
  {
    kind: 'DynamoDB throttling the record of a breach (PIPA Art. 34)',
    rule: { service: 'dynamodb', operation: 'TransactWriteItems', kind: 'throttled' },
    dependency: 'dynamodb',
    act: (sub) => asOfficer(stack, 'POST', '/v1/admin/breaches', breachOf(sub)),
  },
  {
    // The breach stays recorded: its clocks run from discovery, and the hourly job (or a retry
    // with the same Idempotency-Key) starts the notices the queue refused.
    kind: "SQS refusing a breach's notices (PIPA Art. 34)",
    rule: { service: 'sqs', operation: 'SendMessageBatch', kind: 'denied' },
    dependency: 'sqs',
    act: (sub) => asOfficer(stack, 'POST', '/v1/admin/breaches', breachOf(sub)),
  },
  {
    kind: "DynamoDB throttling the read of a breach's notices (PIPA Art. 34)",
    rule: { service: 'dynamodb', operation: 'Query', kind: 'throttled' },
    dependency: 'dynamodb',
    act: () => asOfficer(stack, 'GET', '/v1/admin/breaches'),
  },
];

describe('dependency failures (littleone)', () => {
  it.each(
    cases.map((c, i) => ({ ...c, sub: `dep-${i}` })),
  )('$kind answers the generic 503 and logs the dependency', async ({ rule, dependency, act, sub }) => {
    await joined(sub);
    clearDataKeyCache();
    faults.inject(rule);
    const { res, errors } = await withErrorLog(() => act(sub));
    expect(faults.failed.length).toBeGreaterThan(0);
    expect(res.status).toBe(503);
    expect(res.json).toEqual({
      type: 'urn:privacy-rights:problem:dependency-failed',
      title: 'Service temporarily unavailable',
      status: 503,
    });
    expect(errors).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'request failed', status: 503, dependency }),
    );
    expect(JSON.stringify(errors)).not.toContain(sub);
  });
});
