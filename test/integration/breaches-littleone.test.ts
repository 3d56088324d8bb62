/** The breach workflow for littleone (PIPA Art. 34; GDPR Arts. 33-34). */
import { breachesSuite } from './breaches.suite';

breachesSuite('littleone');
