/** The privacy center journeys for littleone: Apple sign-in (its email is collected), babies. */
import { privacyCenterJourneys } from './privacy-center.suite';

privacyCenterJourneys({
  profile: 'littleone',
  method: 'apple',
  username: (account) => `signinwithapple_${account}`,
  join: (account, name, email) => ({
    items: { userName: name, appleMemberNumber: account, email },
    consents: { membership: true, 'service-delivery': true, 'abuse-prevention': true },
    ageAffirmation: true,
    policyVersion: '1.0',
  }),
  optionalPurpose: 'statistics',
  screenshots: 'all',
});
