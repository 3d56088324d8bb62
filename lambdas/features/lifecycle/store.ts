/**
 * The outbox: a lifecycle event is an item of the outbox table, put in the same transaction as
 * the change it records, so a change never commits without its event nor an event without its
 * change. The table's stream hands each new item to the publisher (./publish.ts).
 */
import { randomUUID } from 'node:crypto';
import { epochSeconds } from '../../../model/calendar';
import type { LifecycleDetail, LifecycleEventType } from '../../../model/lifecycle-events';
import { ENV, OUTBOX_DAYS } from '../../../model/resources';
import { type TransactItem, tableName } from '../../adapters/dynamodb';
import { requireEnv } from '../../runtime/env';

/** What an event of `T` adds to the fields every lifecycle event has. */
export type EventFields<T extends LifecycleEventType> = Omit<
  LifecycleDetail<T>,
  'eventId' | 'memberId' | 'profile' | 'occurredAt'
>;

/** An outbox item as the stream carries it: the detail is stored as the JSON the bus receives. */
export interface OutboxItem {
  readonly eventId: string;
  readonly detailType: LifecycleEventType;
  readonly detail: string;
  readonly expiresAt: number;
}

/**
 * The transaction item recording event `type` of `memberId` at `now`: add it to the transaction
 * that makes the change. A new id each call, so a rerun of a change that did not commit leaves
 * no trace, and one that did is refused by the change's own condition before this put counts.
 */
export function outboxPut<T extends LifecycleEventType>(
  type: T,
  memberId: string,
  now: Date,
  fields: EventFields<T>,
): TransactItem {
  const eventId = randomUUID();
  const detail = {
    eventId,
    memberId,
    profile: requireEnv(ENV.profile),
    occurredAt: now.toISOString(),
    ...fields,
  };
  const item: OutboxItem = {
    eventId,
    detailType: type,
    detail: JSON.stringify(detail),
    expiresAt: epochSeconds(now) + OUTBOX_DAYS * 86_400,
  };
  return {
    Put: {
      TableName: tableName('outbox'),
      Item: { ...item },
      ConditionExpression: 'attribute_not_exists(eventId)',
    },
  };
}
