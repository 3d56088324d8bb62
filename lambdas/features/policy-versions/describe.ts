/** The officer's view of published policy versions (L18): each one's status and its notices' progress. */
import { seoulDay } from '../../../model/calendar';
import type { Catalogue } from '../../../policy/schema';
import {
  type FanOutProgress,
  fanOutProgress,
  selectInForce,
  type VersionStatus,
  versionStatus,
} from './rules';
import { listVersionRecords, segmentsOf } from './store';

/** One published version as the officer's list shows it: never the catalogue itself. */
export interface VersionSummary {
  readonly version: string;
  readonly effectiveDate: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly status: VersionStatus;
  readonly notices: FanOutProgress;
}

/** Every published version, newest first, with its status on the Seoul day of `now` and its notices' progress. */
export async function describeVersions(
  deployed: Catalogue,
  now: Date,
): Promise<{
  deployed: { version: string; effectiveDate: string };
  inForce: string;
  versions: VersionSummary[];
}> {
  const records = await listVersionRecords();
  const inForce = selectInForce(deployed, records, seoulDay(now));
  const versions = await Promise.all(
    [...records].reverse().map(async (r) => ({
      version: r.version,
      effectiveDate: r.effectiveDate,
      summary: r.summary,
      publishedAt: r.publishedAt,
      publishedBy: r.publishedBy,
      status: versionStatus(deployed, records, inForce, r),
      notices: fanOutProgress(await segmentsOf(r.seq)),
    })),
  );
  return {
    deployed: { version: deployed.policy.version, effectiveDate: deployed.policy.effectiveDate },
    inForce: inForce.current.version,
    versions,
  };
}
