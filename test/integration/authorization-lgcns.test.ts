/** The authorization matrix for the lgcns profile (ID and password sign-in). */
import { describeAuthorizationMatrix } from './authorization.suite';
import { lgcnsFixture } from './fixtures/members';

describeAuthorizationMatrix('lgcns', lgcnsFixture);
