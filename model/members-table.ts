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
