/** Faults, crashes and duplicate delivery on the lgcns profile's member routes. */
import { describeFaults } from './faults.suite';
import { lgcnsFixture } from './fixtures/members';

describeFaults('lgcns', lgcnsFixture, 'member');
