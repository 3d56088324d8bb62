/**
 * What a suspension for false information blocks (L12): the uses of the service the catalogue
 * declares, never a privacy right (L14/G10, L16).
 */
import type { Catalogue, ServiceUse } from '../../../policy/schema';
import { Forbidden } from '../../runtime/errors';

/** The refusal of a use of the service while suspended, naming the rights that stay open. */
export function suspendedRefusal(): Forbidden {
  return new Forbidden(
    'Membership suspended',
    'A suspended membership cannot do this. Your rights stay open: view, export and correct your data (a correction is the way out of a suspension for false information), withdraw consent, restrict or object to processing, and withdraw.',
  );
}

/** Throws {@link suspendedRefusal} when a member of `status` may not make `use` of the service. */
export function refuseIfBlocked(c: Catalogue, status: string, use: ServiceUse): void {
  if (status === 'suspended' && c.suspension.blocks.includes(use)) throw suspendedRefusal();
}
