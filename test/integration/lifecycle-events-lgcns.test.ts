/** Lifecycle events of the lgcns profile (issue 15, item 5): see lifecycle-events.suite.ts. */
import { lifecycleEventsSuite } from './lifecycle-events.suite';

lifecycleEventsSuite('lgcns');
