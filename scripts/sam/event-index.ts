/** The generated events matched to the template's functions: which logical id each event invokes. */
import type { Catalogue } from '../../policy/schema';
import { type SamEvent, samEvents } from './events';
import type { SamTemplate } from './template';

/** One event file and what to invoke with it. */
export interface EventEntry extends SamEvent {
  /** The event file's name. */
  readonly file: string;
  /** The function's logical id: `sam local invoke <functionId> --event <file>`. */
  readonly functionId: string;
}

/**
 * Every event of the profile with its function; throws when an event has no function or a
 * function of ours has no event, so a new handler cannot go without one.
 */
export function eventIndex(sam: SamTemplate, catalogue: Catalogue, now = new Date()): EventEntry[] {
  const byHandler = new Map(sam.functions.filter((f) => f.handler).map((f) => [f.handler!, f.logicalId]));
  const events = samEvents(catalogue, now);
  const covered = new Set(events.map((e) => e.handler));
  const missing = [...byHandler.keys()].filter((h) => !covered.has(h));
  if (missing.length > 0) throw new Error(`no event for ${missing.join(', ')}`);
  return events.map((e) => {
    const functionId = byHandler.get(e.handler);
    if (!functionId) throw new Error(`the template has no function for ${e.handler}`);
    return { ...e, file: `${e.handler}.json`, functionId };
  });
}
