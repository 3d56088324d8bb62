/**
 * The console's forms as data: each draft is what the officer typed, `validate…` says what is
 * missing before anything is sent (keys of the console's messages, by the API's field path, so
 * the API's own field errors land next to the same fields), and `…Body` is the request body.
 * The API checks everything again; these checks only spare the officer a round trip.
 */
import { seoulDay } from '../../model/calendar';
import type {
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  PROVISION_LEGAL_BASES,
  REQUEST_ACTIONS,
  REQUEST_TYPES,
  RESTRICTION_SCOPES,
  VERIFICATION_METHODS,
} from '../../model/routes/officer-vocabulary';

// The API's own lists, so the console offers exactly what the API accepts.
export {
  JURISDICTIONS,
  OFFLINE_CHANNELS,
  PROVISION_LEGAL_BASES,
  REQUEST_TYPES,
  RESTRICTION_SCOPES,
  VERIFICATION_METHODS,
} from '../../model/routes/officer-vocabulary';

/** A kind of rights request. */
export type RequestType = (typeof REQUEST_TYPES)[number];
/** What an officer can do on a request. */
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** Which actions answer which kind of request (lambdas/features/requests/rules.ts); any may be refused. */
export const ACTIONS_BY_TYPE: Readonly<Record<RequestType, readonly RequestAction[]>> = {
  access: ['view', 'export'],
  portability: ['export'],
  correction: ['correct'],
  deletion: ['delete'],
  restriction: ['restrict'],
  objection: ['restrict'],
  'consent-withdrawal': ['withdraw-consent', 'withdraw-provision-consent'],
};

/** The actions offered on a request of `type`: those that answer it, then refusal. */
export function actionsFor(type: string): RequestAction[] {
  const answering = ACTIONS_BY_TYPE[type as RequestType] ?? [];
  return [...answering, 'refuse'];
}

/** Why a field cannot be sent: a key of the console's messages. */
export type FieldProblem =
  | 'required'
  | 'too-long'
  | 'member-id'
  | 'in-future'
  | 'date'
  | 'email'
  | 'too-early'
  | 'json';
/** Problems by the API's field path (`verification.reference`, `reason`…). */
export type FieldErrors = Partial<Record<string, FieldProblem>>;

const MEMBER_ID = /^[\w-]{1,128}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A reason or reference: not blank, at most `max` characters. */
function text(errors: FieldErrors, field: string, value: string, max: number): void {
  if (value.trim() === '') errors[field] = 'required';
  else if (value.length > max) errors[field] = 'too-long';
}

/** The most characters of a stated reason (the API's limit). */
export const REASON_MAX = 500;
/** The most characters of a verification reference. */
export const REFERENCE_MAX = 200;

