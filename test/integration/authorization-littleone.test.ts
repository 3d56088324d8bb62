/** The authorization matrix for the littleone profile (Apple sign-in, babies). */
import { describeAuthorizationMatrix } from './authorization.suite';

describeAuthorizationMatrix('littleone', {
  token: { method: 'apple' },
  join: (marker) => ({
    items: {
      userName: `${marker}Name`,
      appleMemberNumber: `${marker}.number`,
      email: `${marker}@example.com`,
    },
    consents: { membership: true, 'service-delivery': true, 'abuse-prevention': true, statistics: true },
    ageAffirmation: true,
    policyVersion: '1.0',
  }),
  correction: (marker) => ({ items: { email: `${marker}@example.com` } }),
});
