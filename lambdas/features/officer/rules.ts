/**
 * The officer's rules on memberships (L11/G13), pure: what a terminated child's withdrawal keeps.
 */
import type { Catalogue } from '../../../policy/schema';

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
