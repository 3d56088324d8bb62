/** The operator's data silos on the lgcns profile: erasure, the callback route, export. */
import { lgcnsFixture } from './fixtures/members';
import { describeSilos } from './silos.suite';

describeSilos('lgcns', lgcnsFixture);
