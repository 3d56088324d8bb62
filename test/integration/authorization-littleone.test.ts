/** The authorization matrix for the littleone profile (Apple sign-in, babies). */
import { describeAuthorizationMatrix } from './authorization.suite';
import { littleoneFixture } from './fixtures/members';

describeAuthorizationMatrix('littleone', littleoneFixture);
