/** Lifecycle events of the littleone profile (issue 15, item 5): see lifecycle-events.suite.ts. */
import { lifecycleEventsSuite } from './lifecycle-events.suite';

lifecycleEventsSuite('littleone');
