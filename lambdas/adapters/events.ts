/**
 * Putting events on the stack's EventBridge bus: requests to the operator's custom silos
 * ({@link emit}), and lifecycle events, which only the outbox's publisher puts ({@link putEntries}).
 * An event carries ids and purposes only, never personal data.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENV, EVENT_BUS } from '../../model/resources';
import { SEOUL_REGION } from '../../policy/schema';
import { requireEnv } from '../runtime/env';
import { DependencyFailed } from '../runtime/errors';
import { awsCall } from './aws-call';

let client: EventBridgeClient | undefined;

/** The shared client, built on first use, so a function that emits nothing bundles none. */
function events(): EventBridgeClient {
  client ??= new EventBridgeClient({ region: SEOUL_REGION });
  return client;
}

/** Puts one event of `detailType` on the stack's bus; throws when EventBridge did not take it. */
export async function emit(detailType: string, detail: Readonly<Record<string, unknown>>): Promise<void> {
  const out = await awsCall('events', () =>
    events().send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: requireEnv(ENV.eventBus),
            Source: EVENT_BUS.source,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    ),
  );
  if ((out.FailedEntryCount ?? 0) > 0)
    throw new DependencyFailed('events', { cause: new Error('The bus refused the event') });
}

/** One event to put: its detail type, its detail (already JSON) and when its change happened. */
export interface BusEntry {
  readonly detailType: string;
  readonly detail: string;
  readonly time: Date;
}

/** PutEvents takes at most this many entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Puts up to {@link PUT_EVENTS_MAX_ENTRIES} events in one call; answers the index of the first
 * entry the bus refused, or -1 when it took them all. A failed call throws.
 */
export async function putEntries(entries: readonly BusEntry[]): Promise<number> {
  const bus = requireEnv(ENV.eventBus);
  const out = await awsCall('events', () =>
    events().send(
      new PutEventsCommand({
        Entries: entries.map((e) => ({
          EventBusName: bus,
          Source: EVENT_BUS.source,
          DetailType: e.detailType,
          Detail: e.detail,
          Time: e.time,
        })),
      }),
    ),
  );
  if ((out.FailedEntryCount ?? 0) === 0) return -1;
  const refused = (out.Entries ?? []).findIndex((e) => Boolean(e.ErrorCode));
  // A count without a named entry: treat the whole call as refused, so nothing is lost.
  return refused < 0 ? 0 : refused;
}
