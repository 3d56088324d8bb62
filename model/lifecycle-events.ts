/**
 * The lifecycle events the stack puts on its bus for the operator's app (issue 15, item 5): one
 * per change of a membership, with ids and purposes only, never an item's value. The schemas are
 * the contract: the writers' event fields are typed from them (features/lifecycle/store.ts), the
 * tests check every published event against them, and `lifecycle-events.schema.json` (next to
 * this file) is their JSON Schema, kept equal by a test. The publisher's bundle carries none of
 * this: it checks a record against the list of types alone (lifecycle-event-types.ts).
 */
import { z } from 'zod';
import { LIFECYCLE_EVENT_TYPES, type LifecycleEventType } from './lifecycle-event-types';
import { EVENT_BUS } from './resources';

export { LIFECYCLE_EVENT_TYPES, type LifecycleEventType } from './lifecycle-event-types';

/** What every lifecycle event's detail holds. */
const common = {
  /** Stable across redeliveries: consumers dedupe on it (delivery is at least once). */
  eventId: z.uuid().describe('Stable id of this event; the same on every redelivery: dedupe on it.'),
  memberId: z.string().min(1).describe("The member's id in this stack (no name, address or other item)."),
  profile: z.string().min(1).describe('The catalogue profile of the stack.'),
  occurredAt: z.iso.datetime().describe('When the change was written (UTC).'),
};

const ids = (what: string) => z.array(z.string().min(1)).describe(what);

/** Each detail type's schema, by detail type. */
export const lifecycleEventSchemas = {
  MemberJoined: z
    .strictObject({
      ...common,
      consented: ids('The purposes the member consented to on joining.'),
    })
    .describe('A membership was created (POST /v1/members).'),
  ConsentChanged: z
    .strictObject({
      ...common,
      purpose: z
        .string()
        .optional()
        .describe('The purpose decided on (absent for a consent to provide to a recipient).'),
      recipient: z
        .string()
        .optional()
        .describe('The third party the decision is about (consent to provide, L5/G6).'),
      granted: z.boolean().describe('The decision: true given, false withdrawn.'),
      destroyedItems: ids('Items destroyed because the consent was withdrawn (ids).'),
    })
    .describe('A consent was given or withdrawn, by the member or on a request the officer acted on.'),
  MemberCorrected: z
    .strictObject({ ...common, items: ids('The items whose values changed or went (ids).') })
    .describe('A correction took effect (directly, or once its code was confirmed).'),
  ProcessingRestricted: z
    .strictObject({ ...common, scope: z.string().min(1).describe('What is restricted.') })
    .describe('The member restricted or objected to processing (L16).'),
  RestrictionLifted: z.strictObject(common).describe('A restriction of processing was lifted.'),
  MemberSuspended: z.strictObject(common).describe('The officer suspended the membership (L12).'),
  MemberReinstated: z.strictObject(common).describe('The officer lifted a suspension.'),
  MemberWithdrawn: z
    .strictObject({
      ...common,
      reason: z
        .enum(['member', 'officer-request', 'under-age'])
        .describe(
          "Who ended it: the member (DELETE /v1/me), the officer on the member's request, or the officer terminating an under-age membership (L11/G13).",
        ),
    })
    .describe('The membership ends: its data is being destroyed (what a law keeps goes to the vault).'),
  MemberDestroyed: z
    .strictObject({
      ...common,
      reason: z.enum(['inactivity']).describe('Why: the inactivity period ran out after the notice (G9).'),
    })
    .describe('The stack destroys an inactive membership (G9).'),
} as const satisfies Record<LifecycleEventType, z.ZodType>;

/** The detail of an event of `T`. */
export type LifecycleDetail<T extends LifecycleEventType = LifecycleEventType> = z.infer<
  (typeof lifecycleEventSchemas)[T]
>;

/** The `source` of every lifecycle event (the stack's own, as for silo requests). */
export const LIFECYCLE_SOURCE = EVENT_BUS.source;

/** The JSON Schema of every detail type, as `lifecycle-events.schema.json` holds it. */
export function lifecycleJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Lifecycle events of the privacy-rights stack',
    description: `EventBridge events with source "${LIFECYCLE_SOURCE}" on the bus <profile>-events; "detail-type" names the schema under $defs. Delivery is at least once: dedupe on detail.eventId. No event holds personal data: ids and purposes only.`,
    $defs: Object.fromEntries(
      LIFECYCLE_EVENT_TYPES.map((type) => {
        const { $schema: _ignored, ...schema } = z.toJSONSchema(lifecycleEventSchemas[type]);
        return [type, schema];
      }),
    ),
  };
}
