/**
 * What a withdrawal keeps and what its receipt says (L7/G7, L8/G8/G12, L9, L10), decided from
 * the catalogue alone: which record classes a law keeps past the membership, with which of the
 * member's values and until when, and the receipt that accounts for every item.
 */

import { shiftInSeoul } from '../../../model/calendar';
import { KEY_BACKUP_DAYS } from '../../../model/resources';
import type { Text } from '../../../policy/i18n';
import type { Catalogue } from '../../../policy/schema';

/** What was retained, under which law, until when. */
export interface RetainedEntry {
  readonly class: string;
  readonly label: Text;
  readonly law?: Text;
  readonly use: Text;
  readonly until: string;
  /** For records the service created while the member was active: how many were kept. */
  readonly records?: number;
}

/** The deletion receipt: no personal data, only what happened to it. */
export interface Receipt {
  readonly receiptId: string;
  readonly profile: string;
  readonly operator: Text;
  readonly memberId: string;
  readonly withdrawnAt: string;
  readonly destroyed: { readonly items: string[]; readonly babies: number; readonly consentRecords: number };
  readonly retained: RetainedEntry[];
  readonly dataKeyDestroyed: boolean;
  /** The member's sign-in account (login ID, federated identity) is deleted from the user pool. */
  readonly signInAccountDeleted: boolean;
  /** When the last backup that still holds the member's data key expires (PITR of the keys table). */
  readonly residualCopiesUnreadableBy: string;
  /** The recipients that received the member's data and are told of the erasure (GDPR Art. 19). */
  readonly recipientsTold?: { readonly recipient: string; readonly contact: string }[];
}

/** A receipt with its signature, as returned to the member. */
export interface SignedReceipt {
  readonly receipt: Receipt;
  readonly signature: string;
  readonly algorithm: 'ECDSA_SHA_256';
}

/** The facts of a member a withdrawal decides on. */
export interface WithdrawingMember {
  readonly profile: {
    readonly memberId: string;
    readonly joinedAt: string;
    readonly policyVersion: string;
    readonly signInMethod: string;
    readonly consents: unknown;
    readonly ageAffirmation: unknown;
    /** The member's items, by id (sealed or not: only the ids are read). */
    readonly items: Readonly<Record<string, string>>;
  };
  readonly babies: readonly unknown[];
  readonly consentHistory: readonly unknown[];
  /** The provisions to third parties: each recipient is told of the erasure (GDPR Art. 19). */
  readonly provisions?: readonly { readonly recipient: string; readonly recipientContact?: string }[];
}

/**
 * A record a law keeps past the withdrawal: its class, its content, and until when (a tuple: it
 * only passes from the plan to the store, in every bundle that withdraws).
 */
export type KeptRecord = readonly [classId: string, payload: Readonly<Record<string, unknown>>, until: Date];

/** What a withdrawal keeps and the receipt that accounts for it. */
export interface WithdrawalPlan {
  /** The records the catalogue's withdrawal classes keep, for the vault. */
  readonly kept: KeptRecord[];
  readonly receipt: Receipt;
  /** How long the receipt is kept: as long as the last retained record, and every key backup. */
  readonly keepReceiptUntil: Date;
}

/**
 * The withdrawal of `member` at `now`: each of the catalogue's withdrawal classes keeps the
 * items it names that the member has, from their opened `values` (and the membership facts, if
 * it keeps them), until its period ends; a class with nothing to hold keeps no record. The
 * receipt lists those, then `recordLines` (the service records kept), and counts every item
 * destroyed.
 */
export function withdrawalPlan(
  c: Catalogue,
  member: WithdrawingMember,
  values: Readonly<Record<string, string>>,
  recordLines: readonly RetainedEntry[],
  receiptId: string,
  now: Date,
): WithdrawalPlan {
  const { profile } = member;
  const kept: KeptRecord[] = [];
  const retained: RetainedEntry[] = [];
  for (const classId of c.recordClasses.onWithdrawal) {
    const rc = c.retention[classId]!;
    if (rc.period === 'until-withdrawal' || !rc.keeps) continue;
    const payload: Record<string, unknown> = {};
    for (const item of rc.keeps.items) if (values[item] !== undefined) payload[item] = values[item];
    if (rc.keeps.membership) {
      Object.assign(payload, {
        joinedAt: profile.joinedAt,
        withdrawnAt: now.toISOString(),
        policyVersion: profile.policyVersion,
        signInMethod: profile.signInMethod,
        consents: profile.consents,
        ageAffirmation: profile.ageAffirmation,
      });
    }
    if (Object.keys(payload).length === 0) continue;
    const until = shiftInSeoul(now, rc.period);
    kept.push([classId, payload, until]);
    retained.push({
      class: classId,
      label: rc.label,
      ...(rc.law ? { law: rc.law } : {}),
      use: rc.use,
      until: until.toISOString(),
    });
  }
  retained.push(...recordLines);

  const residual = shiftInSeoul(now, { days: KEY_BACKUP_DAYS });
  const told = [
    ...new Map(
      (member.provisions ?? [])
        .filter((p) => p.recipientContact)
        .map((p) => [
          p.recipientContact!.toLowerCase(),
          { recipient: p.recipient, contact: p.recipientContact! },
        ]),
    ).values(),
  ];
  const receipt: Receipt = {
    receiptId,
    profile: c.profile,
    operator: c.operator.name,
    memberId: profile.memberId,
    withdrawnAt: now.toISOString(),
    destroyed: {
      items: Object.keys(profile.items).filter(
        (id) => !retained.some((r) => c.retention[r.class]?.keeps?.items.includes(id)),
      ),
      babies: member.babies.length,
      consentRecords: member.consentHistory.length,
    },
    retained,
    dataKeyDestroyed: true,
    signInAccountDeleted: true,
    residualCopiesUnreadableBy: residual.toISOString(),
    ...(told.length > 0 ? { recipientsTold: told } : {}),
  };
  const keepReceiptUntil = new Date(
    Math.max(residual.getTime(), ...retained.map((r) => Date.parse(r.until))),
  );
  return { kept, receipt, keepReceiptUntil };
}

/**
 * Who or what ends a membership: the member, the officer on the member's request, the officer
 * terminating an under-age membership (L11/G13), or the inactivity period (G9).
 */
export type WithdrawalReason = 'member' | 'officer-request' | 'under-age' | 'inactivity';
