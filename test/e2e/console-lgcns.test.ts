/** The officer console for the lgcns profile. */
import { consoleSuite } from './console.suite';

consoleSuite('lgcns', false);
