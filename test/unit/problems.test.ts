/**
 * The one table from error kind to HTTP status (lambdas/http/problems.ts): what a client sees of
 * each kind, and what is logged of it.
 */
import { describe, expect, it } from 'vitest';
import { EdgeRefusal, problemFor, STATUS_OF_KIND } from '../../lambdas/http/problems';
import {
  ConcurrentChange,
  Conflict,
  DependencyFailed,
  Forbidden,
  InvalidInput,
  NotFound,
  RuleViolated,
} from '../../lambdas/runtime/errors';

const body = (error: unknown) => JSON.parse(problemFor(error).response.body);

describe('problem responses', () => {
  it('answers each domain error kind with the status of the one table, title and detail shown', () => {
    const cases = [
      [new InvalidInput([{ field: 'items.email', problem: 'must be a valid email' }]), 400],
      [new Forbidden('Age requirement not met', 'Members must be 14 or older.'), 403],
      [new NotFound('No such baby', 'No baby with this id belongs to the member.'), 404],
      [new Conflict('Already suspended', 'Reinstate first.'), 409],
      [new RuleViolated('Wrong code', 'The code does not match.', { field: 'code' }), 422],
    ] as const;
    for (const [error, status] of cases) {
      expect(STATUS_OF_KIND[error.kind]).toBe(status);
      expect(problemFor(error).status).toBe(status);
      expect(body(error)).toMatchObject({
        type: `urn:privacy-rights:problem:${error.kind}`,
        title: error.title,
        status,
        detail: error.detail,
      });
      expect(problemFor(error).log).toEqual({ problem: error.name });
    }
    expect(body(cases[4][0])).toMatchObject({ field: 'code' });
    expect(body(cases[0][0]).errors).toEqual([{ field: 'items.email', problem: 'must be a valid email' }]);
  });

  it('answers a dependency failure with the generic 503, logging the dependency and the kind of cause only', () => {
    const cause = Object.assign(new Error('arn:aws:kms:ap-northeast-2:123:key/abc for kim@example.com'), {
      name: 'DisabledException',
    });
    const outcome = problemFor(new DependencyFailed('kms', { cause }));
    expect(outcome.status).toBe(503);
    expect(JSON.parse(outcome.response.body)).toEqual({
      type: 'urn:privacy-rights:problem:dependency-failed',
      title: 'Service temporarily unavailable',
      status: 503,
    });
    expect(outcome.log).toEqual({ error: 'DependencyFailed', dependency: 'kms', cause: 'DisabledException' });
    expect(JSON.stringify(outcome)).not.toMatch(/arn:aws|kim@example/);
  });

  it('answers the edge refusals with their own status and a programming error with a bare 500', () => {
    expect(
      problemFor(new EdgeRefusal(415, 'Unsupported media type', 'Send the body as application/json.')).status,
    ).toBe(415);
    expect(body(new EdgeRefusal(401, 'Unauthorized', 'A valid bearer token is required.')).type).toBe(
      'urn:privacy-rights:problem:unauthorized',
    );
    const bug = problemFor(new TypeError("Cannot read properties of undefined (reading 'items')"));
    expect(bug.status).toBe(500);
    expect(JSON.parse(bug.response.body)).toEqual({
      type: 'urn:privacy-rights:problem:internal-error',
      title: 'Internal error',
      status: 500,
    });
    expect(bug.log).toEqual({ error: 'TypeError' });
  });

  it('11: answers a concurrent change with 409, its own problem type and Retry-After, so the client retries', () => {
    const outcome = problemFor(
      new ConcurrentChange('The membership changed while this request ran; retry it.'),
    );
    expect(outcome.status).toBe(409);
    expect(outcome.response.headers).toMatchObject({ 'retry-after': '1' });
    expect(JSON.parse(outcome.response.body)).toMatchObject({
      type: 'urn:privacy-rights:problem:concurrent-change',
      title: 'Concurrent change',
      status: 409,
    });
    // Other conflicts depend on the state, not on timing: retrying them as they are cannot help.
    expect(problemFor(new Conflict('Already suspended')).response.headers).not.toHaveProperty('retry-after');
  });
});
