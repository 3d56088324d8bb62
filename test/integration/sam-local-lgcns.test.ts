/** SAM local's env-vars file and events for the lgcns profile (see sam-local.suite.ts). */
import { describeSamLocal } from './sam-local.suite';

describeSamLocal('lgcns');
