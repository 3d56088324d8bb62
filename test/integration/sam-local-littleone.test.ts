/** SAM local's env-vars file and events for the littleone profile (see sam-local.suite.ts). */
import { describeSamLocal } from './sam-local.suite';

describeSamLocal('littleone');
