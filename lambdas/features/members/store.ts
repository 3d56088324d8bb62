/**
 * How a member lives in the members table (single-table design; the keys of every kind of item
 * are built in model/members-table.ts), and the sealing of each personal field under the
 * member's data key.
 */

import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  MEMBER_ITEM_PREFIX,
  type MemberItemKind,
  memberPk,
  membersTable,
  PROFILE_SK,
} from '../../../model/members-table';
import type { Language } from '../../../policy/i18n';
import type { SignInMethod } from '../../../policy/schema';
import { awsCall, cancelledByCondition, cancelledByConflict } from '../../adapters/aws-call';
import { dataKeyOf, keyItem } from '../../adapters/data-keys';
import { documentClient, getItem, queryAll, tableName, transactIf, updateIf } from '../../adapters/dynamodb';
import {
  ConcurrentChange,
  Conflict,
  DependencyFailed,
  type DomainError,
  NotAMember,
} from '../../runtime/errors';
import { decryptField, encryptField } from './cipher';

/** Where a request came from; self-service routes are `app`. */
export type Channel = 'app' | 'letter' | 'phone' | 'email';

/** A consent decision as it stands now. */
export interface ConsentState {
  readonly granted: boolean;
  readonly at: string;
  readonly policyVersion: string;
  readonly channel: Channel;
}

/** The age affirmation, recorded like a consent (L11/G13). */
export interface AgeAffirmation {
  readonly affirmed: boolean;
  readonly minimumAge: number;
  readonly at: string;
  readonly policyVersion: string;
}

/** A restriction of or objection to processing (L16). */
export interface Restriction {
  readonly scope: string;
  /** Sealed: a reason may describe the member. */
  readonly reason: string;
  readonly since: string;
  /**
   * The start of the restriction the recipients were told of (GDPR Art. 19): kept when a
   * restriction replaces another, so a replacement tells nobody again.
   */
  readonly recipientsRef?: string;
}

/** The PROFILE item. Every personal value in it is sealed. */
export interface MemberRecord {
  readonly pk: string;
  readonly sk: 'PROFILE';
  readonly memberId: string;
  readonly status: 'active' | 'suspended' | 'withdrawing';
  readonly signInMethod: SignInMethod;
  readonly joinedAt: string;
  readonly policyVersion: string;
  readonly items: Readonly<Record<string, string>>;
  readonly consents: Readonly<Record<string, ConsentState>>;
  /** The member's separate consent to each recipient the catalogue names, by its id (L5/G6). */
  readonly provisionConsents?: Readonly<Record<string, ConsentState>>;
  readonly ageAffirmation: AgeAffirmation;
  /** Blind index of each lookup item, to find and remove its lookup item. */
  readonly lookups: Readonly<Record<string, string>>;
  readonly restriction?: Restriction;
  /** Why and since when the membership is suspended (L12); the reason is sealed. */
  readonly suspension?: { readonly reason: string; readonly since: string; readonly by: string };
  readonly lastSignInAt: string;
  readonly lastSignInDay: string;
  /** The language the member reads the product in, recorded at join; absent means Korean. */
  readonly lang?: Language;
  /** Optimistic-lock revision: every update of the profile requires the one it read. */
  readonly rev: number;
}

