/** Policy changes for the littleone profile (L18). */
import { littleoneFixture } from './fixtures/members';
import { policyChangesSuite } from './policy-changes.suite';

policyChangesSuite('littleone', littleoneFixture);