/** The Seoul wall clock of an instant as a `datetime-local` value (YYYY-MM-DDTHH:mm). */
export function seoulInputValue(instant: Date): string {
  return new Date(instant.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as Seoul time, as an ISO instant with its offset; undefined when malformed. */
export function fromSeoulInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const iso = `${value}:00+09:00`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** An offline request as typed at intake. */
export interface IntakeDraft {
  memberId: string;
  type: RequestType | '';
  channel: (typeof OFFLINE_CHANNELS)[number] | '';
  /** Seoul wall clock, YYYY-MM-DDTHH:mm. */
  receivedAt: string;
  jurisdiction: (typeof JURISDICTIONS)[number];
  /** Whether identity was verified at intake; the request can then be acted on at once. */
  verified: boolean;
  method: (typeof VERIFICATION_METHODS)[number] | '';
  reference: string;
}

/** A blank intake, received now. */
export function blankIntake(now: Date): IntakeDraft {
  return {
    memberId: '',
    type: '',
    channel: '',
    receivedAt: seoulInputValue(now),
    jurisdiction: 'pipa',
    verified: false,
    method: '',
    reference: '',
  };
}

/** What keeps an intake from being sent. */
export function validateIntake(d: IntakeDraft, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  if (d.memberId.trim() === '') errors.memberId = 'required';
  else if (!MEMBER_ID.test(d.memberId.trim())) errors.memberId = 'member-id';
  if (d.type === '') errors.type = 'required';
  if (d.channel === '') errors.channel = 'required';
  const received = fromSeoulInput(d.receivedAt);
  if (!received) errors.receivedAt = 'date';
  else if (Date.parse(received) > now.getTime() + 60_000) errors.receivedAt = 'in-future';
  if (d.verified)
    Object.assign(
      errors,
      validateVerification({ method: d.method, reference: d.reference }, 'verification.'),
    );
  return errors;
}

/** The body of POST /v1/admin/requests. */
export function intakeBody(d: IntakeDraft): Record<string, unknown> {
  return {
    memberId: d.memberId.trim(),
    type: d.type,
    channel: d.channel,
    receivedAt: fromSeoulInput(d.receivedAt),
    jurisdiction: d.jurisdiction,
    ...(d.verified ? { verification: { method: d.method, reference: d.reference.trim() } } : {}),
  };
}

/** Identity evidence as typed. */
export interface VerificationDraft {
  method: (typeof VERIFICATION_METHODS)[number] | '';
  reference: string;
}

/** What keeps a verification from being sent; `prefix` places the fields inside a larger body. */
export function validateVerification(d: VerificationDraft, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  if (d.method === '') errors[`${prefix}method`] = 'required';
  text(errors, `${prefix}reference`, d.reference, REFERENCE_MAX);
  return errors;
}

/** An action on a request as typed: the fields of every action, only the chosen one's sent. */
export interface ActionDraft {
  action: RequestAction | '';
  /** export: why the data is downloaded (it becomes the access record's reason). */
  downloadReason: string;
  /** restrict, refuse: the reason. */
  reason: string;
  scope: (typeof RESTRICTION_SCOPES)[number] | '';
  purpose: string;
  recipient: string;
  /** correct: one item and its new value. */
  item: string;
  value: string;
}

/** A blank action draft. */
export function blankAction(): ActionDraft {
  return {
    action: '',
    downloadReason: '',
    reason: '',
    scope: '',
    purpose: '',
    recipient: '',
    item: '',
    value: '',
  };
}

/** What keeps an action from being sent. */
export function validateAction(d: ActionDraft): FieldErrors {
  const errors: FieldErrors = {};
  switch (d.action) {
    case '':
      errors.action = 'required';
      break;
    case 'export':
      text(errors, 'downloadReason', d.downloadReason, REASON_MAX);
      break;
    case 'restrict':
      if (d.scope === '') errors.scope = 'required';
      text(errors, 'reason', d.reason, REASON_MAX);
      break;
    case 'refuse':
      text(errors, 'reason', d.reason, REASON_MAX);
      break;
    case 'withdraw-consent':
      if (d.purpose.trim() === '') errors.purpose = 'required';
      break;
    case 'withdraw-provision-consent':
      if (d.recipient.trim() === '') errors.recipient = 'required';
      break;
    case 'correct':
      if (d.item.trim() === '') errors.item = 'required';
      if (d.value.trim() === '') errors[`items.${d.item.trim() || 'item'}`] = 'required';
      break;
    default:
      break;
  }
  return errors;
}

/** The body of POST /v1/admin/requests/{id}/actions. */
export function actionBody(d: ActionDraft): Record<string, unknown> {
  switch (d.action) {
    case 'export':
      return { action: d.action, downloadReason: d.downloadReason.trim() };
    case 'restrict':
      return { action: d.action, scope: d.scope, reason: d.reason.trim() };
    case 'refuse':
      return { action: d.action, reason: d.reason.trim() };
    case 'withdraw-consent':
      return { action: d.action, purpose: d.purpose.trim() };
    case 'withdraw-provision-consent':
      return { action: d.action, recipient: d.recipient.trim() };
    case 'correct':
      return { action: d.action, items: { [d.item.trim()]: d.value.trim() } };
    default:
      return { action: d.action };
  }
}

/** An extension as typed. */
export interface ExtensionDraft {
  months: string;
  reason: string;
}

/** What keeps an extension from being sent: whole months from 1 to 12, and the reason. */
export function validateExtension(d: ExtensionDraft): FieldErrors {
  const errors: FieldErrors = {};
  const months = Number(d.months);
  if (!Number.isInteger(months) || months < 1 || months > 12) errors.months = 'required';
  text(errors, 'reason', d.reason, REASON_MAX);
  return errors;
}

/** The body of POST /v1/admin/requests/{id}/extension. */
export function extensionBody(d: ExtensionDraft): { months: number; reason: string } {
  return { months: Number(d.months), reason: d.reason.trim() };
}

/** What keeps a stated reason (suspend, reinstate, terminate, member view) from being sent. */
export function validateReason(reason: string): FieldErrors {
  const errors: FieldErrors = {};
  text(errors, 'reason', reason, REASON_MAX);
  return errors;
}

/** A member id to look up, as typed. */
export function validateMemberId(memberId: string, field = 'memberId'): FieldErrors {
  if (memberId.trim() === '') return { [field]: 'required' };
  return MEMBER_ID.test(memberId.trim()) ? {} : { [field]: 'member-id' };
}

/** A provision to a third party as typed. */
export interface ProvisionDraft {
  memberId: string;
  recipientName: string;
  recipientContact: string;
  /** Item ids, comma separated. */
  items: string;
  purpose: string;
  basis: 'consent' | (typeof PROVISION_LEGAL_BASES)[number];
  reference: string;
}

/** A blank provision draft. */
export function blankProvision(): ProvisionDraft {
  return {
    memberId: '',
    recipientName: '',
    recipientContact: '',
    items: '',
    purpose: '',
    basis: 'legal-obligation',
    reference: '',
  };
}

/** The item ids of a comma- or space-separated list, each once. */
export function itemList(items: string): string[] {
  return [...new Set(items.split(/[\s,]+/).filter((s) => s !== ''))];
}

/** What keeps a provision from being sent. */
export function validateProvision(d: ProvisionDraft): FieldErrors {
  const errors: FieldErrors = { ...validateMemberId(d.memberId) };
  text(errors, 'recipient.name', d.recipientName, 200);
  if (!EMAIL.test(d.recipientContact.trim())) errors['recipient.contact'] = 'email';
  if (itemList(d.items).length === 0) errors.items = 'required';
  if (d.purpose.trim() === '') errors.purpose = 'required';
  if (d.basis !== 'consent') text(errors, 'basis.reference', d.reference, 300);
  return errors;
}

/** The body of POST /v1/admin/provisions. */
export function provisionBody(d: ProvisionDraft): Record<string, unknown> {
  return {
    memberId: d.memberId.trim(),
    recipient: { name: d.recipientName.trim(), contact: d.recipientContact.trim() },
    items: itemList(d.items),
    purpose: d.purpose.trim(),
    basis: d.basis === 'consent' ? { type: 'consent' } : { type: d.basis, reference: d.reference.trim() },
  };
}

/** The notice lead the shipped policies give (7 days) when a catalogue states none. */
export const DEFAULT_NOTICE_LEAD_DAYS = 7;

/**
 * The earliest effective date of a version published on the Seoul day of `now`: that day plus
 * the notice lead, so members have the whole lead in calendar days (published the 1st,
 * effective the 8th at the earliest), as the API counts it.
 */
export function earliestEffectiveDate(now: Date, leadDays = DEFAULT_NOTICE_LEAD_DAYS): string {
  const day = seoulDay(now);
  return new Date(Date.parse(`${day}T00:00:00Z`) + leadDays * 86_400_000).toISOString().slice(0, 10);
}

/** A policy version to publish, as typed: the catalogue's JSON text, its effective date and a summary. */
export interface PublishDraft {
  catalogue: string;
  effectiveDate: string;
  summary: string;
}

/** The notice lead in days a catalogue states (`policyChange.noticeLead.days`), if it states one in days. */
export function noticeLeadDays(catalogue: unknown): number {
  const lead = (catalogue as { policyChange?: { noticeLead?: { days?: unknown } } } | null)?.policyChange
    ?.noticeLead?.days;
  return typeof lead === 'number' && Number.isInteger(lead) && lead >= 0 ? lead : DEFAULT_NOTICE_LEAD_DAYS;
}

/** The catalogue text parsed, or undefined when it is no JSON object. */
export function parseCatalogueText(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What keeps a publication from being sent, the 7-day rule included. */
export function validatePublish(d: PublishDraft, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  const catalogue = parseCatalogueText(d.catalogue);
  if (!catalogue) errors.catalogue = d.catalogue.trim() === '' ? 'required' : 'json';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.effectiveDate)) errors.effectiveDate = 'date';
  else if (d.effectiveDate < earliestEffectiveDate(now, noticeLeadDays(catalogue)))
    errors.effectiveDate = 'too-early';
  text(errors, 'summary', d.summary, 2000);
  return errors;
}

/** The body of POST /v1/admin/policy-versions. */
export function publishBody(d: PublishDraft): Record<string, unknown> {
  return {
    catalogue: parseCatalogueText(d.catalogue),
    effectiveDate: d.effectiveDate,
    summary: d.summary.trim(),
  };
}