/** A baby of a member. */
export interface BabyRecord {
  readonly pk: string;
  readonly sk: string;
  readonly babyId: string;
  readonly items: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

/** A correction waiting for its verification code. */
export interface CorrectionRecord {
  readonly pk: string;
  readonly sk: string;
  readonly correctionId: string;
  readonly itemId: string;
  readonly value: string;
  readonly lookup?: string;
  readonly codeHash: string;
  readonly attempts: number;
  readonly requestedAt: string;
  readonly expiresAt: number;
}

/** One entry of the consent history. */
export interface ConsentEvent extends ConsentState {
  readonly pk: string;
  readonly sk: string;
  /** The purpose decided on; `recipient:<id>` for a consent to a recipient (L5/G6). */
  readonly purpose: string;
  /** The recipient a consent to provision names, by its catalogue id. */
  readonly recipient?: string;
  readonly event: 'join' | 'change';
}

/** A provision of items to a third party, recorded by the privacy officer's API (L5/G6). */
export interface ProvisionRecord {
  readonly pk: string;
  readonly sk: string;
  readonly provisionId: string;
  readonly recipient: string;
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis: string;
  /** The law or instrument a provision without consent rests on (L5/G6). */
  readonly legalReference?: string;
  /** Where the recipient is told of corrections to what it received (L15/G11). */
  readonly recipientContact?: string;
  readonly at: string;
  /** The officer who recorded it. */
  readonly by?: string;
}

/** A correction notice to a recipient of provided data, one per correction and recipient (L15/G11). */
export interface CorrectionNoticeRecord {
  readonly pk: string;
  readonly sk: string;
  readonly correctionRef: string;
  /** What the recipient is told of (GDPR Art. 19); absent on a correction notice. */
  readonly change?: 'erasure' | 'restriction';
  readonly recipient: string;
  readonly recipientContact: string;
  readonly items: readonly string[];
  readonly provisionIds: readonly string[];
  readonly status: 'pending' | 'sent';
  readonly at: string;
  readonly sentAt?: string;
}

/** Everything stored under a member's partition. */
export interface MemberData {
  readonly profile: MemberRecord;
  readonly babies: BabyRecord[];
  readonly corrections: CorrectionRecord[];
  readonly consentHistory: ConsentEvent[];
  readonly provisions: ProvisionRecord[];
  /** Purchases and other records the service created (L10), each with its retention class. */
  readonly records: ServiceRecord[];
  readonly correctionNotices: CorrectionNoticeRecord[];
}

/** A service record as stored under the member's partition. */
export interface ServiceRecord {
  readonly pk: string;
  readonly sk: string;
  readonly recordId: string;
  readonly itemId: string;
  readonly retentionClass: string;
  readonly createdAt: string;
  /** Sealed under the member's data key. */
  readonly value: string;
}

/** A conditional update of a member's profile item. */
export interface ProfileUpdate {
  readonly update: string;
  readonly condition: string;
  readonly names: Record<string, string>;
  readonly values?: Record<string, unknown>;
  /** Answer with the attributes the update replaced. */
  readonly returnOld?: boolean;
}

/**
 * Applies `u` to the member's profile if its condition holds: undefined when it does not, else
 * the attributes it replaced (with `returnOld`) or an empty object. The one shape of the state
 * transitions that sign-ins, inactivity and policy notices make.
 */
export function updateProfileIf(
  memberId: string,
  u: ProfileUpdate,
): Promise<Record<string, unknown> | undefined> {
  return updateIf({
    TableName: tableName('members'),
    Key: membersTable.profile(memberId),
    UpdateExpression: u.update,
    ConditionExpression: u.condition,
    ExpressionAttributeNames: u.names,
    ...(u.values ? { ExpressionAttributeValues: u.values } : {}),
    ...(u.returnOld ? { ReturnValues: 'UPDATED_OLD' as const } : {}),
  });
}

/**
 * Records a sign-in at `at` unless one was already recorded on Seoul day `day`: the member moves
 * to inactivity bucket `bucket`, and a pending notice or destruction is cancelled unless the
 * destruction is under way. False when nothing was written (no active member, or already today).
 */
export async function markSignedIn(
  memberId: string,
  at: string,
  day: string,
  bucket: string,
): Promise<boolean> {
  const written = await updateIf({
    TableName: tableName('members'),
    Key: membersTable.profile(memberId),
    UpdateExpression: 'SET lastSignInAt = :at, lastSignInDay = :day, inactiveOn = :bucket REMOVE #inactivity',
    ConditionExpression:
      'attribute_exists(pk) AND #status = :active AND lastSignInDay <> :day AND (attribute_not_exists(#inactivity) OR #inactivity.#state <> :destroying)',
    ExpressionAttributeNames: { '#status': 'status', '#inactivity': 'inactivity', '#state': 'state' },
    ExpressionAttributeValues: {
      ':at': at,
      ':day': day,
      ':active': 'active',
      ':bucket': bucket,
      ':destroying': 'destroying',
    },
  });
  return written !== undefined;
}

/** A new member's profile as joining makes it; the store adds its key and first revision. */
export type NewMember = Omit<MemberRecord, 'pk' | 'sk' | 'rev'> & { readonly inactiveOn: string };

/**
 * Writes a new membership in one transaction: the profile, the wrapped data key, one lookup item
 * per blind index, the first consent history and `extra` items (an import's babies and records).
 * Each put is guarded, so nothing is written when the account already has a membership or an
 * identifier is taken (409, saying which).
 */
export async function putMembership(
  member: NewMember,
  wrappedKey: string,
  now: Date,
  extra: readonly TransactItem[] = [],
): Promise<void> {
  const { memberId, joinedAt } = member;
  const members = tableName('members');
  const absent = (attribute: string) => ({ ConditionExpression: `attribute_not_exists(${attribute})` });
  const profile: MemberRecord & { inactiveOn: string } = {
    ...membersTable.profile(memberId),
    ...member,
    rev: 1,
  };
  const history: ConsentEvent[] = Object.entries(member.consents).map(([purpose, state]) => ({
    ...membersTable.consentEvent(memberId, joinedAt, purpose),
    purpose,
    event: 'join',
    ...state,
  }));
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
                  Item: keyItem(memberId, wrappedKey, now),
                  ...absent('memberId'),
                },
              },
              ...Object.entries(member.lookups).map(([id, mac]) => ({
                Put: {
                  TableName: members,
                  Item: { ...membersTable.lookup(id, mac), memberId },
                  ...absent('pk'),
                },
              })),
              ...history.map((h) => ({ Put: { TableName: members, Item: h } })),
              ...extra,
            ],
          }),
        ),
      ['TransactionCanceledException'],
    );
  } catch (error) {
    // Another transaction on the same items (a simultaneous join): 409, and the retry finds the
    // membership. Cancelled for another reason (throttling): a dependency failure.
    if (cancelledByConflict(error)) throw concurrentChange();
    if (!cancelledByCondition(error)) throw new DependencyFailed('dynamodb', { cause: error });
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    // The profile and the data key come first: a clash on either is the account's own membership.
    throw reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed') <= 1
      ? new Conflict('Already a member', 'This account already has a membership.')
      : new Conflict('Identifier in use', 'Another membership already uses one of these identifiers.');
  }
}

