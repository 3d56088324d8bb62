import { littleoneFixture } from '../integration/fixtures/members';
import { describeArtefacts } from './artefacts.suite';

describeArtefacts('littleone', littleoneFixture);
