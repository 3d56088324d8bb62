/**
 * Custom CloudWatch metrics, as the jobs emit them; named once for the jobs and the alarms that watch
 * them (model/metrics.ts). Emitted as Embedded Metric Format lines on stdout: no SDK call, no
 * extra permission.
 */
import { METRIC_NAMESPACE, PROFILE_DIMENSION } from '../../model/metrics';

/** One EMF line carrying `value` of `metric` for `profile`. */
export function emfLine(metric: string, value: number, profile: string, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[PROFILE_DIMENSION]],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    [PROFILE_DIMENSION]: profile,
    [metric]: value,
  });
}
