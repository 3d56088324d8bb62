/** Faults, crashes and duplicate delivery for the littleone profile. */
import { describeFaults } from './faults.suite';
import { littleoneFixture } from './fixtures/members';

describeFaults('littleone', littleoneFixture);
