/** The product's custom CloudWatch metrics, named once for the jobs that emit them and the alarms that watch them. */

/** The namespace of every custom metric of the product. */
export const METRIC_NAMESPACE = 'PrivacyStack';

/** Rights requests past their deadline, counted by the daily digest job (L14/G10). */
export const OVERDUE_REQUESTS_METRIC = 'OverdueRequests';

/** The dimension naming the catalogue profile. */
export const PROFILE_DIMENSION = 'Profile';
