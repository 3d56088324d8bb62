/**
 * The detail types of the lifecycle events, without their schemas: what the publisher checks an
 * outbox item against, so its bundle carries no schema library (model/lifecycle-events.ts holds
 * the schemas, one per type listed here).
 */

/** Every detail type, in the order the README lists them. */
export const LIFECYCLE_EVENT_TYPES = [
  'MemberJoined',
  'ConsentChanged',
  'MemberCorrected',
  'ProcessingRestricted',
  'RestrictionLifted',
  'MemberSuspended',
  'MemberReinstated',
  'MemberWithdrawn',
  'MemberDestroyed',
] as const;

/** A lifecycle event's detail type. */
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/** Whether `value` names a detail type. */
export function isLifecycleEventType(value: unknown): value is LifecycleEventType {
  return (LIFECYCLE_EVENT_TYPES as readonly unknown[]).includes(value);
}
