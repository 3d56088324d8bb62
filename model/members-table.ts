/**
 * The keys of every kind of item in the members table (single-table design), built in one place.
 * A member's items share the partition `M#<memberId>`: the `PROFILE` (items, consents, state),
 * then one sort-key prefix per kind, so one Query reads a member whole and a prefix tells the
 * kind of an item. Lookup (blind-index) and suppression items have partitions of their own.
 */

/** The sort key of a member's profile item. */
export const PROFILE_SK = 'PROFILE';

/** The sort-key prefix of each kind of item under a member's partition. */
export const MEMBER_ITEM_PREFIX = {
  baby: 'BABY#',
  correction: 'CORR#',
  consentEvent: 'CONSENT#',
  provision: 'PROV#',
  correctionNotice: 'NOTICE#',
  /** Purchases and other service records (L10), sorted by creation time. */
  serviceRecord: 'REC#',
} as const;

/** A kind of item under a member's partition. */
export type MemberItemKind = keyof typeof MEMBER_ITEM_PREFIX;

/** The key of an item: partition and sort key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The partition key of a member. */
export const memberPk = (memberId: string): string => `M#${memberId}`;

/** Keys of the members table, one builder per kind of item. */
export const membersTable = {
  profile: (memberId: string) => ({ pk: memberPk(memberId), sk: PROFILE_SK }) as const,
  baby: (memberId: string, babyId: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.baby}${babyId}`,
  }),
  correction: (memberId: string, correctionId: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.correction}${correctionId}`,
  }),
  /** One entry of the consent history, sorted by time. */
  consentEvent: (memberId: string, at: string, purpose: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.consentEvent}${at}#${purpose}`,
  }),
  provision: (memberId: string, at: string, provisionId: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.provision}${at}#${provisionId}`,
  }),
  /** A correction notice to one recipient of provided data (L15/G11). */
  correctionNotice: (memberId: string, correctionRef: string, contact: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.correctionNotice}${correctionRef}#${contact}`,
  }),
  serviceRecord: (memberId: string, createdAt: string, recordId: string): ItemKey => ({
    pk: memberPk(memberId),
    sk: `${MEMBER_ITEM_PREFIX.serviceRecord}${createdAt}#${recordId}`,
  }),
  /** A blind-index lookup item: finds a member by an item's keyed MAC, and guards its uniqueness. */
  lookup: (itemId: string, mac: string): ItemKey => ({ pk: `L#${itemId}#${mac}`, sk: 'LOOKUP' }),
  /**
   * Marks an account's membership as imported; kept after withdrawal (it holds the account's
   * random subject only), so a rerun of an import never brings a withdrawn member back.
   */
  imported: (memberId: string): ItemKey => ({ pk: `I#${memberId}`, sk: 'IMPORTED' }),
  /** An address SES reported as bouncing or complaining, by its blind-index MAC. */
  suppression: (mac: string): ItemKey => ({ pk: `S#${mac}`, sk: 'SUPPRESSED' }),
} as const;

/**
 * Shards of each day of the sparse `inactivity` index. A day's bucket is one index partition
 * key, and one partition takes about 1,000 writes a second: every member who joins, signs in or
 * is imported on one day writes the same day's bucket, so without shards an import at the rate
 * the KMS quota allows would throttle the index, and through it the members table (docs/scale.md;
 * `npm run bench` simulates a million-member day). With 8, a day takes about 8,000.
 */
export const INACTIVITY_SHARDS = 8;

/**
 * A member's shard of a day's bucket: FNV-1a of the member id, so the same member always lands
 * in the same shard and members spread evenly over the shards.
 */
export function inactivityShard(memberId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % INACTIVITY_SHARDS;
}

/** The `inactiveOn` value of a member due on Seoul day `day` (YYYY-MM-DD): `<day>#<shard>`. */
export function inactivityBucket(day: string, memberId: string): string {
  return `${day}#${String(inactivityShard(memberId)).padStart(2, '0')}`;
}

/**
 * Every `inactiveOn` value a reader of day `day` queries: each shard, then the day itself, which
 * profiles written before the shards still carry until a sign-in or an inactivity step rewrites
 * them (a member who never signs in keeps it until their day comes, up to the period ahead).
 */
export function inactivityBucketsOf(day: string): string[] {
  return [
    ...Array.from({ length: INACTIVITY_SHARDS }, (_, s) => `${day}#${String(s).padStart(2, '0')}`),
    day,
  ];
}