/** What a member's item is sealed against, so its ciphertext cannot move to another member or item. */
export const itemBinding = (memberId: string, itemId: string) => `member/${memberId}/item/${itemId}`;
/** What a baby's item is sealed against. */
export const babyBinding = (memberId: string, babyId: string, itemId: string) =>
  `member/${memberId}/baby/${babyId}/item/${itemId}`;
/** What the new value of a pending correction is sealed against. */
export const correctionBinding = (memberId: string, correctionId: string, itemId: string) =>
  `member/${memberId}/correction/${correctionId}/item/${itemId}`;
/** What the reason of a restriction is sealed against. */
export const restrictionBinding = (memberId: string) => `member/${memberId}/restriction/reason`;

/** What a sealed value is bound to, so it cannot be moved to another member, baby or item. */
export const binding = {
  item: itemBinding,
  baby: babyBinding,
  correction: correctionBinding,
  restriction: restrictionBinding,
  suspension: (memberId: string) => `member/${memberId}/suspension/reason`,
};

/** The member's data key, or 404 when the member does not exist or was shredded. */
export async function requireDataKey(memberId: string): Promise<Uint8Array> {
  const key = await dataKeyOf(memberId);
  if (!key) throw notAMember();
  return key;
}

/** 404 for a caller who is not (or no longer) a member. */
export function notAMember(): DomainError {
  return new NotAMember();
}

