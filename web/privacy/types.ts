/**
 * The API's answers as the privacy center reads them: only the fields it shows (the API adds
 * others). Every catalogue text a person reads comes in Korean and English ({@link Text}).
 */
import type { Text } from '../shared/i18n';

/** A purpose an item serves. */
export interface PurposeRef {
  readonly id: string;
  readonly label: Text;
  readonly legalBasis: string;
}

/** A retention class as the API names it. */
export interface Retention {
  readonly class: string;
  readonly label: Text;
  readonly period: string;
  readonly law?: Text;
}

/** One item held. */
export interface ItemView {
  readonly id: string;
  readonly label: Text;
  readonly value: string;
  readonly state: 'held' | 'under-correction';
  readonly purposes: readonly PurposeRef[];
  readonly retention: Retention;
}

/** One decision in a consent's history. */
export interface Decision {
  readonly granted: boolean;
  readonly at: string;
  readonly policyVersion: string;
  readonly channel: string;
  readonly event?: string;
}

/** A purpose's consent. */
export interface ConsentView extends Decision {
  readonly purpose: string;
  readonly label: Text;
  readonly required: boolean;
  readonly legalBasis: string;
  readonly history: readonly Decision[];
}

/** A recipient's consent (provision to a third party). */
export interface RecipientConsentView {
  readonly recipient: string;
  readonly name: Text;
  readonly purposes: readonly string[];
  readonly items: readonly string[];
  readonly granted: boolean;
  readonly at?: string;
  readonly history: readonly Decision[];
}

/** A provision made of the member's data. */
export interface Provision {
  readonly provisionId: string;
  readonly recipient: string;
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis: string;
  readonly legalReference?: string;
  readonly at: string;
}

/** GET /v1/me. */
export interface MemberView {
  readonly status: 'active' | 'suspended' | 'withdrawing';
  readonly signInMethod: string;
  readonly joinedAt: string;
  readonly lastSignInAt: string;
  readonly policyVersion: string;
  readonly inactivityDestructionAt?: string;
  readonly items: readonly ItemView[];
  readonly babies: readonly { babyId: string; createdAt: string; items: readonly ItemView[] }[];
  readonly consents: readonly ConsentView[];
  readonly recipientConsents: readonly RecipientConsentView[];
  readonly restriction: { scope: string; reason: string; since: string } | null;
  readonly pendingCorrections: readonly {
    correctionId: string;
    item: string;
    requestedAt: string;
    expiresAt: string;
  }[];
  readonly provisions: readonly Provision[];
  readonly records: readonly {
    recordId: string;
    label: Text;
    createdAt: string;
    retention: Retention;
  }[];
  readonly retention: readonly Retention[];
  readonly accessHistory: {
    readonly retention: Retention;
    readonly entries: readonly { at: string; route?: string; until: string }[];
    readonly truncated: boolean;
  };
}

/** PATCH /v1/me. */
export interface CorrectionAnswer {
  readonly corrected: readonly string[];
  readonly removed: readonly string[];
  readonly pending: readonly { correctionId: string; item: string; expiresAt: string }[];
}

/** DELETE /v1/me: the signed receipt. */
export interface SignedReceipt {
  readonly receipt: {
    readonly receiptId: string;
    readonly withdrawnAt: string;
    readonly destroyed: { items: readonly string[]; babies: number; consentRecords: number };
    readonly retained: readonly { class: string; label: Text; law?: Text; use: Text; until: string }[];
    readonly dataKeyDestroyed: boolean;
    readonly signInAccountDeleted: boolean;
    readonly residualCopiesUnreadableBy: string;
    readonly [field: string]: unknown;
  };
  readonly signature: string;
  readonly algorithm: string;
}

/** The published policy as JSON: sections of blocks. */
export interface PolicyDocument {
  readonly title: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly sections: readonly {
    readonly id: string;
    readonly title: string;
    readonly blocks: readonly (
      | { readonly kind: 'paragraph'; readonly text: string }
      | { readonly kind: 'list'; readonly items: readonly string[] }
      | {
          readonly kind: 'table';
          readonly head: readonly string[];
          readonly rows: readonly (readonly string[])[];
        }
    )[];
  }[];
  readonly upcoming?: Omit<PolicyDocument, 'upcoming'> & { readonly summary: string };
}
