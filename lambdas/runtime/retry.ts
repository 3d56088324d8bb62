/**
 * Retrying a step whose failure would otherwise redo more than itself: recording what a notice
 * did, giving back a claim, reading one bucket of many. Backoff doubles from 50 ms.
 */

/** Runs `work` up to `attempts` times, waiting 25 ms × 2^attempt between tries; rethrows the last failure. */
export async function withRetries<T>(work: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
    }
  }
}