/** Seals a map of item values. */
export function sealItems(
  key: Uint8Array,
  bind: (itemId: string) => string,
  values: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([id, v]) => [id, encryptField(key, bind(id), v)]));
}

/** Opens a map of sealed item values. */
export function openItems(
  key: Uint8Array,
  bind: (itemId: string) => string,
  sealed: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(sealed).map(([id, v]) => [id, decryptField(key, bind(id), v)]));
}

/** Reads every item of a member's partition; undefined when there is no profile. */
export async function loadMemberData(memberId: string): Promise<MemberData | undefined> {
  const items = await queryAll({
    TableName: tableName('members'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': memberPk(memberId) },
    ConsistentRead: true,
  });
  const profile = items.find((i) => i.sk === PROFILE_SK) as MemberRecord | undefined;
  if (!profile) return undefined;
  // The kinds' prefixes are disjoint: an item is of the one kind whose prefix its sort key has.
  const of = (kind: MemberItemKind) =>
    items.filter((i) => (i.sk as string).startsWith(MEMBER_ITEM_PREFIX[kind]));
  return {
    profile,
    babies: of('baby') as unknown as BabyRecord[],
    corrections: of('correction') as unknown as CorrectionRecord[],
    consentHistory: of('consentEvent') as unknown as ConsentEvent[],
    provisions: of('provision') as unknown as ProvisionRecord[],
    records: of('serviceRecord') as unknown as ServiceRecord[],
    correctionNotices: of('correctionNotice') as unknown as CorrectionNoticeRecord[],
  };
}

/** The status of a member's profile, or undefined when there is none (one consistent read). */
export async function memberStatus(memberId: string): Promise<MemberRecord['status'] | undefined> {
  const item = await getItem<Pick<MemberRecord, 'status'>>({
    TableName: tableName('members'),
    Key: membersTable.profile(memberId),
    ProjectionExpression: '#s',
    ExpressionAttributeNames: { '#s': 'status' },
    ConsistentRead: true,
  });
  return item?.status;
}

/** Like {@link loadMemberData}, or 404. */
export async function requireMemberData(memberId: string): Promise<MemberData> {
  const data = await loadMemberData(memberId);
  if (!data || data.profile.status === 'withdrawing') throw notAMember();
  return data;
}

/** A change to the PROFILE item: attribute paths (dot-separated) to set or remove. */
export interface ProfileChange {
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
}

/** The transaction entry updating a profile, guarded by the revision it was read at. */
export function profileUpdate(memberId: string, rev: number, change: ProfileChange) {
  const names: Record<string, string> = { '#rev': 'rev' };
  const values: Record<string, unknown> = { ':rev': rev, ':one': 1 };
  const path = (dotted: string) =>
    dotted
      .split('.')
      .map((part) => {
        const name = `#n${Object.keys(names).length}`;
        names[name] = part;
        return name;
      })
      .join('.');
  const sets = Object.entries(change.set ?? {}).map(([p, v], i) => {
    values[`:v${i}`] = v;
    return `${path(p)} = :v${i}`;
  });
  const removes = (change.remove ?? []).map(path);
  return {
    Update: {
      TableName: tableName('members'),
      Key: membersTable.profile(memberId),
      UpdateExpression: `SET ${['#rev = #rev + :one', ...sets].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: '#rev = :rev',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A transaction item of any kind, as lib-dynamodb takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Writes a transaction; a lost optimistic-lock race or a failed condition becomes 409, so the
 * client retries against fresh state and nothing is half-written.
 */
export async function writeTransaction(
  items: TransactItem[],
  conflict: DomainError = concurrentChange(),
): Promise<void> {
  if (!(await transactIf(items))) throw conflict;
}

/** 409 for a write that lost a race with another change of the same member. */
export function concurrentChange(): DomainError {
  return new ConcurrentChange('The membership changed while this request ran; retry it.');
}
