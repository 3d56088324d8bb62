/** Scheduled monthly: assembles last month's review of handler access records (Korean safety standard Art. 8). */
import { assembleReview } from '../features/access-review/review';
import { monthToReview } from '../features/access-review/rules';
import { catalogueInForce } from '../features/policy-versions/store';
import { jobHandler } from '../runtime/job';

export const handler = jobHandler('accessReview', async ({ now, catalogue }) =>
  // The task goes to the officer of the policy version in force (L18).
  assembleReview(await catalogueInForce(catalogue, now), monthToReview(now), now),
);
