/**
 * Recipients a policy may name (the seed catalogues name none), so that the consent per
 * recipient (L5) and its routes exist in a test.
 */
import { parseCatalogue, profiles } from '../../policy/catalogue';
import type { Catalogue } from '../../policy/schema';

/** A courier littleone provides the member's name and email to, for service delivery. */
export const COURIER = {
  name: { ko: '아기 택배', en: 'Baby Courier' },
  contact: 'privacy@courier.example',
  purposes: ['service-delivery'],
  items: ['userName', 'email'],
  source: 'test catalogue',
};

/** The littleone catalogue naming `thirdParties` (the courier alone unless told), as the app parses it. */
export function littleoneWith(thirdParties: Record<string, unknown> = { courier: COURIER }): Catalogue {
  return parseCatalogue({ ...structuredClone(profiles.littleone), thirdParties });
}
