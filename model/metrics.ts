/** The product's custom CloudWatch metrics, named once for the jobs that emit them and the alarms that watch them. */

/** The namespace of every custom metric of the product. */
export const METRIC_NAMESPACE = 'PrivacyStack';

/** Rights requests past their deadline, counted by the daily digest job (L14/G10). */
export const OVERDUE_REQUESTS_METRIC = 'OverdueRequests';

/** Silos of withdrawals unfinished past their lag threshold, counted by the daily digest job (issue 15). */
export const LAGGING_SILOS_METRIC = 'LaggingSilos';

/** Monthly reviews of handler access records open past their due day, counted by the daily digest job. */
export const OVERDUE_ACCESS_REVIEWS_METRIC = 'OverdueAccessReviews';
/** Breach clocks (members told, regulator reported) still unmet within the warning hours of their deadline. */
export const BREACH_DEADLINES_NEAR_METRIC = 'BreachDeadlinesNear';

/** Breach clocks still unmet past their deadline (PIPA Art. 34; GDPR Art. 33). */
export const BREACH_DEADLINES_MISSED_METRIC = 'BreachDeadlinesMissed';

/** The dimension naming the catalogue profile. */
export const PROFILE_DIMENSION = 'Profile';

/** Annual usage notices sent in a year's run, emitted once when the run finishes (PIPA Art. 20-2). */
export const USAGE_NOTICES_METRIC = 'AnnualUsageNoticesSent';
