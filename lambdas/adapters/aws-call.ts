/**
 * The adapter edge: an AWS SDK failure becomes a {@link DependencyFailed}, so the request fails
 * closed with a generic 5xx. Callers name the service errors they handle themselves (e.g. a
 * conditional check), which pass through unchanged.
 */
import { ConcurrentChange, DependencyFailed } from '../runtime/errors';

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

/** The cancellation reason codes of a cancelled transaction; none for any other error. */
function cancellationCodes(error: unknown): string[] {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code ?? 'None');
}

/** Whether a failed write was cancelled by a condition (not by throttling or conflict). */
export function cancelledByCondition(error: unknown): boolean {
  if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return true;
  return cancellationCodes(error).includes('ConditionalCheckFailed');
}

/**
 * Whether a transaction was cancelled because another transaction was changing one of its items
 * at the same time, with no condition of its own failing: nothing was written, and the same race
 * lost on a condition answers 409, so this one does too (retrying against fresh state succeeds).
 * DynamoDB reports it as the `TransactionConflict` reason; moto never does.
 */
export function cancelledByConflict(error: unknown): boolean {
  const codes = cancellationCodes(error);
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/** The 409 of a write that lost a race with another change of the same items. */
export function concurrentChange(): ConcurrentChange {
  return new ConcurrentChange('The data changed while this request ran; retry it.');
}
