/** Policy changes for the lgcns profile (L18). */
import { lgcnsFixture } from './fixtures/members';
import { policyChangesSuite } from './policy-changes.suite';

policyChangesSuite('lgcns', lgcnsFixture);
