/** Faults, crashes and duplicate delivery for the lgcns profile. */
import { describeFaults } from './faults.suite';
import { lgcnsFixture } from './fixtures/members';

describeFaults('lgcns', lgcnsFixture);
