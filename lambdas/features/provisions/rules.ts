/**
 * The rules of provision to third parties (L5/G6) and correction propagation (L15/G11), pure:
 * whether a provision may be made, and what a recipient is told when provided data is corrected.
 */

import { seoulClock } from '../../../model/calendar';
import type { PROVISION_LEGAL_BASES } from '../../../model/routes/officer';
import { DEFAULT_LANGUAGE, type Language } from '../../../policy/i18n';
import { particle } from '../../../policy/particles';
import type { Catalogue } from '../../../policy/schema';
import { Conflict, RuleViolated } from '../../runtime/errors';
import { grantedPurposes } from '../consents/rules';
import { liveCorrections } from '../members/rules';

/** What the officer asks to provide. */
export interface ProvisionRequest {
  readonly memberId: string;
  readonly recipient: { readonly name: string; readonly contact: string };
  readonly items: readonly string[];
  readonly purpose: string;
  readonly basis:
    | { readonly type: 'consent' }
    | { readonly type: (typeof PROVISION_LEGAL_BASES)[number]; readonly reference: string };
}

/** What the rules read of a member: the profile's items, consents and restriction, and pending corrections. */
export interface ProvisionSubject {
  readonly profile: {
    readonly items: Readonly<Record<string, string>>;
    readonly consents: Readonly<Record<string, { readonly granted: boolean }>>;
    /** The member's separate consent to each recipient the catalogue names (L5/G6). */
    readonly provisionConsents?: Readonly<Record<string, { readonly granted: boolean }>>;
    readonly restriction?: { readonly scope: string };
  };
  readonly corrections: readonly { readonly itemId: string; readonly expiresAt: number }[];
}

/** The recipient the catalogue names with this name and contact, with its id. */
export function declaredRecipient(
  c: Catalogue,
  recipient: { readonly name: string; readonly contact: string },
) {
  const found = Object.entries(c.thirdParties).find(
    ([, p]) =>
      (p.name.en === recipient.name || p.name.ko === recipient.name) &&
      p.contact.toLowerCase() === recipient.contact.toLowerCase(),
  );
  return found ? { id: found[0], ...found[1] } : undefined;
}

/**
 * Why a provision may not be made, or undefined when it may. Pure, so every rule is testable
 * against any catalogue: the basis must be one the policy allows, every item must be declared
 * for the provision's purpose, a consent basis needs the member's consent to that declared
 * recipient covering the items and purpose, frozen items and restricted members are refused,
 * and only items the member holds can be provided.
 */
export function provisionRefusal(
  c: Catalogue,
  data: ProvisionSubject,
  request: ProvisionRequest,
  now: Date,
): Conflict | RuleViolated | undefined {
  if (!c.provision.bases.includes(request.basis.type)) {
    return new RuleViolated(
      'Basis not allowed',
      `The policy allows provision to a third party only on: ${c.provision.bases.join(', ')} (L5/G6).`,
      { field: 'basis' },
    );
  }
  if (request.basis.type !== 'consent' && request.basis.reference.trim() === '') {
    return new RuleViolated('Reference missing', 'A provision without consent names what it rests on.', {
      field: 'basis.reference',
    });
  }
  const undeclared = request.items.filter((id) => !c.items[id]?.purposes.includes(request.purpose));
  if (undeclared.length > 0) {
    return new RuleViolated(
      'Item not declared for the purpose',
      `Not declared for "${request.purpose}": ${undeclared.join(', ')} (L4, L5/G6).`,
      { field: 'items', items: undeclared },
    );
  }
  const restriction = data.profile.restriction;
  if (restriction && (restriction.scope === 'all' || restriction.scope === 'provision')) {
    return new Conflict('Processing restricted', 'The member restricted provision (L16).');
  }
  const frozen = new Set(liveCorrections(data, now).map((p) => p.itemId));
  const underCorrection = request.items.filter((id) => frozen.has(id));
  if (underCorrection.length > 0) {
    return new Conflict(
      'Item under correction',
      `Items under correction are not provided: ${underCorrection.join(', ')} (L15/G11).`,
      { field: 'items' },
    );
  }
  const missing = request.items.filter((id) => data.profile.items[id] === undefined);
  if (missing.length > 0) {
    return new RuleViolated('Item not held', `Not held: ${missing.join(', ')}.`, { field: 'items' });
  }
  if (request.basis.type === 'consent') {
    const party = declaredRecipient(c, request.recipient);
    const consented = party ? data.profile.provisionConsents?.[party.id]?.granted === true : false;
    // An optional purpose the member refused is not served by any provision either.
    const purpose = c.purposes[request.purpose];
    const purposeHeld =
      purpose?.required === true || grantedPurposes(data.profile.consents).has(request.purpose);
    if (!party || !consented || !party.purposes.includes(request.purpose) || !purposeHeld) {
      return new RuleViolated(
        'No consent to this provision',
        'The member has not consented to providing to this recipient for this purpose; record a basis the policy allows instead, or ask for consent (L5/G6).',
        { field: 'basis' },
      );
    }
    const outside = request.items.filter((id) => !party.items.includes(id));
    if (outside.length > 0) {
      return new RuleViolated(
        'Items outside the consent',
        `The consent to this recipient does not cover: ${outside.join(', ')}.`,
        { field: 'items', items: outside },
      );
    }
  }
  return undefined;
}

