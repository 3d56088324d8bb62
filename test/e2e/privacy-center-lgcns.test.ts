/** The privacy center journeys for lgcns: ID and password sign-in, the ID is the username (G1). */
import { privacyCenterJourneys } from './privacy-center.suite';

privacyCenterJourneys({
  profile: 'lgcns',
  method: 'password',
  username: (account) => account,
  join: (account, name, email) => ({
    items: { loginId: account, name, email },
    consents: { membership: true, inquiries: true, 'service-history': true },
    ageAffirmation: true,
    policyVersion: '1.0',
  }),
  optionalPurpose: 'statistics',
  screenshots: 'some',
});
