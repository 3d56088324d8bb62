/** Property-based bad input for the lgcns profile. */
import { describeBadInput } from './bad-input.suite';
import { lgcnsFixture } from './fixtures/members';

describeBadInput('lgcns', lgcnsFixture);
