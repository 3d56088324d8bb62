import { describe, expect, it } from 'vitest';
import { withRetries } from '../../lambdas/runtime/retry';

describe('withRetries', () => {
  it('answers the first success, trying no more than it needs', async () => {
    let calls = 0;
    const answer = await withRetries(async () => {
      calls++;
      if (calls < 3) throw new Error(`fail ${calls}`);
      return 'done';
    }, 5);
    expect(answer).toBe('done');
    expect(calls).toBe(3);
  });

  it('rethrows the last failure once every attempt failed', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      }, 3),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });
});
