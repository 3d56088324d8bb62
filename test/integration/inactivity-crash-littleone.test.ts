/** Crash-restart of the inactivity engine over 1,000 littleone members (G9, L7/G7). */
import { inactivityCrashSuite } from './inactivity-crash.suite';

inactivityCrashSuite('littleone', 101);
