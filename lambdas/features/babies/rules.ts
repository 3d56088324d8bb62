/** What the catalogue asks of a baby (L2): how many a member may register, and what each needs. */
import type { Catalogue, SignInMethod } from '../../../policy/schema';
import { InvalidInput, NotFound, RuleViolated } from '../../runtime/errors';

/** Babies one member may register. */
export const MAX_BABIES = 20;

/**
 * Checks a new baby against the limit and the catalogue: `registered` babies so far, and the
 * items a baby requires for a member signing in with `method`.
 */
export function checkNewBaby(
  c: Catalogue,
  method: SignInMethod,
  registered: number,
  values: Readonly<Record<string, string | undefined>>,
): void {
  if (registered >= MAX_BABIES) throw new RuleViolated('Too many babies', `At most ${MAX_BABIES} babies.`);
  const missing = Object.entries(c.items)
    .filter(
      ([id, item]) =>
        item.subject === 'baby' && item.requiredFor.includes(method) && values[id] === undefined,
    )
    .map(([id]) => ({ field: `items.${id}`, problem: 'required for a baby' }));
  if (missing.length > 0) throw new InvalidInput(missing);
}

/** 404 for a baby that does not belong to the member (or no longer exists). */
export const noSuchBaby = () => new NotFound('No such baby', 'No baby with this id belongs to the member.');
