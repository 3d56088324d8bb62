/**
 * Consent per purpose (L1, G2, L4/G4/G5). Required purposes are the membership itself; an
 * optional one can be granted or withdrawn at any time, and withdrawing it destroys the items
 * that only it justified, on the member and on every baby.
 */
import { membersTable } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { tableName } from '../../adapters/dynamodb';
import { Conflict, NotFound } from '../../runtime/errors';
import {
  type ConsentEvent,
  type ConsentState,
  profileUpdate,
  requireMemberData,
  type TransactItem,
  writeTransaction,
} from '../members/store';
import { grantedPurposes, unjustifiedItems } from './rules';

/** The outcome of a consent decision. */
export interface ConsentResult {
  readonly purpose: string;
  readonly granted: boolean;
  readonly at: string;
  /** Items destroyed because no purpose justifies them any longer. */
  readonly destroyed: string[];
}

/** Records a decision on one purpose for the token's subject. */
export async function decideConsent(
  c: Catalogue,
  memberId: string,
  purpose: string,
  granted: boolean,
  now: Date,
): Promise<ConsentResult> {
  const p = c.purposes[purpose];
  if (!p) throw new NotFound('No such purpose', 'The policy declares no purpose with this id.');
  if (p.required && !granted) {
    throw new Conflict(
      'Required purpose',
      `"${purpose}" is required for membership: withdraw the membership (DELETE /v1/me) to end it.`,
    );
  }
  const data = await requireMemberData(memberId);
  const current = data.profile.consents[purpose];
  // The decision stands already: a repeat (or a retried request) records nothing new.
  if (current && current.granted === granted) return { purpose, granted, at: current.at, destroyed: [] };
  const at = now.toISOString();
  const state: ConsentState = { granted, at, policyVersion: c.policy.version, channel: 'app' };
  const grantedNow = grantedPurposes({ ...data.profile.consents, [purpose]: state });
  const doomed = new Set(unjustifiedItems(c, grantedNow));
  const memberDoomed = Object.keys(data.profile.items).filter((id) => doomed.has(id));
  const members = tableName('members');

  const history: ConsentEvent = {
    ...membersTable.consentEvent(memberId, at, purpose),
    purpose,
    event: 'change',
    ...state,
  };
  const transaction: TransactItem[] = [
    profileUpdate(memberId, data.profile.rev, {
      set: { [`consents.${purpose}`]: state },
      remove: memberDoomed.flatMap((id) => [
        `items.${id}`,
        ...(data.profile.lookups[id] ? [`lookups.${id}`] : []),
      ]),
    }),
    { Put: { TableName: members, Item: history } },
  ];
  const babyDoomed = new Set<string>();
  for (const baby of data.babies) {
    const ids = Object.keys(baby.items).filter((id) => doomed.has(id));
    if (ids.length === 0) continue;
    for (const id of ids) babyDoomed.add(id);
    transaction.push({
      Update: {
        TableName: members,
        Key: { pk: baby.pk, sk: baby.sk },
        UpdateExpression: `REMOVE ${ids.map((_, i) => `#items.#d${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#items': 'items',
          ...Object.fromEntries(ids.map((id, i) => [`#d${i}`, id])),
        },
      },
    });
  }
  await writeTransaction(transaction);
  return { purpose, granted, at, destroyed: [...new Set([...memberDoomed, ...babyDoomed])] };
}
