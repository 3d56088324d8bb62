import { lgcnsFixture } from '../integration/fixtures/members';
import { describeArtefacts } from './artefacts.suite';

describeArtefacts('lgcns', lgcnsFixture);
