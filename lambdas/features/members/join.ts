/**
 * Joining (L1, L2/G1, G2, L3, L11/G13): the catalogue decides which items the sign-in method
 * requires, which purposes must be granted, and what may be collected at all. Everything is
 * sealed before it is written, and the whole membership is written in one transaction.
 */

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { seoulDay } from '../../../model/calendar';
import { membersTable } from '../../../model/members-table';
import type { Catalogue } from '../../../policy/schema';
import { awsCall, cancelledByCondition } from '../../adapters/aws-call';
import { blindIndex } from '../../adapters/blind-index';
import { keyItem, newDataKey, rememberDataKey } from '../../adapters/data-keys';
import { documentClient, tableName } from '../../adapters/dynamodb';
import { Conflict, DependencyFailed, Forbidden, InvalidInput, RuleViolated } from '../../runtime/errors';
import type { Principal } from '../../runtime/principal';
import { requireConsentFor, requiredPurposes } from '../consents/rules';
import { activeBucket } from '../inactivity/rules';
import { binding, type ConsentEvent, type ConsentState, type MemberRecord, sealItems } from './store';

/** The validated join body. */
export interface JoinRequest {
  readonly items: Readonly<Record<string, string | undefined>>;
  readonly consents?: Readonly<Record<string, boolean | undefined>>;
  readonly ageAffirmation?: boolean;
  readonly policyVersion: string;
}

/** What joining returns: identifiers and decisions, never personal data. */
export interface JoinResult {
  readonly memberId: string;
  readonly joinedAt: string;
  readonly policyVersion: string;
  readonly consents: Readonly<Record<string, boolean>>;
}

/** Checks the request against the catalogue; throws the first problem a client must fix. */
function checkRequest(c: Catalogue, principal: Principal, req: JoinRequest): Record<string, string> {
  if (req.ageAffirmation !== true) {
    throw new Forbidden(
      'Age requirement not met',
      `Members must be ${c.minimumAge} or older: affirm it with "ageAffirmation": true. Nothing was stored.`,
    );
  }
  if (req.policyVersion !== c.policy.version) {
    throw new Conflict(
      'Outdated policy',
      `The notice shown was version ${req.policyVersion}; the policy in force is ${c.policy.version} (GET /v1/policy).`,
    );
  }
  const method = principal.method;
  const values: Record<string, string> = {};
  const errors: { field: string; problem: string }[] = [];
  for (const [id, value] of Object.entries(req.items)) {
    if (value === undefined) continue;
    if (!c.items[id]?.collectedFor.includes(method))
      errors.push({ field: `items.${id}`, problem: `not collected for ${method} sign-in` });
    else values[id] = value;
  }
  for (const [id, item] of Object.entries(c.items)) {
    if (
      item.store === 'members' &&
      item.subject === 'member' &&
      item.requiredFor.includes(method) &&
      !(id in values)
    ) {
      errors.push({ field: `items.${id}`, problem: `required for ${method} sign-in` });
    }
  }
  if (errors.length > 0) throw new InvalidInput(errors);
  const granted = new Set(Object.entries(req.consents ?? {}).flatMap(([p, g]) => (g ? [p] : [])));
  for (const purpose of requiredPurposes(c)) {
    if (!granted.has(purpose)) {
      throw new RuleViolated('Required consent missing', `The purpose "${purpose}" is required to join.`, {
        purpose,
      });
    }
  }
  for (const id of Object.keys(values)) requireConsentFor(c, id, granted);
  return values;
}

/** Creates the membership of the token's subject. */
export async function join(
  c: Catalogue,
  principal: Principal,
  req: JoinRequest,
  now: Date,
): Promise<JoinResult> {
  const values = checkRequest(c, principal, req);
  const { memberId } = principal;
  const at = now.toISOString();
  const lookupIds = Object.keys(values).filter((id) => c.items[id]?.lookup);
  const lookups = Object.fromEntries(
    await Promise.all(
      lookupIds.map(async (id) => [id, await blindIndex(c.profile, id, values[id]!)] as const),
    ),
  );
  const dataKey = await newDataKey(memberId);

  const consents: Record<string, ConsentState> = Object.fromEntries(
    Object.keys(c.purposes).map((p) => [
      p,
      { granted: req.consents?.[p] === true, at, policyVersion: c.policy.version, channel: 'app' as const },
    ]),
  );
  const profile: MemberRecord & { inactiveOn: string } = {
    ...membersTable.profile(memberId),
    memberId,
    status: 'active',
    signInMethod: principal.method,
    joinedAt: at,
    policyVersion: c.policy.version,
    items: sealItems(dataKey.plaintext, (id) => binding.item(memberId, id), values),
    consents,
    ageAffirmation: { affirmed: true, minimumAge: c.minimumAge, at, policyVersion: c.policy.version },
    lookups,
    lastSignInAt: at,
    lastSignInDay: seoulDay(now),
    // The sparse inactivity index finds the member on the day their notice falls due (G9).
    inactiveOn: activeBucket(c.inactivity, now),
    rev: 1,
  };
  const history: ConsentEvent[] = Object.entries(consents).map(([purpose, state]) => ({
    ...membersTable.consentEvent(memberId, at, purpose),
    purpose,
    event: 'join',
    ...state,
  }));
  const members = tableName('members');
  const absent = (attribute: string) => ({ ConditionExpression: `attribute_not_exists(${attribute})` });
  try {
    await awsCall(
      'dynamodb',
      () =>
        documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: members, Item: profile, ...absent('pk') } },
              {
                Put: {
                  TableName: tableName('keys'),
                  Item: keyItem(memberId, dataKey.wrapped, now),
                  ...absent('memberId'),
                },
              },
              ...Object.entries(lookups).map(([id, mac]) => ({
                Put: {
                  TableName: members,
                  Item: { ...membersTable.lookup(id, mac), memberId },
                  ...absent('pk'),
                },
              })),
              ...history.map((h) => ({ Put: { TableName: members, Item: h } })),
            ],
          }),
        ),
      ['TransactionCanceledException'],
    );
  } catch (error) {
    // Cancelled for another reason (a conflicting transaction, throttling): a dependency failure.
    if (!cancelledByCondition(error)) throw new DependencyFailed('dynamodb', { cause: error });
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const firstFailed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    throw firstFailed <= 1
      ? new Conflict('Already a member', 'This account already has a membership.')
      : new Conflict('Identifier in use', 'Another membership already uses one of these identifiers.');
  }
  rememberDataKey(memberId, dataKey.plaintext);
  return {
    memberId,
    joinedAt: at,
    policyVersion: c.policy.version,
    consents: Object.fromEntries(Object.entries(consents).map(([p, s]) => [p, s.granted])),
  };
}
