/** The breach workflow for lgcns (PIPA Art. 34; GDPR Arts. 33-34). */
import { breachesSuite } from './breaches.suite';

breachesSuite('lgcns');
