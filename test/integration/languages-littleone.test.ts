/** Korean and English on the local stack of the littleone profile (issue 16). */
import { littleoneFixture } from './fixtures/members';
import { languagesSuite } from './languages.suite';

languagesSuite('littleone', littleoneFixture);
