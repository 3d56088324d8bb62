/**
 * The adapter edge: an AWS SDK failure becomes a {@link DependencyFailed}, so the request fails
 * closed with a generic 5xx. Callers name the service errors they handle themselves (e.g. a
 * conditional check), which pass through unchanged.
 */
import { DependencyFailed } from '../runtime/errors';

/** Runs one SDK call, translating unexpected failures. */
export async function awsCall<T>(
  dependency: DependencyFailed['dependency'],
  call: () => Promise<T>,
  passThrough: readonly string[] = [],
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && passThrough.includes(error.name)) throw error;
    throw new DependencyFailed(dependency, { cause: error });
  }
}

/** Whether a failed transaction was cancelled by a condition (not by throttling or conflict). */
export function cancelledByCondition(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConditionalCheckFailedException') return true;
  if (error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'ConditionalCheckFailed');
}
