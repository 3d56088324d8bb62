/** The inactivity engine for the lgcns profile (G9, L7/G7). */
import { inactivitySuite } from './inactivity.suite';

inactivitySuite('lgcns');
