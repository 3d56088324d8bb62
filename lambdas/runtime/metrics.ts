/**
 * Custom CloudWatch metrics, named once for the jobs that emit them and the alarms that watch
 * them. Emitted as Embedded Metric Format lines on stdout: no SDK call, no extra permission.
 */

/** The namespace of every custom metric of the product. */
export const METRIC_NAMESPACE = 'PrivacyStack';

/** Rights requests past their deadline, counted by the daily digest job (L14/G10). */
export const OVERDUE_REQUESTS_METRIC = 'OverdueRequests';

/** The dimension naming the catalogue profile. */
export const PROFILE_DIMENSION = 'Profile';

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
