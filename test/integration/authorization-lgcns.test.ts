/** The authorization matrix for the lgcns profile (ID and password sign-in). */
import { describeAuthorizationMatrix } from './authorization.suite';

describeAuthorizationMatrix('lgcns', {
  token: { method: 'password' },
  join: (marker) => ({
    items: { loginId: `${marker}-id`, name: `${marker}Name`, email: `${marker}@example.com` },
    consents: { membership: true, inquiries: true, 'service-history': true, statistics: true },
    ageAffirmation: true,
    policyVersion: '1.0',
  }),
  correction: (marker) => ({ items: { email: `${marker}@example.com` } }),
});
