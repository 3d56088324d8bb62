/** Faults, crashes and duplicate delivery on the littleone profile's officer routes. */
import { describeFaults } from './faults.suite';
import { littleoneFixture } from './fixtures/members';

describeFaults('littleone', littleoneFixture, 'officer');
