/** Property-based bad input for the littleone profile. */
import { describeBadInput } from './bad-input.suite';
import { littleoneFixture } from './fixtures/members';

describeBadInput('littleone', littleoneFixture);
