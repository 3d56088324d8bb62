/** The operator's data silos on the littleone profile: erasure, the callback route, export. */
import { littleoneFixture } from './fixtures/members';
import { describeSilos } from './silos.suite';

describeSilos('littleone', littleoneFixture);
