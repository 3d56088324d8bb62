/**
 * What a member sees of themselves (L14/G10) and takes away (L16 portability): every item
 * labelled by the catalogue with its purposes and retention, consents with their history,
 * restriction, pending corrections and the dates that apply.
 */

import { hasPhotos } from '../../../model/photos';
import type { Text } from '../../../policy/i18n';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';
import { accessHistoryOf } from '../access-log/access-log';
import { ACCESS_HISTORY_IN_VIEW, type AccessHistory } from '../access-log/rules';
import { plannedDestructionAt } from '../inactivity/rules';
import { photosOf } from '../photos/photos';
import { type ServiceRecordView, serviceRecordViews } from '../service-records/service-records';
import { gatherFromSilos } from '../silos/export';
import { decryptField } from './cipher';
import {
  type ConsentView,
  consentViews,
  describeItems,
  type ItemView,
  liveCorrections,
  type RecipientConsentView,
  recipientConsentViews,
  retentionViews,
} from './rules';
import {
  babyBinding,
  itemBinding,
  type MemberData,
  type MemberRecord,
  openItems,
  type ProvisionRecord,
  requireDataKey,
  requireMemberData,
  restrictionBinding,
} from './store';

/** The member view. */
export interface MemberView {
  readonly memberId: string;
  readonly status: MemberRecord['status'];
  readonly signInMethod: string;
  /** The language the member reads the product in. */
  readonly lang: Language;
  readonly joinedAt: string;
  readonly lastSignInAt: string;
  readonly policyVersion: string;
  readonly inactivityDestructionAt?: string;
  readonly items: ItemView[];
  readonly babies: { babyId: string; createdAt: string; items: ItemView[] }[];
  readonly consents: ConsentView[];
  /** The decision on each recipient the policy names (L5/G6). */
  readonly recipientConsents: RecipientConsentView[];
  readonly ageAffirmation: { affirmed: boolean; minimumAge: number; at: string; policyVersion: string };
  readonly restriction: { scope: string; reason: string; since: string } | null;
  readonly pendingCorrections: {
    correctionId: string;
    item: string;
    requestedAt: string;
    expiresAt: string;
  }[];
  readonly provisions: ProvisionView[];
  /**
   * Each recipient told of a change of the member's data: a correction, the restriction, an
   * erasure (GDPR Art. 19, L15/G11), with whether the notice went.
   */
  readonly recipientNotices: RecipientNoticeView[];
  /** Purchases and other records the service created, each with its retention class (L10). */
  readonly records: ServiceRecordView[];
  readonly retention: { class: string; label: Text; period: string; law?: Text }[];
  /** The member's own calls: time, route and IP address, newest first (G3). */
  readonly accessHistory: AccessHistory;
}

/** A notice to a recipient of the member's data, as the member sees it. */
export interface RecipientNoticeView {
  readonly change: 'correction' | 'erasure' | 'restriction';
  readonly recipient: string;
  readonly recipientContact: string;
  readonly provisionIds: readonly string[];
  readonly status: 'pending' | 'sent';
  readonly at: string;
}

/** A provision of the member's data to a third party (L5/G6), without its storage keys. */
export type ProvisionView = Omit<ProvisionRecord, 'pk' | 'sk'>;

/**
 * The member view of the token's subject; `accessEntries` bounds the access history listed.
 * `loaded` is the member's partition when the caller read it already (to learn it is a member).
 */
export async function viewMember(
  c: Catalogue,
  memberId: string,
  now: Date,
  accessEntries: number = ACCESS_HISTORY_IN_VIEW,
  loaded?: MemberData,
): Promise<MemberView> {
  const data = loaded ?? (await requireMemberData(memberId));
  const key = await requireDataKey(memberId);
  const { profile } = data;
  const pending = liveCorrections(data, now);
  const frozen = new Set(pending.map((p) => p.itemId));
  return {
    memberId,
    status: profile.status,
    signInMethod: profile.signInMethod,
    lang: profile.lang ?? DEFAULT_LANGUAGE,
    joinedAt: profile.joinedAt,
    lastSignInAt: profile.lastSignInAt,
    policyVersion: profile.policyVersion,
    // Only where the operator's inactivity rule is on (a profile may switch it off).
    ...(c.inactivity.enabled
      ? { inactivityDestructionAt: plannedDestructionAt(c.inactivity, profile).toISOString() }
      : {}),
    items: describeItems(
      c,
      openItems(key, (id) => itemBinding(memberId, id), profile.items),
      frozen,
    ),
    babies: data.babies.map((b) => ({
      babyId: b.babyId,
      createdAt: b.createdAt,
      items: describeItems(
        c,
        openItems(key, (id) => babyBinding(memberId, b.babyId, id), b.items),
        new Set(),
      ),
    })),
    consents: consentViews(c, data),
    recipientConsents: recipientConsentViews(c, data),
    ageAffirmation: profile.ageAffirmation,
    restriction: profile.restriction
      ? {
          scope: profile.restriction.scope,
          reason: decryptField(key, restrictionBinding(memberId), profile.restriction.reason),
          since: profile.restriction.since,
        }
      : null,
    pendingCorrections: pending.map((p) => ({
      correctionId: p.correctionId,
      item: p.itemId,
      requestedAt: p.requestedAt,
      expiresAt: new Date(p.expiresAt * 1000).toISOString(),
    })),
    provisions: data.provisions.map(({ pk: _pk, sk: _sk, ...provision }) => provision),
    recipientNotices: [...data.correctionNotices]
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((n) => ({
        change: n.change ?? 'correction',
        recipient: n.recipient,
        recipientContact: n.recipientContact,
        provisionIds: n.provisionIds,
        status: n.status,
        at: n.at,
      })),
    records: serviceRecordViews(c, memberId, key, data.records),
    retention: retentionViews(c),
    accessHistory: await accessHistoryOf(c, memberId, now, accessEntries),
  };
}

/** Version of the export format; bumped on any incompatible change. */
export const EXPORT_SCHEMA_VERSION = '1.0';

/** The portable export (L16): the member view with its provenance and the whole access history. */
export async function exportMember(c: Catalogue, memberId: string, now: Date, loaded?: MemberData) {
  const data = loaded ?? (await requireMemberData(memberId));
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    controller: { name: c.operator.name, service: c.operator.service, policyVersion: c.policy.version },
    member: await viewMember(c, memberId, now, Number.POSITIVE_INFINITY, data),
    // Each photo's metadata; the image itself through its download route (a link would expire).
    ...(hasPhotos(c) ? { photos: await photosOf(c, data) } : {}),
    // The operator's silos: what they hold, and those the export could not include.
    ...(await gatherFromSilos(c, memberId)),
  };
}
