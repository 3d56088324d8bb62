/**
 * Policy versions as data (L18): how versions order, and which parts of a catalogue a published
 * version may change without a deploy. No AWS imports: the publish route, the render and the
 * tests read the same rules.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Catalogue } from './schema';

/**
 * The parts of a catalogue a published version may change while the stack runs. Everything
 * else is read by the deployed infrastructure (request models, tables and their TTL classes,
 * log retention, sign-in, routes) or by handlers that load the catalogue once per instance, so
 * a difference there needs a deploy of a new catalogue file.
 */
export const VERSION_CHANGEABLE = ['policy', 'contacts', 'entrustment', 'clauses', 'policyChange'] as const;

/** A top-level part of a catalogue a published version may change. */
export type VersionChangeable = (typeof VERSION_CHANGEABLE)[number];

/**
 * Entries inside a deploy-time part that a published version may change too, with the notice
 * every version gets (L18). The inactivity period is the operator's own rule (not a law's), so a
 * change of it is a change of the policy; the inactivity job and worker follow the version in
 * force. Whether the rule is on at all stays a deploy: it decides whether the job exists.
 */
export const VERSION_CHANGEABLE_ENTRIES = ['inactivity.period'] as const;

const changeable = new Set<string>(VERSION_CHANGEABLE);
const changeableEntry = (path: string) =>
  VERSION_CHANGEABLE_ENTRIES.some((entry) => path === entry || path.startsWith(`${entry}.`));

/** Orders two dotted versions numerically ("1.10" after "1.9"); negative when `a` comes first. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function differingPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(a) || !isMap(b)) {
    out.push(path);
    return;
  }
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    differingPaths(a[key], b[key], `${path}.${key}`, out);
  }
}

/**
 * The entries where `candidate` differs from the deployed catalogue outside
 * {@link VERSION_CHANGEABLE} and {@link VERSION_CHANGEABLE_ENTRIES}, e.g. `retention.withdrawn-email.period`; empty when a version may
 * carry it. Catalogue ids only, never values.
 */
export function deployTimeDifferences(deployed: Catalogue, candidate: Catalogue): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(deployed), ...Object.keys(candidate)])].sort();
  for (const key of keys) {
    if (changeable.has(key)) continue;
    differingPaths(
      (deployed as Record<string, unknown>)[key],
      (candidate as Record<string, unknown>)[key],
      key,
      out,
    );
  }
  return out.filter((path) => !changeableEntry(path));
}
