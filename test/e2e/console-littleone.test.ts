/** The officer console for the littleone profile; its screenshots are the README's. */
import { consoleSuite } from './console.suite';

consoleSuite('littleone', true);