/**
 * The email telling a recipient the corrected values of items it was provided: each item by
 * its label with its value now, or that it was removed. A recipient is no member and states no
 * language: it reads the operator's, Korean ({@link DEFAULT_LANGUAGE}).
 */
export function correctionNoticeText(
  c: Catalogue,
  notice: { readonly provisionIds: readonly string[]; readonly items: readonly string[] },
  values: Readonly<Record<string, string>>,
  lang: Language = DEFAULT_LANGUAGE,
): { subject: string; text: string } {
  const removed = lang === 'ko' ? '(삭제됨)' : '(removed)';
  const lines = notice.items.map((id) => `${c.items[id]?.label[lang] ?? id}: ${values[id] ?? removed}`);
  const service = c.operator.service[lang];
  const operator = c.operator.name[lang];
  const provisions = notice.provisionIds.join(', ');
  if (lang === 'ko') {
    return {
      subject: `[${service}] 제공한 개인정보의 정정 안내`,
      text: [
        // 에서 marks an organisation as the subject whatever its last syllable: no particle to choose.
        `${operator}에서 귀사에 회원 한 명의 개인정보를 제공했습니다(제공 ${provisions}).`,
        '해당 회원이 그 정보를 정정했습니다. 정정된 값은 다음과 같습니다:',
        '',
        ...lines,
        '',
        '보유하신 정보를 위 값으로 바꿔 주시기 바랍니다.',
      ].join('\n'),
    };
  }
  return {
    subject: `${service}: correction of personal data we provided to you`,
    text: [
      `${operator} provided you personal data of one of our members (provision ${provisions}).`,
      'The member has since corrected it. The corrected values are:',
      '',
      ...lines,
      '',
      'Please replace the data you hold with these values.',
    ].join('\n'),
  };
}

/** A change of a member's data each recipient that received it is told of (GDPR Art. 19). */
export type RecipientChange = 'erasure' | 'restriction';

/** One recipient to tell: its contact, the provisions it received and the items in them. */
export interface RecipientToTell {
  readonly recipient: string;
  readonly contact: string;
  readonly items: string[];
  readonly provisionIds: string[];
}

/**
 * The recipients that received any of the member's data, one per contact (case-insensitive),
 * each with every provision it received: whoever holds a copy hears of an erasure or restriction.
 */
export function recipientsOf(
  provisions: readonly {
    readonly recipient: string;
    readonly recipientContact?: string;
    readonly items: readonly string[];
    readonly provisionId: string;
  }[],
): RecipientToTell[] {
  const byContact = new Map<string, RecipientToTell>();
  for (const p of provisions) {
    if (!p.recipientContact) continue;
    const contact = p.recipientContact.toLowerCase();
    const known = byContact.get(contact);
    if (known) {
      known.items.push(...p.items.filter((i) => !known.items.includes(i)));
      known.provisionIds.push(p.provisionId);
    } else {
      byContact.set(contact, {
        recipient: p.recipient,
        contact: p.recipientContact,
        items: [...new Set(p.items)],
        provisionIds: [p.provisionId],
      });
    }
  }
  return [...byContact.values()];
}

/**
 * The email telling a recipient that the member erased their data or restricted its processing
 * (GDPR Art. 19). Recipients are Korean companies: the notice is in Korean, with the provision
 * ids and items (labels and ids, never values) so the recipient finds what it holds.
 */
export function changeNoticeText(
  c: Catalogue,
  change: RecipientChange,
  notice: { readonly provisionIds: readonly string[]; readonly items: readonly string[] },
  now: Date,
): { subject: string; text: string } {
  const when = `${seoulClock(now)} KST`;
  const items = notice.items.map((id) => `- ${c.items[id]?.label.ko ?? id} (${id})`);
  const provided = `${particle(c.operator.name.ko, '이/가')} 귀사에 제공한 회원의 개인정보(제공 번호 ${notice.provisionIds.join(', ')})에 관하여 알려드립니다.`;
  if (change === 'erasure') {
    return {
      subject: `${c.operator.service.ko}: 제공한 개인정보의 삭제 요청`,
      text: [
        provided,
        `해당 회원의 개인정보가 ${when}에 당사에서 삭제되었습니다(회원 탈퇴 또는 삭제 요청).`,
        '귀사가 보유한 아래 항목을 지체 없이 파기하여 주십시오.',
        '',
        ...items,
      ].join('\n'),
    };
  }
  return {
    subject: `${c.operator.service.ko}: 제공한 개인정보의 처리정지`,
    text: [
      provided,
      `해당 회원이 ${when}부터 개인정보의 처리정지를 요구하였습니다.`,
      '별도 안내가 있을 때까지 아래 항목은 보관만 하고 이용하거나 제3자에게 제공하지 마십시오.',
      '',
      ...items,
    ].join('\n'),
  };
}
