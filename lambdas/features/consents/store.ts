/** How a consent decision is written: the profile, its history and the items it destroys, at once. */
import { membersTable } from '../../../model/members-table';
import { tableName } from '../../adapters/dynamodb';
import { outboxPut } from '../lifecycle/store';
import {
  type BabyRecord,
  type ConsentEvent,
  type ConsentState,
  type MemberRecord,
  profileUpdate,
  type TransactItem,
  writeTransaction,
} from '../members/store';

/**
 * Records `state` as the decision on `purpose` in one transaction: the profile (read at its
 * revision) loses `destroyed` items and their lookups, the history gains an entry, and each baby
 * loses its listed items. A concurrent change of the member fails it whole (409).
 */
export async function writeConsentDecision(
  profile: MemberRecord,
  purpose: string,
  state: ConsentState,
  destroyed: readonly string[],
  babies: readonly (readonly [BabyRecord, readonly string[]])[],
): Promise<void> {
  const { memberId } = profile;
  const members = tableName('members');
  const history: ConsentEvent = {
    ...membersTable.consentEvent(memberId, state.at, purpose),
    purpose,
    event: 'change',
    ...state,
  };
  const transaction: TransactItem[] = [
    profileUpdate(memberId, profile.rev, {
      set: { [`consents.${purpose}`]: state },
      remove: destroyed.flatMap((id) => [`items.${id}`, ...(profile.lookups[id] ? [`lookups.${id}`] : [])]),
    }),
    { Put: { TableName: members, Item: history } },
    outboxPut('ConsentChanged', memberId, new Date(state.at), {
      purpose,
      granted: state.granted,
      destroyedItems: [...new Set([...destroyed, ...babies.flatMap(([, ids]) => ids)])],
    }),
  ];
  for (const [baby, ids] of babies) {
    transaction.push({
      Update: {
        TableName: members,
        Key: membersTable.baby(memberId, baby.babyId),
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
}

/**
 * Records `state` as the member's decision on providing to `recipient` (L5/G6): the profile (read
 * at its revision) and the consent history, at once; a concurrent change fails it whole (409).
 */
export async function writeProvisionConsent(
  profile: MemberRecord,
  recipient: string,
  state: ConsentState,
): Promise<void> {
  const purpose = `recipient:${recipient}`;
  const history: ConsentEvent = {
    ...membersTable.consentEvent(profile.memberId, state.at, purpose),
    purpose,
    recipient,
    event: 'change',
    ...state,
  };
  // The whole map is set, as DynamoDB cannot set a key of a map the profile does not hold yet.
  await writeTransaction([
    profileUpdate(profile.memberId, profile.rev, {
      set: { provisionConsents: { ...profile.provisionConsents, [recipient]: state } },
    }),
    { Put: { TableName: tableName('members'), Item: history } },
    outboxPut('ConsentChanged', profile.memberId, new Date(state.at), {
      recipient,
      granted: state.granted,
      destroyedItems: [],
    }),
  ]);
}
