/**
 * The officer's rules on memberships (L11/G13, L12), pure: what a terminated child's withdrawal
 * keeps, and when a membership may be suspended or reinstated.
 */
import type { Catalogue } from '../../../policy/schema';
import { Conflict } from '../../runtime/errors';

/**
 * Withdrawal for a terminated child's membership keeps only the records a law requires: the
 * catalogue's withdrawal classes without a `law` (kept by the operator's own choice) are left out.
 */
export function lawfulRetentionOnly(c: Catalogue): Catalogue {
  return {
    ...c,
    recordClasses: {
      ...c.recordClasses,
      onWithdrawal: c.recordClasses.onWithdrawal.filter((id) => c.retention[id]?.law !== undefined),
    },
  };
}

/** Why a membership in `status` may not be suspended, or undefined when it may. */
export function suspensionRefusal(status: string): Conflict | undefined {
  if (status === 'suspended')
    return new Conflict('Already suspended', 'The membership is already suspended.');
  return undefined;
}

/** Why a membership in `status` may not be reinstated, or undefined when it may. */
export function reinstatementRefusal(status: string): Conflict | undefined {
  if (status !== 'suspended') return new Conflict('Not suspended', 'The membership is not suspended.');
  return undefined;
}
