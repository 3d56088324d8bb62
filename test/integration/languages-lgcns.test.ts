/** Korean and English on the local stack of the lgcns profile (issue 16). */
import { lgcnsFixture } from './fixtures/members';
import { languagesSuite } from './languages.suite';

languagesSuite('lgcns', lgcnsFixture);
